import type { FirehoseTransformationEvent, FirehoseTransformationResult } from 'aws-lambda';
import { createObservability } from '../shared/observability';
import { readTransformConfig } from './config';
import { createSecretsManagerClient, SecretsManagerKeyProvider } from './pii/adapters/secrets-manager-key-provider';
import { readPiiSettings } from './pii/pii-policy';
import { loadOnce } from './pii/pseudonym-key';
import { createTransform } from './transform';

/**
 * Firehose transform Lambda: accepted envelopes → lake rows, everything else → the error prefix. Its environment is
 * read once, at cold start (a missing value fails every invocation, as a deployment error): PROJECTION_START_YEAR,
 * what to do with personal values (PII_MODE, PII_ATTRIBUTE_KEYS) and where the pseudonym key is (PII_KEY_SECRET_ID,
 * PII_KEY_VERSION); the key itself is read once per container, on the first invocation.
 */
const { projectionStartYear } = readTransformConfig(process.env);
const pii = readPiiSettings(process.env);
const { logger, metrics } = createObservability('ctr-lake-transform');

export const handler: (event: FirehoseTransformationEvent) => Promise<FirehoseTransformationResult> = createTransform({
  logger,
  metrics,
  projectionStartYear,
  pii: {
    policy: pii.policy,
    ...(pii.key
      ? {
          keys: loadOnce(new SecretsManagerKeyProvider(createSecretsManagerClient(), pii.key.secretId)),
          expectedKeyVersion: pii.key.expectedVersion,
        }
      : {}),
  },
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
