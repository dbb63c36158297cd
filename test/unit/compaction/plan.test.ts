import { groupByPartition, needsCompaction } from '../../../lambda/compaction/plan';
import type { StoredObject } from '../../../lambda/compaction/ports';

const object = (key: string, size = 10): StoredObject => ({ key, size, archived: false });
const P = 'ctr/year=2026/month=03/day=05/';
const FIREHOSE = `${P}ctr-lake-1-2026-03-05-10-00-00-6f1c2a9e.parquet`;
const RUN_A = `${P}compacted-20260306T030000Z-0000000a-0.parquet`;
const RUN_A_1 = `${P}compacted-20260306T030000Z-0000000a-1.parquet`;
const RUN_B = `${P}compacted-20260307T030000Z-0000000b-0.parquet`;

describe('groupByPartition', () => {
  it('groups by day, oldest first, sums sizes, and sets aside keys outside day partitions', () => {
    const listing = groupByPartition([
      object(FIREHOSE, 5),
      object('ctr/year=2026/month=03/day=04/x.parquet'),
      object(RUN_A, 7),
      object('ctr/readme'),
    ]);
    expect(listing.partitions.map((p) => [p.partition.day, p.objects.length, p.bytes])).toEqual([
      ['2026-03-04', 1, 10],
      ['2026-03-05', 2, 12],
    ]);
    expect(listing.foreign).toEqual(['ctr/readme']);
  });
});

describe('needsCompaction', () => {
  const partitionOf = (...keys: string[]) => groupByPartition(keys.map((key) => object(key))).partitions[0]!;

  it.each([
    ['one run alone', [RUN_A], false],
    ['one run split into two objects', [RUN_A, RUN_A_1], false],
    ['a Firehose object (never compacted, or a late arrival)', [RUN_A, FIREHOSE], true],
    ['a single Firehose object (it may hold a duplicate)', [FIREHOSE], true],
    ['two runs (one interrupted after publishing)', [RUN_A, RUN_B], true],
  ])('%s: %s', (_case, keys, expected) => {
    expect(needsCompaction(partitionOf(...keys))).toBe(expected);
  });
});
