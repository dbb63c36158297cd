import type { DedupStoreMeasurements } from './dedup-store-cost';

/**
 * The per-record figures `npm run bench` measured (rigs/bench), recorded here for `npm run cost`, which prices a
 * volume without running the bench. Bytes scale with the CTR size asked for (as ratios to the bench's mean CTR);
 * times do not. Re-run the bench and update these, with the date, when the handlers or the lake format change.
 */
export interface BenchFigures {
  /** When and how they were measured. */
  readonly measured: string;
  /** Mean CTR on the bench's stream (synthetic, JSON as Connect streams it), bytes. */
  readonly ctrBytes: number;
  /** Parquet (Snappy) lake bytes per row, per byte of CTR: each row keeps the verbatim CTR in raw_ctr. */
  readonly parquetBytesPerCtrByte: number;
  /** Checker → Firehose envelope bytes per byte of CTR (the CTR as an escaped JSON string, plus fingerprint). */
  readonly envelopeBytesPerCtrByte: number;
  /** Wall time of one checker invocation of `checkerBatchSize` records with network round trips (bench section 3). */
  readonly checkerMsPerInvocation: number;
  readonly checkerBatchSize: number;
  /** Transform core CPU per record (bench section 5). */
  readonly transformMsPerRecord: number;
}

export const BENCH_FIGURES: BenchFigures = {
  measured:
    "bytes from the bench's stream and lake scan, seed 20260302, 2026-11-29; checker time from the 2026-11-23 run " +
    'in README.md; transform time 2026-11-29 on a loaded machine',
  // The bench stream's 10,000 records (test/unit/rigs/bench/bench-figures.test.ts keeps this and the envelope ratio true).
  ctrBytes: 2659,
  // 509.7 bytes of Snappy Parquet per row (bench section 5) over the 2,659-byte mean CTR.
  parquetBytesPerCtrByte: 0.1917,
  envelopeBytesPerCtrByte: 1.147,
  checkerMsPerInvocation: 122.3,
  checkerBatchSize: 100,
  transformMsPerRecord: 0.51,
};

/**
 * Each dedup store's figures for the comparison `npm run cost` prints (lib/cost/dedup-store-cost.ts). Replace them
 * with the bench's (`npm run bench`, the `valkey` design) when it measures them, with the date.
 */
export const DEDUP_STORE_FIGURES: DedupStoreMeasurements & { readonly measured: string } = {
  measured:
    'DynamoDB: the checker writes a claim (PutItem) and a delivered mark (BatchWriteItem) per distinct CTR, each under ' +
    '1 KB; the item is 262 bytes (names and values of fingerprint, claimedBy, claimedAt, expiresAt, leaseUntil, ' +
    'deliveredAt). Valkey: key size and script vCPU measured 2026-11-29 on redis-server 7.0.15 with a claim and a mark ' +
    'script shaped like the contract (HMGET, HSET of the same fields, PEXPIREAT): 629 bytes of used_memory per key over ' +
    '199,790 keys; the scripts took a median 6x (claim) and 3x (mark) the vCPU time of a SET over 9 interleaved rounds of ' +
    "50,000 calls on a loaded machine (ratios from 1.8x to 26x). Checker time: the DynamoDB design's, also used for " +
    'Valkey until the bench measures it.',
  dynamodb: { writeUnitsPerDistinct: 2, itemBytes: 262, checkerMsPerInvocation: BENCH_FIGURES.checkerMsPerInvocation },
  valkey: {
    ecpusPerClaim: 6,
    ecpusPerMark: 3,
    bytesPerKey: 629,
    checkerMsPerInvocation: BENCH_FIGURES.checkerMsPerInvocation,
  },
};
