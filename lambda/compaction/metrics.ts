/**
 * The compaction function's metrics (namespace CtrLake, dimension service = `<stage>-compaction`): a contract with the
 * dashboard widget and the alarm in lib/constructs/ctr-monitoring.ts.
 */
export const CompactionMetric = {
  /** Partitions compacted in a run. */
  PartitionsCompacted: 'PartitionsCompacted',
  /** Objects the compacted partitions held before (Firehose's, and earlier compacted ones). */
  ObjectsCompacted: 'ObjectsCompacted',
  /** Objects they hold after. */
  ObjectsWritten: 'ObjectsWritten',
  /** Raw-file duplicates removed: rows beyond one per fingerprint. */
  DuplicatesRemoved: 'DuplicatesRemoved',
  /** Partitions that could not be compacted (left as they were); the run then fails, which the alarm watches. */
  PartitionsFailed: 'PartitionsFailed',
  /** Partitions left for the next scheduled run because the time budget ran out. */
  PartitionsDeferred: 'PartitionsDeferred',
  /** Compactions an earlier run left in flight, finished or discarded. */
  CompactionsRecovered: 'CompactionsRecovered',
} as const;

export type CompactionMetricName = (typeof CompactionMetric)[keyof typeof CompactionMetric];
