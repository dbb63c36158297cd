import { LAKE_DATA_PREFIX } from '../shared/row-schema';
import { compactPartition, type PartitionOutcome } from './compact-partition';
import { MANIFEST_PREFIX, isManifestKey } from './compaction-names';
import type { CompactionContext } from './context';
import { CompactionError } from './errors';
import { groupByPartition, needsCompaction, type PartitionListing } from './plan';
import { recoverManifest, type RecoveryOutcome } from './recover';

export interface CompactionRunOptions {
  /** First day to compact, `YYYY-MM-DD`, inclusive. @default no lower bound */
  readonly from?: string;
  /** Last day to compact, inclusive. @default no upper bound */
  readonly to?: string;
  /**
   * Compact only days before this one. The scheduled job passes the current UTC day, whose partition Firehose is
   * still filling. @default no bound
   */
  readonly before?: string;
  /** A partition whose objects add up to more is refused (PARTITION_TOO_LARGE) before anything is read. */
  readonly maxPartitionBytes: number;
  /**
   * Asked before each partition with its size: false defers it, and every later one, to the next run (the Lambda's
   * time budget). @default always true
   */
  readonly mayStart?: (bytes: number) => boolean;
}

export interface CompactionFailure {
  readonly day: string;
  readonly code: string;
  readonly message: string;
}

export interface CompactionSummary {
  /** Compactions earlier runs left in flight, finished or discarded first. */
  readonly recovered: readonly RecoveryOutcome[];
  readonly compacted: readonly PartitionOutcome[];
  /** Partitions in range that needed nothing (already compacted, no late arrival). */
  readonly alreadyCompacted: number;
  /** Partitions holding archived objects (Glacier Flexible Retrieval, Deep Archive): not compacted. */
  readonly archived: readonly string[];
  /** Partitions left for the next run because the time budget ran out. */
  readonly deferred: readonly string[];
  readonly failed: readonly CompactionFailure[];
  /** Keys under the table location outside any day partition: left alone. */
  readonly foreign: readonly string[];
  readonly totals: CompactionTotals;
}

/** The partitions compacted, and their outcomes summed. */
export type CompactionTotals = { readonly partitions: number } & Omit<PartitionOutcome, 'day' | 'runId'>;

/**
 * One compaction run over the lake, the same in the Lambda job and locally:
 * 1. finish or discard every compaction an earlier run left in flight (its manifest), whatever the day range;
 * 2. list the table location and pick the partitions in range that received objects since their last compaction
 *    (plan.ts): a late arrival makes its day's partition need compaction again;
 * 3. compact them one at a time, oldest first. A partition that fails is reported and left as it was (its
 *    originals are only deleted after its outputs are published); the others go on.
 */
export async function runCompaction(
  context: CompactionContext,
  options: CompactionRunOptions,
): Promise<CompactionSummary> {
  const recovered: RecoveryOutcome[] = [];
  const failed: CompactionFailure[] = [];
  const manifests = (await context.store.list(MANIFEST_PREFIX)).filter((object) => isManifestKey(object.key));
  for (const { key } of manifests) {
    try {
      const outcome = await recoverManifest(key, context);
      if (outcome) recovered.push(outcome);
    } catch (error) {
      failed.push(failure(key, error));
    }
  }
  // A partition whose manifest could not be dealt with is not touched again in this run.
  const blocked = new Set(failed.map((f) => f.day));

  const listing = groupByPartition(await context.store.list(LAKE_DATA_PREFIX));
  const inRange = listing.partitions.filter(({ partition: { day } }) => isInRange(day, options));
  const compacted: PartitionOutcome[] = [];
  const archived: string[] = [];
  const deferred: string[] = [];
  let alreadyCompacted = 0;
  for (const partition of inRange) {
    const { day } = partition.partition;
    if (blocked.has(day)) continue;
    if (!needsCompaction(partition)) {
      alreadyCompacted += 1;
      continue;
    }
    if (partition.objects.some((object) => object.archived)) {
      archived.push(day);
      continue;
    }
    if (partition.bytes > options.maxPartitionBytes) {
      failed.push(tooLarge(partition, options.maxPartitionBytes));
      continue;
    }
    if (deferred.length > 0 || !(options.mayStart?.(partition.bytes) ?? true)) {
      deferred.push(day);
      continue;
    }
    try {
      compacted.push(await compactPartition(partition, context));
    } catch (error) {
      failed.push(failure(day, error));
    }
  }
  return {
    recovered,
    compacted,
    alreadyCompacted,
    archived,
    deferred,
    failed,
    foreign: listing.foreign,
    totals: totalsOf(compacted),
  };
}

function isInRange(day: string, options: CompactionRunOptions): boolean {
  return (
    (options.from === undefined || day >= options.from) &&
    (options.to === undefined || day <= options.to) &&
    (options.before === undefined || day < options.before)
  );
}

function tooLarge(partition: PartitionListing, max: number): CompactionFailure {
  const error = new CompactionError(
    'PARTITION_TOO_LARGE',
    `${partition.partition.day}: ${partition.bytes} bytes in ${partition.objects.length} objects, more than the ` +
      `${max} bytes the job can rewrite; left as it is`,
  );
  return failure(partition.partition.day, error);
}

function failure(dayOrKey: string, error: unknown): CompactionFailure {
  const day = /year=(\d{4})\/month=(\d{2})\/day=(\d{2})/.exec(dayOrKey);
  return {
    day: day ? `${day[1]}-${day[2]}-${day[3]}` : dayOrKey,
    code: error instanceof CompactionError ? error.code : error instanceof Error ? error.name : 'Error',
    message: error instanceof Error ? error.message : String(error),
  };
}

export function totalsOf(outcomes: readonly PartitionOutcome[]): CompactionTotals {
  const sum = (pick: (outcome: PartitionOutcome) => number): number =>
    outcomes.reduce((total, outcome) => total + pick(outcome), 0);
  return {
    partitions: outcomes.length,
    objectsBefore: sum((o) => o.objectsBefore),
    objectsAfter: sum((o) => o.objectsAfter),
    bytesBefore: sum((o) => o.bytesBefore),
    bytesAfter: sum((o) => o.bytesAfter),
    rowsBefore: sum((o) => o.rowsBefore),
    rows: sum((o) => o.rows),
    duplicatesRemoved: sum((o) => o.duplicatesRemoved),
  };
}
