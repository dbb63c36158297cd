import type { Envelope } from '../shared/envelope';

/** Firehose PutRecordBatch limits (Amazon Data Firehose quotas). */
export const FIREHOSE_MAX_BATCH_RECORDS = 500;
export const FIREHOSE_MAX_BATCH_BYTES = 4 * 1024 * 1024;
/** Firehose refuses a record over 1,000 KiB, and then refuses the whole call: the checker never sends one. */
export const FIREHOSE_MAX_RECORD_BYTES = 1000 * 1024;

/** An envelope as Firehose carries it: one compact UTF-8 JSON object, no trailing newline (docs/CONTRACTS.md). */
export function encodeEnvelope(envelope: Envelope): Uint8Array {
  return Buffer.from(JSON.stringify(envelope), 'utf8');
}

/**
 * Splits records, in order, into PutRecordBatch calls of at most 500 records and 4 MiB. Returns index ranges
 * `[start, end)` into `sizes`. Every size must already be within FIREHOSE_MAX_RECORD_BYTES, so every chunk holds at
 * least one record.
 */
export function planFirehoseBatches(
  sizes: readonly number[],
  limits: { maxRecords: number; maxBytes: number } = {
    maxRecords: FIREHOSE_MAX_BATCH_RECORDS,
    maxBytes: FIREHOSE_MAX_BATCH_BYTES,
  },
): Array<readonly [number, number]> {
  const ranges: Array<readonly [number, number]> = [];
  let start = 0;
  let bytes = 0;
  sizes.forEach((size, index) => {
    const full = index - start >= limits.maxRecords || bytes + size > limits.maxBytes;
    if (index > start && full) {
      ranges.push([start, index]);
      start = index;
      bytes = 0;
    }
    bytes += size;
  });
  if (start < sizes.length) ranges.push([start, sizes.length]);
  return ranges;
}
