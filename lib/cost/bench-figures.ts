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
  /**
   * Wall time of one compaction run over a day of a million of the bench's CTRs as Firehose flushes them, in a
   * process of its own with DuckDB held to the Lambda's memory (bench section 7). Scales with the day's bytes.
   */
  readonly compactionMsPerMillionCtrs: number;
}

export const BENCH_FIGURES: BenchFigures = {
  measured:
    "bytes from the bench's stream and lake scan, seed 20260302, 2026-11-29; checker time from the 2026-11-23 run " +
    "in README.md; transform time 2026-11-29 on a loaded machine; compaction time from the bench's compaction " +
    'section, 2026-11-29',
  // The bench stream's 10,000 records (test/unit/rigs/bench/bench-figures.test.ts keeps this and the envelope ratio true).
  ctrBytes: 2659,
  // 509.7 bytes of Snappy Parquet per row (bench section 5) over the 2,659-byte mean CTR.
  parquetBytesPerCtrByte: 0.1917,
  envelopeBytesPerCtrByte: 1.147,
  checkerMsPerInvocation: 122.3,
  checkerBatchSize: 100,
  transformMsPerRecord: 0.51,
  // A million-CTR day, 528 MiB of Firehose objects: 61.7 s wall, 55.2 s CPU (README, Performance).
  compactionMsPerMillionCtrs: 61_740,
};

/**
 * Each dedup store's figures for the comparison `npm run cost` prints (lib/cost/dedup-store-cost.ts). Replace them
 * with the bench's (`npm run bench`, the `valkey` design) when it measures them, with the date.
 */
export const DEDUP_STORE_FIGURES: DedupStoreMeasurements & { readonly measured: string } = {
  measured:
    'npm run bench, 2026-11-29 (seed 20260302, 2-core machine at a load average of about 11), DynamoDB Local ' +
    '2026-01-16 and redis-server 7.0.15: DynamoDB 1.4 write units per input record at 0.7 distinct, so 2 per ' +
    'distinct CTR (a claim and a delivered mark), the item 262 bytes of names and values; Valkey 2 script calls per ' +
    'distinct CTR (claim, mark) in 2 pipelined round trips per invocation, 776 bytes of used_memory per key, each ' +
    'script 18.36 µs of server time against 2.14 µs for a SET (8.6 ECPUs, AWS billing a command by its vCPU time ' +
    'over a simple one); checker 311.7 ms (DynamoDB) and 166.2 ms (Valkey) per 100-record invocation behind the ' +
    '4 ms store and 10 ms Firehose latency proxies.',
  dynamodb: { writeUnitsPerDistinct: 2, itemBytes: 262, checkerMsPerInvocation: 311.7 },
  valkey: { ecpusPerClaim: 8.6, ecpusPerMark: 8.6, bytesPerKey: 776, checkerMsPerInvocation: 166.2 },
};
