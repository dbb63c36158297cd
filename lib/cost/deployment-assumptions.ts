import type { CtrLakeConfig } from '../config/ctr-lake-config';
import { QUERY_NAMES } from '../queries/sample-queries';
import type { CostAssumptions } from './cost-model';

/** The transform Lambda's memory and Firehose's Lambda processor buffer, as lib/constructs/ctr-delivery-stream.ts sets them. */
export const TRANSFORM_MEMORY_MB = 512;
export const TRANSFORM_BUFFER_BYTES = 1024 * 1024;

/** The named queries a contact center runs each day: all but the view's definition (ctr_latest). */
export const NAMED_QUERIES_PER_DAY = QUERY_NAMES.filter((name) => name !== 'ctr_latest').length;

/** The cost model's assumptions for a deployment configured as `config`, at a volume: the bench's and `npm run cost`'s. */
export function costAssumptionsOf(config: CtrLakeConfig, ctrsPerDay: number): CostAssumptions {
  return {
    ctrsPerDay,
    checkerBatchSize: config.checker.batchSize,
    checkerMemoryMb: config.checker.memoryMb,
    transformMemoryMb: TRANSFORM_MEMORY_MB,
    transformBufferBytes: TRANSFORM_BUFFER_BYTES,
    firehoseBufferSeconds: config.firehoseBufferSeconds,
    firehoseBufferBytes: config.firehoseBufferMb * 1024 * 1024,
    namedQueriesPerDay: NAMED_QUERIES_PER_DAY,
  };
}
