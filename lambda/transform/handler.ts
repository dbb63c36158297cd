import type { FirehoseTransformationEvent, FirehoseTransformationResult } from 'aws-lambda';
import { createObservability } from '../shared/observability';
import { createTransform } from './transform';

/** Firehose transform Lambda: accepted envelopes → lake rows, everything else → the error prefix. No environment. */
const { logger, metrics } = createObservability('ctr-lake-transform');

export const handler: (event: FirehoseTransformationEvent) => Promise<FirehoseTransformationResult> = createTransform({
  logger,
  metrics,
});

export { createTransform, type TransformDependencies } from './transform';
export {
  transformRecords,
  type TransformFailure,
  type TransformFailureReason,
  type TransformReport,
} from './transform-records';
export { toLakeRow, partitionOf, type LakeRowWithPartition } from './to-lake-row';
export { parseEnvelope } from './parse-envelope';
