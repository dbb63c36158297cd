import { randomBytes } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { DEFAULT_TARGET_OBJECT_BYTES, DEFAULT_TRANSFER_CONCURRENCY } from '../../lambda/compaction/context';
import { DuckDbRewriter } from '../../lambda/compaction/duckdb-rewriter';
import { runCompaction, type CompactionSummary } from '../../lambda/compaction/run';
import type { CompactionStep } from '../../lambda/compaction/steps';
import type { DuckDbOptions } from '../../lambda/shared/duckdb/open-duckdb';
import type { LakeFormat } from '../../lambda/shared/lake-format';
import { DirectoryObjectStore } from './directory-object-store';
import { stateDir } from './lake-writer';

export interface LocalCompactionOptions {
  readonly lakeDir: string;
  readonly format: LakeFormat;
  /** First and last day to compact (`YYYY-MM-DD`, inclusive). @default every day */
  readonly from?: string;
  readonly to?: string;
  /** @default DEFAULT_TARGET_OBJECT_BYTES (256 MiB) */
  readonly targetObjectBytes?: number;
  /** DuckDB's memory limit and threads, e.g. the Lambda's to measure what it needs. @default DuckDB's defaults */
  readonly duckDb?: Pick<DuckDbOptions, 'memoryLimit' | 'threads'>;
  /** Called after each step of each partition (crash tests). */
  readonly onStep?: (step: CompactionStep, day: string) => void | Promise<void>;
}

/**
 * The compaction job on a local lake directory: the same core (lambda/compaction/run.ts) and DuckDB engine as the
 * Lambda, with the lake directory standing in for the bucket. Downloads, outputs and DuckDB's spill files go under
 * `<lake>/.state/`. No partition size limit: the Lambda's comes from its /tmp, which a local disk does not share.
 */
export async function compactLocalLake(options: LocalCompactionOptions): Promise<CompactionSummary> {
  const workDir = join(stateDir(options.lakeDir), 'compaction');
  await mkdir(workDir, { recursive: true });
  const engine = new DuckDbRewriter({ ...options.duckDb, tempDirectory: join(workDir, 'duckdb') });
  try {
    return await runCompaction(
      {
        store: new DirectoryObjectStore(options.lakeDir),
        engine,
        format: options.format,
        workDir,
        targetObjectBytes: options.targetObjectBytes ?? DEFAULT_TARGET_OBJECT_BYTES,
        transferConcurrency: DEFAULT_TRANSFER_CONCURRENCY,
        now: () => new Date(),
        randomHex8: () => randomBytes(4).toString('hex'),
        ...(options.onStep ? { onStep: options.onStep } : {}),
      },
      {
        ...(options.from !== undefined ? { from: options.from } : {}),
        ...(options.to !== undefined ? { to: options.to } : {}),
        maxPartitionBytes: Number.MAX_SAFE_INTEGER,
      },
    );
  } finally {
    await engine.close();
  }
}
