import type { DayRange } from '../../lib/queries/query-template';
import type { JsonRow } from '../../local-aws/query/json-values';

/** The dedup funnel: what the pipeline was given and what became of it. */
export interface Funnel {
  readonly in: number;
  readonly inBatchDuplicates: number;
  readonly storedDuplicates: number;
  readonly delivered: number;
  readonly quarantined: number;
  /** Where the counts come from, said in the report (e.g. "this run", "CloudWatch metrics from … to …"). */
  readonly source: string;
}

/** A funnel that could not be counted, and why (said in the report instead of a chart). */
export interface FunnelUnavailable {
  readonly unavailable: string;
}

/** The named query results a report is drawn from, by query name. */
export type QueryResults = Readonly<Record<string, readonly JsonRow[]>>;

/** Everything a report shows: drawn by renderReport, gathered from a local lake, a local run or a deployment. */
export interface ReportData {
  /** What the report is about: `local lake /tmp/x`, `stack ctr-lake in eu-west-1`. */
  readonly subject: string;
  readonly timeZone: string;
  /** The local days the queries were limited to. @default every day */
  readonly days?: DayRange;
  readonly generatedAt: Date;
  readonly results: QueryResults;
  readonly funnel: Funnel | FunnelUnavailable;
}

/** The named queries a report draws (each section's data table shows their rows as returned). */
export const REPORT_QUERIES = [
  'calls_per_day',
  'ctrs_per_day',
  'avg_handle_time_by_queue',
  'abandonment_rate_per_day',
  'contacts_by_hour',
  'duplicates_audit',
] as const;

export function isFunnelAvailable(funnel: Funnel | FunnelUnavailable): funnel is Funnel {
  return !('unavailable' in funnel);
}
