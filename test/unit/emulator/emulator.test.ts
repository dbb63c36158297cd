import { createEmulator } from '../../../lambda/emulator/emulator';
import type { PublishEntry, PublishOutcome, RecordPublisher } from '../../../lambda/emulator/record-publisher';
import { MetricName, MetricUnit } from '../../../lambda/shared/observability';
import { aCtr, aVoiceCtr } from '../../support/ctr-factory';
import { silentObservability } from '../../support/silent-observability';

/** A stream that refuses the partition keys it is told to, every time, and accepts the rest. */
function streamRefusing(refused: ReadonlySet<string>): RecordPublisher & { entries: PublishEntry[] } {
  const entries: PublishEntry[] = [];
  return {
    entries,
    publish: async (batch) => {
      entries.push(...batch);
      return batch.map((e, i): PublishOutcome =>
        refused.has(e.partitionKey)
          ? { accepted: false, errorCode: 'ProvisionedThroughputExceededException', errorMessage: 'Rate exceeded' }
          : { accepted: true, sequenceNumber: String(i), shardId: 'shardId-000000000000' },
      );
    },
  };
}

function observability(): ReturnType<typeof silentObservability> & { logged: () => string } {
  const { logger, metrics } = silentObservability();
  const calls = [jest.spyOn(logger, 'info'), jest.spyOn(logger, 'warn'), jest.spyOn(logger, 'error')];
  return { logger, metrics, logged: () => JSON.stringify(calls.flatMap((c) => c.mock.calls)) };
}

const instant = { sleep: async () => undefined, maxAttempts: 3 };

describe('createEmulator', () => {
  it('counts Sent and FailedRecords and publishes them once per invocation', async () => {
    // Arrange
    const { logger, metrics } = observability();
    const addMetric = jest.spyOn(metrics, 'addMetric');
    const emulator = createEmulator({
      publisher: streamRefusing(new Set(['refused'])),
      logger,
      metrics,
      sendOptions: instant,
    });

    // Act
    const result = await emulator([aCtr(), aCtr(), aCtr({ ContactId: 'refused' })]);

    // Assert
    expect(result).toMatchObject({ sent: 2, failed: 1 });
    expect(addMetric).toHaveBeenCalledWith(MetricName.Sent, MetricUnit.Count, 2);
    expect(addMetric).toHaveBeenCalledWith(MetricName.FailedRecords, MetricUnit.Count, 1);
    expect(metrics.publishStoredMetrics).toHaveBeenCalledTimes(1);
  });

  it('logs counts and ContactIds, never the records (they hold phone numbers)', async () => {
    // Arrange
    const { logger, metrics, logged } = observability();
    const refusedCtr = aVoiceCtr({ contactId: 'refused' });
    const emulator = createEmulator({
      publisher: streamRefusing(new Set(['refused'])),
      logger,
      metrics,
      sendOptions: instant,
    });

    // Act
    await emulator([aVoiceCtr(), refusedCtr]);

    // Assert
    const text = logged();
    expect(text).toContain('refused');
    expect(text).toContain('"sent":1');
    expect(text).not.toContain(String(refusedCtr.CustomerEndpoint?.Address));
    expect(text).not.toContain('InitiationTimestamp');
  });

  it('resends refused records through the same port and says so in a warning', async () => {
    // Arrange
    const { logger, metrics } = observability();
    const stream = streamRefusing(new Set(['refused']));
    const emulator = createEmulator({ publisher: stream, logger, metrics, sendOptions: instant });

    // Act
    await emulator([aCtr({ ContactId: 'refused' })]);

    // Assert
    expect(stream.entries.map((e) => e.partitionKey)).toEqual(['refused', 'refused', 'refused']);
    expect(logger.warn).toHaveBeenCalledTimes(2);
  });

  it('publishes nothing and sends nothing for an invalid event', async () => {
    // Arrange
    const { logger, metrics } = observability();
    const stream = streamRefusing(new Set());
    const emulator = createEmulator({ publisher: stream, logger, metrics, sendOptions: instant });

    // Act / Assert
    await expect(emulator({ records: 'nope' })).rejects.toThrow(/"records" to be an array/);
    expect(stream.entries).toEqual([]);
    expect(metrics.publishStoredMetrics).not.toHaveBeenCalled();
  });
});
