import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Context } from 'aws-lambda';
import { readCompactionConfig } from '../../../lambda/compaction/config';
import { CompactionRunError, createCompactionHandler } from '../../../lambda/compaction/handler';
import { PLANNING_BYTES_PER_SECOND, SAFETY_MARGIN_MS } from '../../../lambda/compaction/time-budget';
import { partitionOfDay } from '../../../lambda/compaction/partition';
import { ConfigurationError } from '../../../lambda/shared/errors';
import { FakeRewriteEngine, toyFile } from '../../support/fake-rewrite-engine';
import { temporaryDir } from '../../support/lake-fixture';
import { MemoryObjectStore } from '../../support/memory-object-store';
import { captureStdout } from '../../support/captured-stdout';

const NOW = new Date('2026-03-06T03:00:00Z');
let work: { dir: string; remove: () => Promise<void> };

beforeEach(async () => {
  work = await temporaryDir('compaction-handler');
});
afterEach(async () => {
  await work.remove();
});

function lambdaContext(remainingMs = 14 * 60_000): Context {
  return { awsRequestId: 'req-1', getRemainingTimeInMillis: () => remainingMs } as unknown as Context;
}

function setup(): { store: MemoryObjectStore; engine: FakeRewriteEngine; env: Record<string, string> } {
  const store = new MemoryObjectStore();
  for (const day of ['2026-03-04', '2026-03-05', '2026-03-06']) {
    store.objects.set(`${partitionOfDay(day).prefix}ctr-lake-1-x.parquet`, toyFile([{ fingerprint: day }]));
  }
  const env = {
    LAKE_BUCKET_NAME: 'lake',
    LAKE_FORMAT: 'parquet',
    MAX_PARTITION_BYTES: '1000000',
    COMPACTION_WORK_DIR: work.dir,
    POWERTOOLS_METRICS_NAMESPACE: 'CtrLake',
  };
  return { store, engine: new FakeRewriteEngine(), env };
}

describe('compaction handler', () => {
  it('compacts every day before today (UTC) and publishes its metrics', async () => {
    // Arrange
    const { store, engine, env } = setup();
    const stdout = captureStdout();

    try {
      // Act
      const summary = await createCompactionHandler({ env, store, engine, now: () => NOW })({}, lambdaContext());

      // Assert
      expect(summary.compacted.map((o) => o.day)).toEqual(['2026-03-04', '2026-03-05']);
      expect(store.keys('ctr/year=2026/month=03/day=06/')).toEqual([
        'ctr/year=2026/month=03/day=06/ctr-lake-1-x.parquet',
      ]);
      const emf = stdout
        .text()
        .split('\n')
        .filter((line) => line.includes('"_aws"'))
        .map((line) => JSON.parse(line) as Record<string, unknown>);
      expect(emf).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ PartitionsCompacted: 2, ObjectsCompacted: 2, ObjectsWritten: 2 }),
        ]),
      );
    } finally {
      stdout.restore();
    }
  });

  it('clears what an earlier invocation left in its work directory (a timeout leaves /tmp behind)', async () => {
    const { store, engine, env } = setup();
    const leftover = join(work.dir, 'req-0', 'in-000000.parquet');
    await mkdir(dirname(leftover), { recursive: true });
    await writeFile(leftover, Buffer.alloc(1000));
    const stdout = captureStdout();
    try {
      await createCompactionHandler({ env, store, engine, now: () => NOW })({}, lambdaContext());
      expect(existsSync(leftover)).toBe(false);
    } finally {
      stdout.restore();
    }
  });

  it('takes a day range from a manual invocation, today included', async () => {
    const { store, engine, env } = setup();
    const stdout = captureStdout();
    try {
      const summary = await createCompactionHandler({ env, store, engine, now: () => NOW })(
        { from: '2026-03-05', to: '2026-03-06' },
        lambdaContext(),
      );
      expect(summary.compacted.map((o) => o.day)).toEqual(['2026-03-05', '2026-03-06']);
      await expect(
        createCompactionHandler({ env, store, engine })({ from: 'monday' }, lambdaContext()),
      ).rejects.toThrow('event.from must be a day as YYYY-MM-DD, received "monday"');
    } finally {
      stdout.restore();
    }
  });

  it('defers what cannot finish before the timeout', async () => {
    const { store, engine, env } = setup();
    const stdout = captureStdout();
    try {
      const summary = await createCompactionHandler({ env, store, engine, now: () => NOW })(
        {},
        lambdaContext(SAFETY_MARGIN_MS + (10 / PLANNING_BYTES_PER_SECOND) * 1000),
      );
      expect(summary.compacted).toEqual([]);
      expect(summary.deferred).toEqual(['2026-03-04', '2026-03-05']);
    } finally {
      stdout.restore();
    }
  });

  it('fails the invocation (for the alarm) when a partition could not be compacted, after compacting the rest', async () => {
    // Arrange
    const { store, engine, env } = setup();
    store.objects.set(`${partitionOfDay('2026-03-03').prefix}big.parquet`, Buffer.alloc(2_000_000));
    const stdout = captureStdout();

    try {
      // Act
      const run = createCompactionHandler({ env, store, engine, now: () => NOW })({}, lambdaContext());

      // Assert
      await expect(run).rejects.toThrow(CompactionRunError);
      await expect(run).rejects.toThrow(
        '1 partitions were not compacted (each is left as it was): 2026-03-03 PARTITION_TOO_LARGE',
      );
      expect(store.keys('ctr/year=2026/month=03/day=04/')[0]).toMatch(/compacted-/);
    } finally {
      stdout.restore();
    }
  });
});

describe('readCompactionConfig', () => {
  it('reads the bucket, format and limits, with DuckDB given half the function memory by default', () => {
    expect(
      readCompactionConfig({
        LAKE_BUCKET_NAME: 'b',
        LAKE_FORMAT: 'json',
        MAX_PARTITION_BYTES: '4096',
        AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '3008',
      }),
    ).toEqual({
      bucketName: 'b',
      format: 'json',
      workDir: '/tmp/compaction',
      maxPartitionBytes: 4096,
      targetObjectBytes: 256 * 1024 * 1024,
      duckDbMemoryMb: 1504,
    });
  });

  it("refuses a work directory that is not the job's own (it is emptied at each invocation)", () => {
    for (const dir of ['/', '/tmp']) {
      expect(() =>
        readCompactionConfig({
          LAKE_BUCKET_NAME: 'b',
          LAKE_FORMAT: 'json',
          MAX_PARTITION_BYTES: '1',
          COMPACTION_WORK_DIR: dir,
        }),
      ).toThrow(`COMPACTION_WORK_DIR must be a directory of its own, not ${dir}`);
    }
  });

  it('reports every problem at once', () => {
    expect(() => readCompactionConfig({ LAKE_FORMAT: 'csv', MAX_PARTITION_BYTES: '-1' })).toThrow(
      new ConfigurationError(
        'invalid compaction configuration: LAKE_BUCKET_NAME is required; LAKE_FORMAT must be one of parquet, json, ' +
          'received "csv"; MAX_PARTITION_BYTES must be a positive integer, received "-1"',
      ),
    );
  });
});
