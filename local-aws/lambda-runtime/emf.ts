/**
 * Reads CloudWatch Embedded Metric Format lines, as Powertools Metrics prints them, so the local runtime can total
 * what the real handlers reported (e.g. the checker's `InBatchDuplicates`) without CloudWatch.
 */
export type MetricTotals = Record<string, number>;

interface EmfDirective {
  readonly Metrics?: readonly { readonly Name?: unknown }[];
}

/** The metric values in one log line, or undefined when the line is not an EMF document. */
export function parseEmfLine(line: string): MetricTotals | undefined {
  const trimmed = line.trim();
  if (!trimmed.startsWith('{') || !trimmed.includes('"_aws"')) return undefined;
  let document: unknown;
  try {
    document = JSON.parse(trimmed);
  } catch {
    return undefined;
  }
  if (typeof document !== 'object' || document === null) return undefined;
  const record = document as Record<string, unknown>;
  const aws = record._aws as { CloudWatchMetrics?: readonly EmfDirective[] } | undefined;
  if (!aws || !Array.isArray(aws.CloudWatchMetrics)) return undefined;
  const totals: MetricTotals = {};
  for (const directive of aws.CloudWatchMetrics) {
    for (const metric of directive.Metrics ?? []) {
      if (typeof metric.Name !== 'string') continue;
      const value = record[metric.Name];
      // EMF allows one value or an array of values (Powertools writes an array when a metric is added twice).
      const values = Array.isArray(value) ? value : [value];
      const sum = values.reduce<number>((acc, v) => acc + (typeof v === 'number' ? v : 0), 0);
      totals[metric.Name] = (totals[metric.Name] ?? 0) + sum;
    }
  }
  return totals;
}

/** Adds `more` into `totals` in place. */
export function addTotals(totals: MetricTotals, more: MetricTotals): void {
  for (const [name, value] of Object.entries(more)) totals[name] = (totals[name] ?? 0) + value;
}
