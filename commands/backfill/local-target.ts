import { readdir, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { LAKE_DATA_PREFIX, PARTITION_KEYS } from '../../lambda/shared/row-schema';
import { ROW_OBJECT_EXTENSION } from '../../local-aws/lake/lake-format';
import { sqlString } from '../../local-aws/lake/sql';
import { LocalPipeline } from '../../local-aws/pipeline/local-pipeline';
import type { StackSettings } from '../../local-aws/pipeline/stack-settings';
import { LakeQueryRunner } from '../../local-aws/query/lake-query-runner';
import { LakeFingerprints, type LakeDay } from './lake-fingerprints';
import type { BackfillTarget } from './run-backfill';

/**
 * Records sent between two checkpoints of a local backfill. Each checkpoint drains the local stream into the lake
 * (the local stream does not outlive the run, so only what reached the lake is safe to checkpoint), which writes an
 * object per day touched: often enough to lose little to a crash, seldom enough to keep objects few.
 */
export const LOCAL_SETTLE_EVERY = 5_000;

/** The local pipeline on a lake directory, as a backfill target, with what it did. */
export interface LocalTarget extends BackfillTarget {
  readonly pipeline: LocalPipeline;
  /** Rows the lake holds now. */
  rows(): Promise<number>;
  close(): Promise<void>;
}

/**
 * Starts the local pipeline (the real handlers on local servers, configured like the stack) in front of `lakeDir`;
 * the lake check asks DuckDB, one partition-filtered query per day, and estimates what Athena would have read for it.
 */
export async function openLocalTarget(
  lakeDir: string,
  settings: StackSettings,
  options: { readonly settleEvery?: number } = {},
): Promise<LocalTarget> {
  const lake = resolve(lakeDir);
  const pipeline = await LocalPipeline.start({
    lakeDir: lake,
    format: settings.format,
    shardCount: settings.shardCount,
    batchSize: settings.batchSize,
    maximumRetryAttempts: settings.maximumRetryAttempts,
    dedupTtlHours: settings.dedupTtlHours,
    dedupKeyStrategy: settings.dedupKeyStrategy,
  });
  let runner: LakeQueryRunner;
  try {
    runner = await LakeQueryRunner.open({ lakeDir: lake });
  } catch (error) {
    await pipeline.stop();
    throw error;
  }
  const fingerprints = new LakeFingerprints(async (sql, day) => {
    await runner.refresh(); // objects the run's own checkpoints wrote
    const { rows } = await runner.query(sql);
    return {
      fingerprints: rows.map((row) => String(row.fingerprint)),
      bytesScanned: await athenaBytesOf(runner, lake, day, settings.format),
    };
  }, 'ctr');
  return {
    id: `lake ${lake}`,
    publisher: pipeline.streamPublisher(),
    lake: fingerprints,
    settleEvery: options.settleEvery ?? LOCAL_SETTLE_EVERY,
    pipeline,
    settle: async () => {
      await pipeline.drain();
      await pipeline.flush();
    },
    rows: async () => {
      await runner.refresh();
      return runner.rowCount();
    },
    close: async () => {
      runner.close();
      await pipeline.stop();
    },
  };
}

/**
 * What Athena would read for a day's fingerprint query on this lake: in Parquet, the compressed `fingerprint` column
 * chunks of that day's objects (Athena reads only the columns a query names, from the partition's objects only); in
 * GZIP JSON, the day's objects whole. Before Athena's 10 MB minimum per query.
 */
async function athenaBytesOf(
  runner: LakeQueryRunner,
  lake: string,
  day: LakeDay,
  format: StackSettings['format'],
): Promise<number> {
  const dir = join(lake, LAKE_DATA_PREFIX, ...PARTITION_KEYS.map((key) => `${key.name}=${day[key.name]}`));
  let names: string[];
  try {
    names = (await readdir(dir)).filter((name) => name.endsWith(ROW_OBJECT_EXTENSION[format]));
  } catch {
    return 0;
  }
  if (names.length === 0) return 0;
  if (format === 'json') {
    const sizes = await Promise.all(names.map(async (name) => (await stat(join(dir, name))).size));
    return sizes.reduce((sum, size) => sum + size, 0);
  }
  const glob = sqlString(join(dir, `*${ROW_OBJECT_EXTENSION.parquet}`));
  const { rows } = await runner.query(
    `SELECT coalesce(sum(total_compressed_size), 0) AS bytes FROM parquet_metadata(${glob}) ` +
      `WHERE path_in_schema = 'fingerprint'`,
  );
  return Number(rows[0]?.bytes ?? 0);
}
