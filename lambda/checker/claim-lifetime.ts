/**
 * The one rule relating a claim's lifetime (the dedup TTL) to the event source's maximum record age, used by the
 * checker's own config (lambda/checker/config.ts: a hand-set environment, the local pipeline) and by the stack's
 * (lib/config: `cdk synth`), so neither can accept what the other refuses.
 */

/** The event source's maximum record age when none is said: the stack's default (`ctrLake:checkerMaxRecordAgeHours`). */
export const DEFAULT_MAX_RECORD_AGE_HOURS = 24;

/** Lambda accepts a Kinesis maximum record age of 60 s to 7 days; the stack counts it in whole hours. */
export const MAX_RECORD_AGE_HOURS_LIMIT = 168;

/** Why the rule holds, for the messages that refuse a configuration breaking it. */
export const CLAIM_LIFETIME_REASON =
  'a duplicate that waits in the stream behind retries must still find the claim of its twin';

/**
 * True when a claim lives at least as long as a record may wait on the stream behind retries: a copy delivered that
 * late still meets its twin's claim, instead of finding the key absent and landing a second time.
 */
export function claimOutlivesRecordAge(ttlHours: number, maxRecordAgeHours: number): boolean {
  return ttlHours >= maxRecordAgeHours;
}
