import type { FirehoseTransformationEvent, FirehoseTransformationResult } from 'aws-lambda';
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient, type AwsClientStub } from 'aws-sdk-client-mock';
import { createSecretKey } from 'node:crypto';
import type { LakeRow } from '../../../lambda/shared/row-schema';
import { pseudonymOf } from '../../../lambda/transform/pii/pseudonym';
import { PseudonymKeyError } from '../../../lambda/transform/pii/pseudonym-key';
import { ConfigurationError } from '../../../lambda/shared/errors';
import { MetricName, MetricUnit } from '../../../lambda/shared/observability';
import { createTransform } from '../../../lambda/transform/transform';
import {
  aCtr,
  anAcceptedEnvelope,
  aQuarantinedEnvelope,
  aVoiceCtr,
  firehoseTransformationEvent,
} from '../../support/ctr-factory';
import { silentObservability } from '../../support/silent-observability';
import { thrownBy } from '../../support/thrown';

describe('createTransform', () => {
  it('counts Transformed and Quarantined, with the reasons as a property, and publishes once', async () => {
    // Arrange
    const { logger, metrics } = silentObservability();
    const addMetric = jest.spyOn(metrics, 'addMetric');
    const addMetadata = jest.spyOn(metrics, 'addMetadata');
    const transform = createTransform({ logger, metrics });
    const event = firehoseTransformationEvent([
      anAcceptedEnvelope(aCtr()),
      anAcceptedEnvelope(aCtr()),
      aQuarantinedEnvelope('INVALID_JSON', '{'),
      aQuarantinedEnvelope('INVALID_JSON', '['),
      'garbage',
    ]);

    // Act
    await transform(event);

    // Assert
    expect(addMetric).toHaveBeenCalledWith(MetricName.Transformed, MetricUnit.Count, 2);
    expect(addMetric).toHaveBeenCalledWith(MetricName.Quarantined, MetricUnit.Count, 3);
    expect(addMetadata).toHaveBeenCalledWith(
      'quarantineReasons',
      JSON.stringify({ INVALID_JSON: 2, INVALID_ENVELOPE: 1 }),
    );
    expect(metrics.publishStoredMetrics).toHaveBeenCalledTimes(1);
  });

  it('logs each failed record with its reason and identifiers, never the CTR', async () => {
    // Arrange
    const { logger, metrics } = silentObservability();
    const warn = jest.spyOn(logger, 'warn');
    const info = jest.spyOn(logger, 'info');
    const ctr = aVoiceCtr();
    const bad = { ...ctr, InitiationTimestamp: 'not a time' };
    const transform = createTransform({ logger, metrics });

    // Act
    await transform(firehoseTransformationEvent([anAcceptedEnvelope(ctr), anAcceptedEnvelope(bad)]));

    // Assert
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn).toHaveBeenCalledWith(
      'record sent to the error prefix',
      expect.objectContaining({ reason: 'INVALID_FIELD', contactId: ctr.ContactId }),
    );
    const logged = JSON.stringify([...warn.mock.calls, ...info.mock.calls]);
    expect(logged).not.toContain(String(ctr.CustomerEndpoint?.Address));
  });
  it('logs and counts a record whose conversion threw unexpectedly, and answers the rest of the batch', async () => {
    // Arrange: null data makes decoding throw a TypeError inside the per-record work.
    const { logger, metrics } = silentObservability();
    const warn = jest.spyOn(logger, 'warn');
    const addMetadata = jest.spyOn(metrics, 'addMetadata');
    const ctr = aVoiceCtr();
    const event = firehoseTransformationEvent([anAcceptedEnvelope(ctr), 'placeholder']);
    const records = [event.records[0]!, { ...event.records[1]!, data: null as unknown as string }];
    const transform = createTransform({ logger, metrics });

    // Act
    const result = await transform({ ...event, records });

    // Assert
    expect(result.records.map((r) => r.result)).toEqual(['Ok', 'ProcessingFailed']);
    expect(warn).toHaveBeenCalledWith(
      'record sent to the error prefix',
      expect.objectContaining({ recordId: 'record-1', reason: 'UNEXPECTED_ERROR', errorName: 'TypeError' }),
    );
    expect(addMetadata).toHaveBeenCalledWith('quarantineReasons', JSON.stringify({ UNEXPECTED_ERROR: 1 }));
    expect(JSON.stringify(warn.mock.calls)).not.toContain(String(ctr.CustomerEndpoint?.Address));
  });
});

