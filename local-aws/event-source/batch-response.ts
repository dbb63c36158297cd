/**
 * How the Kinesis event source mapping, with `ReportBatchItemFailures` on, reads a function's answer
 * (Lambda developer guide, "Reporting batch item failures for Kinesis"):
 * - success: a null/empty answer, or an empty or null `batchItemFailures` list; the whole batch is checkpointed.
 * - partial failure: every `itemIdentifier` is a sequence number of the batch; the batch is checkpointed up to the
 *   lowest failed one and retried from there.
 * - complete failure: the function threw, or any itemIdentifier is empty, null, misnamed or not in the batch; the
 *   whole batch is retried.
 */
export type BatchVerdict =
  { readonly kind: 'success' } | { readonly kind: 'retry'; readonly fromIndex: number; readonly reason: string };

export function judgeBatchResponse(sequenceNumbers: readonly string[], response: unknown): BatchVerdict {
  if (response === null || response === undefined || response === '') return { kind: 'success' };
  if (typeof response !== 'object' || Array.isArray(response)) return { kind: 'success' };
  const failures = (response as { batchItemFailures?: unknown }).batchItemFailures;
  if (failures === null || failures === undefined) return { kind: 'success' };
  if (!Array.isArray(failures)) {
    return { kind: 'retry', fromIndex: 0, reason: 'batchItemFailures is not a list' };
  }
  if (failures.length === 0) return { kind: 'success' };
  let lowest = Number.POSITIVE_INFINITY;
  for (const failure of failures) {
    const identifier = (failure as { itemIdentifier?: unknown } | null)?.itemIdentifier;
    const index = typeof identifier === 'string' && identifier !== '' ? sequenceNumbers.indexOf(identifier) : -1;
    if (index < 0) {
      return { kind: 'retry', fromIndex: 0, reason: `invalid itemIdentifier ${JSON.stringify(identifier ?? null)}` };
    }
    lowest = Math.min(lowest, index);
  }
  return { kind: 'retry', fromIndex: lowest, reason: `${failures.length} batch item failure(s)` };
}

/** A thrown function error retries the whole batch. */
export function judgeFunctionError(error: unknown): BatchVerdict {
  const message = error instanceof Error ? error.message : String(error);
  return { kind: 'retry', fromIndex: 0, reason: `function error: ${message}` };
}
