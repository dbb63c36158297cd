import type { FirehoseTransformationEvent, FirehoseTransformationResult } from 'aws-lambda';
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

describe('transform handler', () => {
  /** The handler module as a cold start with this environment loads it. */
  function loadHandler(
    environment: Record<string, string>,
  ): (event: FirehoseTransformationEvent) => Promise<FirehoseTransformationResult> {
    const saved = { ...process.env };
    Object.assign(process.env, { POWERTOOLS_METRICS_DISABLED: 'true', POWERTOOLS_LOG_LEVEL: 'SILENT' }, environment);
    let handler: ((event: FirehoseTransformationEvent) => Promise<FirehoseTransformationResult>) | undefined;
    try {
      jest.isolateModules(() => {
        ({ handler } = jest.requireActual<{ handler: typeof handler }>('../../../lambda/transform/handler'));
      });
    } finally {
      process.env = saved;
    }
    return handler!;
  }

  it('answers Firehose with the projection start year of its environment', async () => {
    // Arrange
    const handler = loadHandler({ PROJECTION_START_YEAR: '2026' });
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
    const error = thrownBy(() => loadHandler({ PROJECTION_START_YEAR: '' }), Error);

    // Assert: the module registry is the isolated one's, so the class is compared by name.
    expect(error.name).toBe(ConfigurationError.name);
    expect(error.message).toContain('PROJECTION_START_YEAR');
  });
});
