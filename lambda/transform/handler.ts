import type { FirehoseTransformationEvent, FirehoseTransformationResult } from 'aws-lambda';
import { createObservability } from '../shared/observability';
import { readTransformConfig } from './config';
import { createTransform } from './transform';

/**
 * Firehose transform Lambda: accepted envelopes → lake rows, everything else → the error prefix. Its environment
 * (PROJECTION_START_YEAR) is read once, at cold start: a missing value fails every invocation, as a deployment error.
 */
const { projectionStartYear } = readTransformConfig(process.env);
const { logger, metrics } = createObservability('ctr-lake-transform');

export const handler: (event: FirehoseTransformationEvent) => Promise<FirehoseTransformationResult> = createTransform({
  logger,
  metrics,
  projectionStartYear,
});

export { createTransform, type TransformDependencies } from './transform';
export { readTransformConfig, type TransformConfig } from './config';
export {
  transformRecords,
  type TransformOptions,
  type TransformFailure,
  type TransformFailureReason,
  type TransformReport,
} from './transform-records';
export { toLakeRow, partitionOf, type LakeRowWithPartition } from './to-lake-row';
export { parseEnvelope } from './parse-envelope';
