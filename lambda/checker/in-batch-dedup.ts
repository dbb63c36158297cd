import type { DecodedCtr } from './decode-record';

export interface InBatchDedup {
  /** The first record of each key, in batch order: the only ones that reach the dedup store. */
  readonly kept: readonly DecodedCtr[];
  /** Later records with a key already kept in this batch: dropped without a DynamoDB call. */
  readonly duplicates: readonly DecodedCtr[];
}

/**
 * Step 3: drops in-batch duplicates in memory. Keeping the *first* record matters for retries: if it fails, Lambda
 * redelivers from it, so the later copies come back with it; if a later point fails, the kept one's claim already
 * turns the copies away.
 */
export function dedupWithinBatch(records: readonly DecodedCtr[]): InBatchDedup {
  const seen = new Set<string>();
  const kept: DecodedCtr[] = [];
  const duplicates: DecodedCtr[] = [];
  for (const record of records) {
    if (seen.has(record.key)) {
      duplicates.push(record);
    } else {
      seen.add(record.key);
      kept.push(record);
    }
  }
  return { kept, duplicates };
}