describe('createTransform with a PII policy', () => {
  const MATERIAL = 'handler-test-key-0123456789-abcdefghijklmnopqrstuvwxyz';
  const key = { version: 4, material: createSecretKey(Buffer.from(MATERIAL)) };
  const decoded = (record: FirehoseTransformationResult['records'][number]): LakeRow =>
    JSON.parse(Buffer.from(record.data!, 'base64').toString('utf8')) as LakeRow;

  it('pseudonymises each row with the key, loading it before the batch', async () => {
    // Arrange
    const { logger, metrics } = silentObservability();
    const ctr = aVoiceCtr();
    const transform = createTransform({
      logger,
      metrics,
      pii: { policy: { mode: 'pseudonymise', attributeKeys: [] }, keys: { load: async () => key } },
    });

    // Act
    const result = await transform(firehoseTransformationEvent([anAcceptedEnvelope(ctr)]));

    // Assert
    const row = decoded(result.records[0]!);
    expect(row.customer_endpoint).toBe(pseudonymOf(key.material, String(ctr.CustomerEndpoint?.Address)));
    expect(row.pii_key_version).toBe(4);
  });

  it('fails the invocation when the key cannot be read, so that Firehose retries it and no row goes out in clear', async () => {
    // Arrange
    const { logger, metrics } = silentObservability();
    const transform = createTransform({
      logger,
      metrics,
      pii: {
        policy: { mode: 'pseudonymise', attributeKeys: [] },
        keys: { load: async () => Promise.reject(new PseudonymKeyError('cannot read the pseudonym key secret s')) },
      },
    });

    // Act
    const outcome = transform(firehoseTransformationEvent([anAcceptedEnvelope(aVoiceCtr())]));

    // Assert
    await expect(outcome).rejects.toThrow(PseudonymKeyError);
  });

  it('logs the key version once per key, never the key, and warns when it is not the version configured', async () => {
    // Arrange
    const { logger, metrics } = silentObservability();
    const info = jest.spyOn(logger, 'info');
    const warn = jest.spyOn(logger, 'warn');
    const transform = createTransform({
      logger,
      metrics,
      pii: {
        policy: { mode: 'pseudonymise', attributeKeys: [] },
        keys: { load: async () => key },
        expectedKeyVersion: 5,
      },
    });

    // Act
    await transform(firehoseTransformationEvent([anAcceptedEnvelope(aVoiceCtr())]));
    await transform(firehoseTransformationEvent([anAcceptedEnvelope(aVoiceCtr())]));

    // Assert
    expect(info.mock.calls.filter(([message]) => message === 'pseudonym key loaded')).toEqual([
      ['pseudonym key loaded', { keyVersion: 4 }],
    ]);
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('another version'), {
      keyVersion: 4,
      expectedKeyVersion: 5,
    });
    expect(JSON.stringify([...info.mock.calls, ...warn.mock.calls])).not.toContain(MATERIAL.slice(0, 12));
  });
});

