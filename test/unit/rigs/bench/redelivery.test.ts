import type { KinesisStreamBatchResponse, KinesisStreamEvent } from 'aws-lambda';
import type { BenchChecker } from '../../../../rigs/bench/bench-checker';
import { deliverBatch, MAX_REDELIVERIES } from '../../../../rigs/bench/redelivery';
import { aVoiceCtr, kinesisEvent } from '../../../support/ctr-factory';

/** A design that answers from a script, one answer per invocation, and remembers the batches it was handed. */
function aScriptedChecker(answers: ReadonlyArray<(event: KinesisStreamEvent) => KinesisStreamBatchResponse>) {
  const received: string[][] = [];
  const checker: BenchChecker = {
    design: 'powertools',
    checkBatch: (event) => {
      received.push(event.Records.map((record) => record.kinesis.sequenceNumber));
      const answer = answers[Math.min(received.length - 1, answers.length - 1)];
      return Promise.resolve(answer ? answer(event) : { batchItemFailures: [] });
    },
  };
  return { checker, received };
}

const done = (): KinesisStreamBatchResponse => ({ batchItemFailures: [] });
const failing =
  (...indexes: number[]) =>
  (event: KinesisStreamEvent): KinesisStreamBatchResponse => ({
    batchItemFailures: indexes.map((i) => ({ itemIdentifier: event.Records[i]!.kinesis.sequenceNumber })),
  });

const sequenceNumbers = (event: KinesisStreamEvent): string[] => event.Records.map((r) => r.kinesis.sequenceNumber);

describe('deliverBatch', () => {
  const batch = kinesisEvent([aVoiceCtr(), aVoiceCtr(), aVoiceCtr(), aVoiceCtr(), aVoiceCtr()]);

  it('invokes once when the design reports no failure', async () => {
    // Arrange
    const { checker, received } = aScriptedChecker([done]);

    // Act
    const delivery = await deliverBatch(checker, batch);

    // Assert
    expect(delivery).toEqual({ invocations: 1, redeliveredRecords: 0 });
    expect(received).toEqual([sequenceNumbers(batch)]);
  });

  it('redelivers from the lowest failed sequence number on, as Lambda does, and counts it', async () => {
    // Arrange: records 3 and 1 fail (in that order in the answer), then everything succeeds
    const { checker, received } = aScriptedChecker([failing(3, 1), done]);

    // Act
    const delivery = await deliverBatch(checker, batch);

    // Assert
    expect(delivery).toEqual({ invocations: 2, redeliveredRecords: 4 });
    expect(received[1]).toEqual(sequenceNumbers(batch).slice(1));
  });

  it('retries the whole batch when an answer names a record outside it', async () => {
    // Arrange
    const { checker, received } = aScriptedChecker([() => ({ batchItemFailures: [{ itemIdentifier: '42' }] }), done]);

    // Act
    const delivery = await deliverBatch(checker, batch);

    // Assert
    expect(delivery).toEqual({ invocations: 2, redeliveredRecords: 5 });
    expect(received[1]).toEqual(sequenceNumbers(batch));
  });

  it('stops a design that keeps failing: the bench runs without faults', async () => {
    // Arrange: the first record of whatever it is handed fails, every time
    const { checker, received } = aScriptedChecker([failing(0)]);

    // Act / Assert
    await expect(deliverBatch(checker, batch)).rejects.toThrow(/still failed records after 20 redeliveries/);
    expect(received).toHaveLength(MAX_REDELIVERIES + 1);
  });

  it('with no redelivery allowed, fails on the first batch item failure', async () => {
    // Arrange
    const { checker, received } = aScriptedChecker([failing(2), done]);

    // Act / Assert
    await expect(deliverBatch(checker, batch, 0)).rejects.toThrow(/still failed records after 0 redeliveries/);
    expect(received).toHaveLength(1);
  });
});
