import {
  FirehoseClient,
  PutRecordBatchCommand,
  ResourceNotFoundException,
  ServiceUnavailableException,
  type PutRecordBatchCommandInput,
  type PutRecordBatchCommandOutput,
} from '@aws-sdk/client-firehose';
import { mockClient } from 'aws-sdk-client-mock';
import { FirehoseRecordSink } from '../../../lambda/checker/adapters/firehose-record-sink';
import type { Envelope } from '../../../lambda/shared/envelope';
import { LOCAL_CLIENT_CONFIG } from '../../../local-aws/servers';
import { anAcceptedEnvelope, aCtr, sequenceNumberAt } from '../../support/ctr-factory';

const firehose = mockClient(FirehoseClient);
const noSleep = async (): Promise<void> => undefined;

function aSink(maxAttempts = 5): FirehoseRecordSink {
  return new FirehoseRecordSink('ctr-delivery', new FirehoseClient(LOCAL_CLIENT_CONFIG), {
    sleep: noSleep,
    maxAttempts,
  });
}

function envelopes(count: number, padding = 0): Envelope[] {
  return Array.from({ length: count }, (_, i) =>
    anAcceptedEnvelope(aCtr(padding ? { Attributes: { note: 'x'.repeat(padding) } } : {}), {
      sequenceNumber: sequenceNumberAt(i),
    }),
  );
}

/** A PutRecordBatch answer where the entries at `failed` indexes come back with an ErrorCode. */
function answer(input: PutRecordBatchCommandInput, failed: readonly number[] = []): PutRecordBatchCommandOutput {
  return {
    $metadata: {},
    Encrypted: false,
    FailedPutCount: failed.length,
    RequestResponses: (input.Records ?? []).map((_, i) =>
      failed.includes(i)
        ? { ErrorCode: 'ServiceUnavailableException', ErrorMessage: 'Slow down.' }
        : { RecordId: `record-${i}` },
    ),
  };
}

function sentSequenceNumbers(call: number): string[] {
  const input = firehose.commandCalls(PutRecordBatchCommand)[call]?.args[0].input;
  return (input?.Records ?? []).map(
    (r) => (JSON.parse(Buffer.from(r.Data as Uint8Array).toString('utf8')) as Envelope).sequenceNumber,
  );
}

beforeEach(() => firehose.reset());

describe('FirehoseRecordSink', () => {
  it('sends envelopes as compact JSON in one PutRecordBatch to the delivery stream', async () => {
    // Arrange
    const batch = envelopes(3);
    firehose.on(PutRecordBatchCommand).callsFake((input: PutRecordBatchCommandInput) => answer(input));

    // Act
    const report = await aSink().deliver(batch);

    // Assert
    expect(report).toEqual({ outcomes: batch.map(() => ({ delivered: true })), retries: 0 });
    expect(firehose).toHaveReceivedCommandTimes(PutRecordBatchCommand, 1);
    const input = firehose.commandCalls(PutRecordBatchCommand)[0]?.args[0].input;
    expect(input?.DeliveryStreamName).toBe('ctr-delivery');
    expect(Buffer.from(input?.Records?.[1]?.Data as Uint8Array).toString('utf8')).toBe(JSON.stringify(batch[1]));
  });

  it('resends only the entries reported failed (FailedPutCount) until they are taken', async () => {
    // Arrange
    const batch = envelopes(4);
    firehose
      .on(PutRecordBatchCommand)
      .callsFakeOnce((input: PutRecordBatchCommandInput) => answer(input, [1, 3]))
      .callsFake((input: PutRecordBatchCommandInput) => answer(input));

    // Act
    const report = await aSink().deliver(batch);

    // Assert
    expect(report.outcomes.every((o) => o.delivered)).toBe(true);
    expect(report.retries).toBe(2);
    expect(sentSequenceNumbers(1)).toEqual([sequenceNumberAt(1), sequenceNumberAt(3)]);
  });

  it('reports entries that still fail after the last attempt as failed, with the reason', async () => {
    // Arrange
    const batch = envelopes(3);
    firehose.on(PutRecordBatchCommand).callsFake((input: PutRecordBatchCommandInput) => answer(input, [0]));

    // Act
    const report = await aSink(3).deliver(batch);

    // Assert: entry 0 of every call is the still-failing record
    expect(report.outcomes).toEqual([
      { delivered: false, reason: 'ServiceUnavailableException: Slow down.' },
      { delivered: true },
      { delivered: true },
    ]);
    expect(firehose).toHaveReceivedCommandTimes(PutRecordBatchCommand, 3);
    expect(report.retries).toBe(2);
  });

  it('retries a whole call that throws ServiceUnavailableException', async () => {
    // Arrange
    const batch = envelopes(2);
    firehose
      .on(PutRecordBatchCommand)
      .rejectsOnce(new ServiceUnavailableException({ message: 'Slow down.', $metadata: { httpStatusCode: 503 } }))
      .callsFake((input: PutRecordBatchCommandInput) => answer(input));

    // Act
    const report = await aSink().deliver(batch);

    // Assert
    expect(report.outcomes).toEqual([{ delivered: true }, { delivered: true }]);
    expect(report.retries).toBe(2);
    expect(firehose).toHaveReceivedCommandTimes(PutRecordBatchCommand, 2);
  });

  it('gives up at once on an error that retrying cannot fix, without throwing', async () => {
    // Arrange
    firehose.on(PutRecordBatchCommand).rejects(new ResourceNotFoundException({ message: 'no stream', $metadata: {} }));

    // Act
    const report = await aSink().deliver(envelopes(2));

    // Assert
    expect(report.outcomes).toEqual([
      { delivered: false, reason: 'ResourceNotFoundException: no stream' },
      { delivered: false, reason: 'ResourceNotFoundException: no stream' },
    ]);
    expect(firehose).toHaveReceivedCommandTimes(PutRecordBatchCommand, 1);
  });

  it('treats a missing response entry as failed rather than delivered', async () => {
    // Arrange
    firehose.on(PutRecordBatchCommand).resolves({ FailedPutCount: 0, RequestResponses: [{ RecordId: 'r-0' }] });

    // Act
    const report = await aSink(1).deliver(envelopes(2));

    // Assert
    expect(report.outcomes).toEqual([{ delivered: true }, { delivered: false, reason: 'no response entry' }]);
  });

  it('splits 501 records into calls of 500 and 1', async () => {
    // Arrange
    firehose.on(PutRecordBatchCommand).callsFake((input: PutRecordBatchCommandInput) => answer(input));

    // Act
    const report = await aSink().deliver(envelopes(501));

    // Assert
    expect(report.outcomes).toHaveLength(501);
    const sizes = firehose.commandCalls(PutRecordBatchCommand).map((c) => c.args[0].input.Records?.length);
    expect(sizes).toEqual([500, 1]);
  });

  it('splits calls so that none carries more than 4 MiB', async () => {
    // Arrange: 10 envelopes of about 600 KB
    firehose.on(PutRecordBatchCommand).callsFake((input: PutRecordBatchCommandInput) => answer(input));

    // Act
    const report = await aSink().deliver(envelopes(10, 600_000));

    // Assert
    expect(report.outcomes.every((o) => o.delivered)).toBe(true);
    const calls = firehose.commandCalls(PutRecordBatchCommand);
    expect(calls.map((c) => c.args[0].input.Records?.length)).toEqual([6, 4]);
    for (const call of calls) {
      const bytes = (call.args[0].input.Records ?? []).reduce((sum, r) => sum + (r.Data?.length ?? 0), 0);
      expect(bytes).toBeLessThanOrEqual(4 * 1024 * 1024);
    }
  });
});