describe('transform handler', () => {
  type Handler = (event: FirehoseTransformationEvent) => Promise<FirehoseTransformationResult>;
  type SecretsManagerSdk = typeof import('@aws-sdk/client-secrets-manager');

  /**
   * The handler module loaded afresh (a cold start) with this environment, and a mock of the Secrets Manager client
   * of that fresh module registry (the one the handler's adapter uses).
   */
  function coldStart(env: Record<string, string>, secretString?: string) {
    const saved = { ...process.env };
    Object.assign(process.env, {
      POWERTOOLS_METRICS_DISABLED: 'true',
      POWERTOOLS_LOG_LEVEL: 'SILENT',
      PROJECTION_START_YEAR: '2017',
      PII_MODE: 'keep',
      ...env,
    });
    let handler: Handler | undefined;
    let sdk: SecretsManagerSdk | undefined;
    let secretsManager: AwsClientStub<SecretsManagerClient> | undefined;
    try {
      jest.isolateModules(() => {
        sdk = jest.requireActual<SecretsManagerSdk>('@aws-sdk/client-secrets-manager');
        secretsManager = mockClient(sdk.SecretsManagerClient);
        if (secretString !== undefined)
          secretsManager.on(sdk.GetSecretValueCommand).resolves({ SecretString: secretString });
        ({ handler } = jest.requireActual<{ handler: Handler }>('../../../lambda/transform/handler'));
      });
    } finally {
      process.env = saved;
    }
    return { handler: handler!, sdk: sdk!, secretsManager: secretsManager! };
  }

  it('keeps rows as they are with PII_MODE=keep and answers Firehose', async () => {
    // Arrange
    const { handler } = coldStart({ PII_MODE: 'keep' });
    const ctr = aCtr();

    // Act
    const result = await handler(firehoseTransformationEvent([anAcceptedEnvelope(ctr)]));

    // Assert
    expect(result.records).toEqual([expect.objectContaining({ recordId: 'record-0', result: 'Ok' })]);
    expect(JSON.parse(Buffer.from(result.records[0]!.data!, 'base64').toString('utf8'))).toMatchObject({
      customer_endpoint: ctr.CustomerEndpoint?.Address,
      pii_key_version: null,
    });
  });

  it('fails at cold start without PII_MODE: no row is written without knowing what to do with phone numbers', () => {
    // Act
    const error = thrownBy(() => coldStart({ PII_MODE: '' }), Error);

    // Assert
    expect(error.name).toBe(ConfigurationError.name);
    expect(error.message).toContain('invalid PII configuration of the transform: PII_MODE must be');
  });

  it('reads the key from Secrets Manager once per container and pseudonymises with it', async () => {
    // Arrange
    const secret = 'arn:aws:secretsmanager:us-east-1:111122223333:secret:ctr-lake-pii-key-AbCdEf';
    const material = 'cold-start-test-key-0123456789-abcdefghijklmnopqrstuv';
    const { handler, sdk, secretsManager } = coldStart(
      { PII_MODE: 'pseudonymise', PII_ATTRIBUTE_KEYS: '[]', PII_KEY_SECRET_ID: secret, PII_KEY_VERSION: '2' },
      JSON.stringify({ version: 2, key: material }),
    );
    const ctr = aVoiceCtr();

    // Act
    await handler(firehoseTransformationEvent([anAcceptedEnvelope(aVoiceCtr())]));
    const result = await handler(firehoseTransformationEvent([anAcceptedEnvelope(ctr)]));

    // Assert
    expect(secretsManager.commandCalls(sdk.GetSecretValueCommand).map((call) => call.args[0].input)).toEqual([
      { SecretId: secret },
    ]);
    const row = JSON.parse(Buffer.from(result.records[0]!.data!, 'base64').toString('utf8')) as LakeRow;
    expect(row.customer_endpoint).toBe(
      pseudonymOf(createSecretKey(Buffer.from(material)), String(ctr.CustomerEndpoint?.Address)),
    );
    expect(row.pii_key_version).toBe(2);
  });

  it('answers Firehose with the projection start year of its environment', async () => {
    // Arrange
    const { handler } = coldStart({ PROJECTION_START_YEAR: '2026' });
    const ctrs = [
      aVoiceCtr({ initiationTimestamp: '2026-03-04T08:47:33Z' }),
      aVoiceCtr({ initiationTimestamp: '2025-12-31T23:00:00Z' }),
    ];

    // Act
    const result = await handler(firehoseTransformationEvent(ctrs.map((ctr) => anAcceptedEnvelope(ctr))));

    // Assert
    expect(result.records.map((record) => [record.recordId, record.result])).toEqual([
      ['record-0', 'Ok'],
      ['record-1', 'ProcessingFailed'],
    ]);
  });

  it('fails at cold start without PROJECTION_START_YEAR: a deployment error, not a record error', () => {
    // Act
    const error = thrownBy(() => coldStart({ PROJECTION_START_YEAR: '' }), Error);

    // Assert: the module registry is the isolated one's, so the class is compared by name.
    expect(error.name).toBe(ConfigurationError.name);
    expect(error.message).toContain('PROJECTION_START_YEAR');
  });
});
