import type { KinesisStreamEvent } from 'aws-lambda';
import { toKinesisEvent, type EventSourceIdentity } from '../../local-aws/event-source/kinesis-event';
import type { JsonObject } from '../synthetic/ctr-builder';
import { iterateCtrs, reorderKeys, type GeneratorOptions } from '../synthetic/ctr-generator';
import { mulberry32, randomInt } from '../synthetic/prng';

/**
 * The bench's streams, built on the shared synthetic generator (rigs/synthetic). The generator's own delivery
 * stream places duplicates at random delays; the request-economy measurement needs them placed exactly, so many
 * inside a batch and so many across batches, which is what this wrapper adds.
 */
export type BenchRecordKind = 'original' | 'inBatchDuplicate' | 'crossBatchDuplicate';

export interface BenchRecord {
  /** The bytes on the stream: compact JSON, keys sorted, or shuffled for a re-serialized duplicate. */
  readonly text: string;
  readonly kind: BenchRecordKind;
  /** Index of the distinct CTR it carries: records with the same index are copies of one CTR. */
  readonly sourceIndex: number;
}

export interface BenchStream {
  /** One entry per checker invocation. */
  readonly batches: ReadonlyArray<readonly BenchRecord[]>;
  readonly records: number;
  readonly unique: number;
  readonly inBatchDuplicates: number;
  readonly crossBatchDuplicates: number;
}

export interface BenchStreamOptions {
  readonly seed: number;
  readonly records: number;
  readonly batchSize: number;
  /** Share of records that are duplicates. */
  readonly duplicateRate: number;
  /** Share of the duplicates that sit in the same batch as their original. @default 0.5 */
  readonly inBatchShare?: number;
  /** Share of duplicates serialized with their keys in another order. @default 0.5 */
  readonly reorderedShare?: number;
  /** A cross-batch duplicate copies a CTR from one of this many preceding batches. @default 10 */
  readonly lookbackBatches?: number;
}

/** The first `count` records of the shared generator, contacts spread over `days` days. */
export function syntheticCtrs(
  count: number,
  options: { seed: number; days: number; startDate?: string },
): JsonObject[] {
  return Array.from(iterateSyntheticCtrs(count, options));
}

/** The same records one at a time, so that a large run never holds them all. */
export function* iterateSyntheticCtrs(
  count: number,
  options: { seed: number; days: number; startDate?: string },
): Generator<JsonObject> {
  // The generator makes 1 to 3 records per contact (transfers, later versions). Size the contact count from a
  // pilot run with the same settings so that the first `count` records still span (almost) all the days.
  const settings: Omit<GeneratorOptions, 'contacts'> = {
    seed: options.seed,
    days: options.days,
    ...(options.startDate ? { startDate: options.startDate } : {}),
  };
  const pilotContacts = 2000;
  const pilotRecords = Array.from(iterateCtrs({ ...settings, contacts: pilotContacts })).length;
  const contacts = Math.ceil((count / (pilotRecords / pilotContacts)) * 1.02) + 10;
  let produced = 0;
  for (const ctr of iterateCtrs({ ...settings, contacts })) {
    if (produced === count) return;
    produced++;
    yield ctr;
  }
  if (produced < count) throw new Error(`the generator made ${produced} records, ${count} were asked for`);
}

/** Splits `total` into `parts` integers that differ by at most one and sum to `total`. */
export function spread(total: number, parts: number): number[] {
  return Array.from(
    { length: parts },
    (_, i) => Math.floor((total * (i + 1)) / parts) - Math.floor((total * i) / parts),
  );
}

/**
 * A stream of `records` records in batches of `batchSize`, of which `duplicateRate` are duplicates: `inBatchShare`
 * of them in the same batch as their original (after it), the rest copies of CTRs from earlier batches. Counts
 * are exact. The first batch has no cross-batch duplicates (nothing came before it).
 */
