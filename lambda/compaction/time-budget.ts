/**
 * How the job decides what fits in one run (handler.ts), and with it the largest partition the stack lets it take
 * (lib/constructs/lake-compaction.ts MAX_PARTITION_BYTES): a partition is started only when the time left covers it
 * at this rate plus the margin.
 */

/**
 * Planning rate: bytes of originals a run is assumed to rewrite per second, to decide whether a partition can still
 * finish before the function's timeout. The bench measured 4.8 to 10 MB of a day's Firehose objects per CPU second
 * (section 7: a million-CTR day, 528 MiB, in 55 s of CPU on 2026-11-29); the function has 1.7 vCPUs at 3008 MB, and
 * the rate leaves room for a slow S3. See docs/CONTRACTS.md.
 */
export const PLANNING_BYTES_PER_SECOND = 4 * 1024 * 1024;
/** Kept free before the timeout whatever the estimate: listing, uploads, the manifest steps, the metrics flush. */
export const SAFETY_MARGIN_MS = 60_000;

/**
 * The schedule's runs within its hour (lib/constructs/lake-compaction.ts): the first does the night's work, the others
 * whatever it deferred. Every 15 minutes, above the function's 14-minute timeout, so two runs never overlap.
 */
export const COMPACTION_RUN_MINUTES = '0/15';
/** How many runs that makes a day. */
export const COMPACTION_RUNS_PER_DAY = 4;
