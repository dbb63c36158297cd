import { S3Client } from '@aws-sdk/client-s3';
import type { Context } from 'aws-lambda';
import { randomBytes } from 'node:crypto';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { createObservability, MetricUnit } from '../shared/observability';
import { CtrLakeError } from '../shared/errors';
import { S3ObjectStore } from './adapters/s3-object-store';
import { readCompactionConfig } from './config';
import { DEFAULT_TRANSFER_CONCURRENCY } from './context';
import { DuckDbRewriter } from './duckdb-rewriter';
import { CompactionMetric } from './metrics';
import { dayOf, isDay } from './partition';
import type { ObjectStore, RewriteEngine } from './ports';
import { runCompaction, type CompactionSummary } from './run';
import { PLANNING_BYTES_PER_SECOND, SAFETY_MARGIN_MS } from './time-budget';

/**
 * What the schedule sends (`{}` or anything else is a normal nightly run). A manual invocation may name a range:
 * `{ "from": "2026-03-01", "to": "2026-03-05" }`, which also lifts the "not today" bound.
 */
export interface CompactionEvent {
  readonly from?: string;
  readonly to?: string;
}

/** A run that left partitions uncompacted (each left as it was): the function fails so that the alarm fires. */
export class CompactionRunError extends CtrLakeError {
  readonly code = 'COMPACTION_RUN_FAILED';
}

export interface CompactionHandlerOptions {
  /** @default process.env */
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly s3?: S3Client;
  readonly store?: ObjectStore;
  readonly engine?: RewriteEngine & { close?: () => Promise<void> };
  readonly now?: () => Date;
}

export type CompactionHandler = (
  event: CompactionEvent | null | undefined,
  context: Context,
) => Promise<CompactionSummary>;

/**
 * Builds the nightly compaction job: env once, the S3 adapter and the DuckDB engine once per container, then per
 * invocation the shared core (run.ts) over the days before today (UTC), within the time left.
 */
export function createCompactionHandler(options: CompactionHandlerOptions = {}): CompactionHandler {
  const config = readCompactionConfig(options.env ?? process.env);
  const { logger, metrics } = createObservability('ctr-compaction');
  const store = options.store ?? new S3ObjectStore(config.bucketName, options.s3 ?? new S3Client({}));
  const now = options.now ?? (() => new Date());

  return async (event, context) => {
    const range = readRange(event);
    // One invocation at a time per execution environment: whatever is under the work directory was left by one
    // that timed out (/tmp outlives it), and would eat the room this run needs.
    await rm(config.workDir, { recursive: true, force: true });
    const workDir = join(config.workDir, context.awsRequestId);
    await mkdir(workDir, { recursive: true });
    const engine =
      options.engine ??
      new DuckDbRewriter({ tempDirectory: join(workDir, 'duckdb'), memoryLimit: `${config.duckDbMemoryMb}MB` });
    try {
      const summary = await runCompaction(
        {
          store,
          engine,
          format: config.format,
          workDir,
          targetObjectBytes: config.targetObjectBytes,
          transferConcurrency: DEFAULT_TRANSFER_CONCURRENCY,
          now,
          randomHex8: () => randomBytes(4).toString('hex'),
        },
        {
          ...range,
          // The schedule's run leaves today alone: Firehose is still filling its partition.
          ...(range.from === undefined && range.to === undefined ? { before: dayOf(now()) } : {}),
          maxPartitionBytes: config.maxPartitionBytes,
          mayStart: (bytes) =>
            context.getRemainingTimeInMillis() > SAFETY_MARGIN_MS + (bytes / PLANNING_BYTES_PER_SECOND) * 1000,
        },
      );
      report(summary);
      if (summary.failed.length > 0) {
        throw new CompactionRunError(
          `${summary.failed.length} partitions were not compacted (each is left as it was): ` +
            summary.failed.map((f) => `${f.day} ${f.code}`).join(', '),
        );
      }
      return summary;
    } finally {
      metrics.publishStoredMetrics();
      if (!options.engine) await (engine as DuckDbRewriter).close();
      await rm(workDir, { recursive: true, force: true });
    }
  };

  function report(summary: CompactionSummary): void {
    const t = summary.totals;
    metrics.addMetric(CompactionMetric.PartitionsCompacted, MetricUnit.Count, t.partitions);
    metrics.addMetric(CompactionMetric.ObjectsCompacted, MetricUnit.Count, t.objectsBefore);
    metrics.addMetric(CompactionMetric.ObjectsWritten, MetricUnit.Count, t.objectsAfter);
    metrics.addMetric(CompactionMetric.DuplicatesRemoved, MetricUnit.Count, t.duplicatesRemoved);
    metrics.addMetric(CompactionMetric.PartitionsFailed, MetricUnit.Count, summary.failed.length);
    metrics.addMetric(CompactionMetric.PartitionsDeferred, MetricUnit.Count, summary.deferred.length);
    metrics.addMetric(CompactionMetric.CompactionsRecovered, MetricUnit.Count, summary.recovered.length);
    for (const outcome of summary.compacted) logger.info('partition compacted', { ...outcome });
    for (const recovered of summary.recovered) logger.warn('interrupted compaction recovered', { ...recovered });
    for (const failure of summary.failed) logger.error('partition not compacted', { ...failure });
    if (summary.archived.length > 0)
      logger.warn('partitions with archived objects skipped', { days: summary.archived });
    if (summary.deferred.length > 0) logger.warn('partitions deferred to the next run', { days: summary.deferred });
    if (summary.foreign.length > 0)
      logger.warn('objects outside day partitions left alone', { count: summary.foreign.length });
    logger.info('compaction run', { ...t, alreadyCompacted: summary.alreadyCompacted });
  }
}

function readRange(event: CompactionEvent | null | undefined): { from?: string; to?: string } {
  const range: { from?: string; to?: string } = {};
  for (const bound of ['from', 'to'] as const) {
    const value: unknown = event?.[bound];
    if (value === undefined) continue;
    if (typeof value !== 'string' || !isDay(value)) {
      throw new CompactionRunError(`event.${bound} must be a day as YYYY-MM-DD, received ${JSON.stringify(value)}`);
    }
    range[bound] = value;
  }
  return range;
}

let instance: CompactionHandler | undefined;

/** The Lambda entry point, invoked by the EventBridge Scheduler schedule (or by hand with a day range). */
export const handler: CompactionHandler = (event, context) => {
  instance ??= createCompactionHandler();
  return instance(event, context);
};