export function benchStream(options: BenchStreamOptions): BenchStream {
  const { records, batchSize } = options;
  if (!Number.isInteger(records / batchSize) || records <= 0) {
    throw new RangeError(`records (${records}) must be a positive multiple of batchSize (${batchSize})`);
  }
  const batchCount = records / batchSize;
  const duplicates = Math.round(records * options.duplicateRate);
  const inBatchTotal = Math.round(duplicates * (options.inBatchShare ?? 0.5));
  const crossTotal = duplicates - inBatchTotal;
  const inBatch = spread(inBatchTotal, batchCount);
  const cross = [0, ...(batchCount > 1 ? spread(crossTotal, batchCount - 1) : [])];
  if (batchCount === 1 && crossTotal > 0) throw new RangeError('a single batch cannot hold cross-batch duplicates');

  const ctrs = syntheticCtrs(records - duplicates, { seed: options.seed, days: 1 });
  const random = mulberry32(options.seed ^ 0x5eed);
  const copy = (sourceIndex: number, kind: BenchRecordKind): BenchRecord => ({
    text: JSON.stringify(
      random() < (options.reorderedShare ?? 0.5) ? reorderKeys(random, ctrs[sourceIndex]!) : ctrs[sourceIndex],
    ),
    kind,
    sourceIndex,
  });

  const batches: BenchRecord[][] = [];
  const firstSourceOfBatch: number[] = [];
  let nextSource = 0;
  for (let b = 0; b < batchCount; b++) {
    const originals = batchSize - inBatch[b]! - cross[b]!;
    if (originals < 1) throw new RangeError(`batch ${b} would hold no original record`);
    firstSourceOfBatch.push(nextSource);
    const batch: BenchRecord[] = [];
    for (let i = 0; i < originals; i++, nextSource++) {
      batch.push({ text: JSON.stringify(ctrs[nextSource]), kind: 'original', sourceIndex: nextSource });
    }
    for (let d = 0; d < inBatch[b]!; d++) {
      const source = randomInt(random, firstSourceOfBatch[b]!, nextSource - 1);
      const after = batch.findIndex((r) => r.sourceIndex === source) + 1;
      batch.splice(randomInt(random, after, batch.length), 0, copy(source, 'inBatchDuplicate'));
    }
    const lookback = Math.max(0, b - (options.lookbackBatches ?? 10));
    for (let d = 0; d < cross[b]!; d++) {
      const source = randomInt(random, firstSourceOfBatch[lookback]!, firstSourceOfBatch[b]! - 1);
      batch.splice(randomInt(random, 0, batch.length), 0, copy(source, 'crossBatchDuplicate'));
    }
    batches.push(batch);
  }
  return {
    batches,
    records,
    unique: records - duplicates,
    inBatchDuplicates: inBatchTotal,
    crossBatchDuplicates: crossTotal,
  };
}

/**
 * The same stream without one kind of duplicate, batch boundaries kept: comparing a design's requests on both
 * gives the marginal requests it pays per duplicate of that kind.
 */
export function withoutKind(stream: BenchStream, kind: Exclude<BenchRecordKind, 'original'>): BenchStream {
  const batches = stream.batches.map((batch) => batch.filter((r) => r.kind !== kind));
  return {
    batches,
    records: batches.reduce((sum, batch) => sum + batch.length, 0),
    unique: stream.unique,
    inBatchDuplicates: kind === 'inBatchDuplicate' ? 0 : stream.inBatchDuplicates,
    crossBatchDuplicates: kind === 'crossBatchDuplicate' ? 0 : stream.crossBatchDuplicates,
  };
}

/** The first `batches` batches of a stream (a shorter run with the same mix). */
export function firstBatches(stream: BenchStream, batches: number): BenchStream {
  const kept = stream.batches.slice(0, batches);
  const all = kept.flat();
  return {
    batches: kept,
    records: all.length,
    unique: new Set(all.map((r) => r.sourceIndex)).size,
    inBatchDuplicates: all.filter((r) => r.kind === 'inBatchDuplicate').length,
    crossBatchDuplicates: all.filter((r) => r.kind === 'crossBatchDuplicate').length,
  };
}

const BENCH_IDENTITY: EventSourceIdentity = {
  streamArn: 'arn:aws:kinesis:us-east-1:111122223333:stream/ctr-lake-bench',
  region: 'us-east-1',
  invokeIdentityArn: 'arn:aws:iam::111122223333:role/ctr-lake-bench-checker',
};
const FIRST_SEQUENCE_NUMBER = 49_650_000_000_000_000_000_000_000_000_000_000_000_000_000_000_000n;

/** The Lambda events the checker receives for the stream: one shard, sequence numbers in stream order. */
export function toKinesisEvents(stream: BenchStream, shardId = 'shardId-000000000000'): KinesisStreamEvent[] {
  let index = 0;
  const arrival = new Date('2026-03-02T12:00:00Z');
  return stream.batches.map((batch) =>
    toKinesisEvent(
      shardId,
      batch.map((record) => ({
        SequenceNumber: (FIRST_SEQUENCE_NUMBER + BigInt(index++) * 1000n).toString(),
        ApproximateArrivalTimestamp: arrival,
        Data: Buffer.from(record.text, 'utf8'),
        PartitionKey: contactIdOf(record.text),
      })),
      BENCH_IDENTITY,
    ),
  );
}

function contactIdOf(text: string): string {
  const id = (JSON.parse(text) as { ContactId?: unknown }).ContactId;
  return typeof id === 'string' ? id : 'unknown';
}
