import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  LIFECYCLE_MINIMUM_BYTES,
  measureCompaction,
  type CompactionBenchFigures,
} from '../../../../rigs/bench/compaction-bench';

describe('measureCompaction', () => {
  let workDir: string;
  let figures: CompactionBenchFigures;

  beforeAll(async () => {
    workDir = await mkdtemp(join(tmpdir(), 'compaction-bench-'));
    figures = await measureCompaction({
      workDir,
      seed: 11,
      lake: { ctrs: 900, days: 3 },
      perDay: [400],
      transformBatchRecords: 100,
      flushSeconds: 60,
      duckDbMemoryMb: 512,
    });
  });

  afterAll(async () => {
    await rm(workDir, { recursive: true, force: true });
  });

  it('lays a day out as Firehose flushes it and leaves one object with the same answers after the compaction', () => {
    const { lake } = figures;
    expect(lake.days).toBe(3);
    expect(lake.objectsPerDayBefore.min).toBeGreaterThan(50);
    expect(lake.objectsPerDayBefore.min).toBeLessThanOrEqual(lake.objectsPerDayBefore.median);
    expect(lake.objectsPerDayAfter).toEqual({ median: 1, min: 1, max: 1 });
    expect(lake.oneDay.before.objects).toBe(lake.objectsPerDayBefore.median);
    expect(lake.oneDay.after.objects).toBe(1);
    expect(lake.oneDay.after).toMatchObject({ counted: lake.oneDay.before.counted, calls: lake.oneDay.before.calls });
    expect(lake.oneDay.after.bytes).toBeLessThan(lake.oneDay.before.bytes);
    expect(lake.oneDay.after.footerBytes).toBeLessThan(lake.oneDay.before.footerBytes);
  });

  it('reports the smallest object a compacted day keeps, the run time and memory, and cleans up', async () => {
    const [day] = figures.perDay;
    expect(day).toMatchObject({ ctrsPerDay: 400, objectsAfter: 1 });
    expect(day!.smallestObjectBytes).toBe(day!.largestObjectBytes);
    expect(day!.clearsLifecycleMinimum).toBe(day!.smallestObjectBytes >= LIFECYCLE_MINIMUM_BYTES);
    expect(day!.objectsBefore).toBeGreaterThan(1);
    expect(day!.compactionMs).toBeGreaterThan(0);
    expect(day!.peakRssMb).toBeGreaterThan(0);
    expect((await readdir(workDir)).filter((name) => name.startsWith('compaction-'))).toEqual([]);
  });
});
