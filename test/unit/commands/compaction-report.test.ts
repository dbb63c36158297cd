import { compactionJson, compactionLine, renderCompaction } from '../../../commands/compact/compaction-report';
import { totalsOf, type CompactionSummary } from '../../../lambda/compaction/run';

const DAY = {
  day: '2026-03-05',
  runId: '20260306T030000Z-0000000a',
  objectsBefore: 3,
  objectsAfter: 1,
  bytesBefore: 300,
  bytesAfter: 200,
  rowsBefore: 9,
  rows: 7,
  duplicatesRemoved: 2,
};
const SUMMARY: CompactionSummary = {
  recovered: [{ day: '2026-03-04', runId: '20260305T030000Z-0000000b', state: 'published', action: 'finished' }],
  compacted: [DAY],
  alreadyCompacted: 4,
  archived: [],
  deferred: [],
  failed: [{ day: '2026-03-06', code: 'VERIFICATION_FAILED', message: 'nothing was published' }],
  foreign: [],
  totals: totalsOf([DAY]),
};

describe('compaction report', () => {
  it('says in one line what the run did', () => {
    expect(compactionLine(SUMMARY)).toBe(
      'compacted 1 partition: 3 objects → 1, 9 rows → 7 (2 duplicates removed); 4 already compacted, ' +
        '1 interrupted compactions finished or discarded, 1 failed',
    );
    expect(
      compactionLine({
        ...SUMMARY,
        compacted: [],
        recovered: [],
        failed: [],
        alreadyCompacted: 0,
        totals: { ...SUMMARY.totals, partitions: 0 },
      }),
    ).toBe('nothing to compact');
  });

  it('lists each partition, what was recovered and what failed', () => {
    const text = renderCompaction(SUMMARY);
    expect(text).toContain(
      '2026-03-05               3              1            9     7                   2          200',
    );
    expect(text).toContain('recovered 2026-03-04: run 20260305T030000Z-0000000b found published, finished');
    expect(text).toContain('failed 2026-03-06: VERIFICATION_FAILED: nothing was published');
  });

  it('flattens the totals into the JSON summary beside the days', () => {
    expect(compactionJson(SUMMARY)).toMatchObject({
      partitions: 1,
      objectsBefore: 3,
      objectsAfter: 1,
      rows: 7,
      duplicatesRemoved: 2,
      days: [DAY],
      failed: SUMMARY.failed,
    });
  });
});
