import type { FirehoseTransformationEvent, FirehoseTransformationResult } from 'aws-lambda';
import { createObservability } from '../shared/observability';
import { createSecretsManagerClient, SecretsManagerKeyProvider } from './pii/adapters/secrets-manager-key-provider';
import { readPiiSettings } from './pii/pii-policy';
import { loadOnce } from './pii/pseudonym-key';
import { createTransform } from './transform';

/**
 * Firehose transform Lambda: accepted envelopes → lake rows, everything else → the error prefix. The environment
 * says what to do with personal values (PII_MODE, PII_ATTRIBUTE_KEYS) and where the pseudonym key is
 * (PII_KEY_SECRET_ID, PII_KEY_VERSION); the key is read once per container, on the first invocation.
 */
const { logger, metrics } = createObservability('ctr-lake-transform');
const pii = readPiiSettings(process.env);

export const handler: (event: FirehoseTransformationEvent) => Promise<FirehoseTransformationResult> = createTransform({
  logger,
  metrics,
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
export {
  transformRecords,
  type TransformFailure,
  type TransformFailureReason,
  type TransformReport,
} from './transform-records';
export { toLakeRow, partitionOf, type LakeRowWithPartition } from './to-lake-row';
export { parseEnvelope } from './parse-envelope';
