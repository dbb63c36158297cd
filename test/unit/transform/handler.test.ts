import type { FirehoseTransformationEvent, FirehoseTransformationResult } from 'aws-lambda';
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
  it('needs no environment and answers Firehose', async () => {
    // Arrange
    const saved = { ...process.env };
    Object.assign(process.env, { POWERTOOLS_METRICS_DISABLED: 'true', POWERTOOLS_LOG_LEVEL: 'SILENT' });
    let handler: ((event: FirehoseTransformationEvent) => Promise<FirehoseTransformationResult>) | undefined;
    jest.isolateModules(() => {
      ({ handler } = jest.requireActual<{ handler: typeof handler }>('../../../lambda/transform/handler'));
    });
    process.env = saved;

    // Act
    const result = await handler!(firehoseTransformationEvent([anAcceptedEnvelope(aCtr())]));

    // Assert
    expect(result.records).toEqual([expect.objectContaining({ recordId: 'record-0', result: 'Ok' })]);
  });
});
