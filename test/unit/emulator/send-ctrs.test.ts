import {
  KinesisClient,
  PutRecordsCommand,
  ProvisionedThroughputExceededException,
  ResourceNotFoundException,
  type PutRecordsCommandInput,
  type PutRecordsResultEntry,
} from '@aws-sdk/client-kinesis';
import 'aws-sdk-client-mock-jest';
import { mockClient } from 'aws-sdk-client-mock';
import { KinesisRecordPublisher } from '../../../lambda/emulator/adapters/kinesis-publisher';
import { parseEmulatorEvent, recordSize, type PreparedRecord } from '../../../lambda/emulator/parse-event';
import type { RecordPublisher } from '../../../lambda/emulator/record-publisher';
import {
  chunkRecords,
  MAX_BYTES_PER_REQUEST,
  MAX_RECORDS_PER_REQUEST,
  sendCtrs,
  type SendOptions,
} from '../../../lambda/emulator/send-ctrs';
import { aCtr } from '../../support/ctr-factory';

const kinesis = mockClient(KinesisClient);
const publisher = new KinesisRecordPublisher(new KinesisClient({ region: 'us-east-1' }), 'ctr-stream');
const instant: SendOptions = { sleep: async () => undefined, random: () => 0.5 };

function records(count: number, padding = 0): PreparedRecord[] {
  return parseEmulatorEvent(Array.from({ length: count }, () => aCtr({ Padding: 'p'.repeat(padding) })));
}

function accepted(i: number): PutRecordsResultEntry {
  return { SequenceNumber: `4965${String(i).padStart(20, '0')}`, ShardId: 'shardId-000000000000' };
}

const throttledEntry: PutRecordsResultEntry = {
  ErrorCode: 'ProvisionedThroughputExceededException',
  ErrorMessage: 'Rate exceeded for shard shardId-000000000000 in stream ctr-stream',
};

/** Answers every PutRecords by accepting all entries, numbering them in arrival order. */
function acceptEverything(): void {
  let n = 0;
  kinesis.on(PutRecordsCommand).callsFake((input: PutRecordsCommandInput) => ({
    FailedRecordCount: 0,
    Records: (input.Records ?? []).map(() => accepted(n++)),
  }));
}

function sentPartitionKeys(call: number): string[] {
  const input = kinesis.commandCalls(PutRecordsCommand)[call]!.args[0].input;
  return (input.Records ?? []).map((r) => r.PartitionKey ?? '');
}

beforeEach(() => kinesis.reset());

describe('chunkRecords', () => {
  it('splits at 500 records per request', () => {
    // Arrange
    const input = records(1201);

    // Act
    const chunks = chunkRecords(input);

    // Assert
    expect(chunks.map((c) => c.length)).toEqual([MAX_RECORDS_PER_REQUEST, MAX_RECORDS_PER_REQUEST, 201]);
    expect(chunks.flat()).toEqual(input);
  });

  it('splits before a request would pass 5 MiB, counting partition keys', () => {
    // Arrange: ~0.9 MiB records, so five of them pass 4.5 MiB and a sixth cannot fit.
    const input = records(12, 900 * 1024);

    // Act
    const chunks = chunkRecords(input);

    // Assert
    for (const chunk of chunks) {
      expect(chunk.reduce((sum, r) => sum + recordSize(r), 0)).toBeLessThanOrEqual(MAX_BYTES_PER_REQUEST);
    }
    expect(chunks.map((c) => c.length)).toEqual([5, 5, 2]);
    expect(chunks.flat()).toEqual(input);
  });
});

describe('sendCtrs', () => {
  it('sends every record with its ContactId as partition key and counts them sent', async () => {
    // Arrange
    acceptEverything();
    const input = records(3);

    // Act
    const report = await sendCtrs(input, publisher, instant);

    // Assert
    expect(report).toEqual({ sent: 3, failed: 0, failures: [], retries: 0, requests: 1 });
    expect(kinesis).toHaveReceivedCommandWith(PutRecordsCommand, { StreamName: 'ctr-stream' });
    expect(sentPartitionKeys(0)).toEqual(input.map((r) => r.contactId));
  });

  it('sends 1,201 records in three requests', async () => {
    // Arrange
    acceptEverything();

    // Act
    const report = await sendCtrs(records(1201), publisher, instant);

    // Assert
    expect(report).toMatchObject({ sent: 1201, failed: 0, requests: 3 });
    expect(kinesis).toHaveReceivedCommandTimes(PutRecordsCommand, 3);
  });

  it('resends only the entries a partial failure refused', async () => {
    // Arrange: the 2nd and 4th entries are throttled once.
    const input = records(4);
    kinesis
      .on(PutRecordsCommand)
      .resolvesOnce({ FailedRecordCount: 2, Records: [accepted(0), throttledEntry, accepted(1), throttledEntry] })
      .resolvesOnce({ FailedRecordCount: 0, Records: [accepted(2), accepted(3)] });
    const onRetry = jest.fn();

    // Act
    const report = await sendCtrs(input, publisher, { ...instant, onRetry });

    // Assert
    expect(report).toEqual({ sent: 4, failed: 0, failures: [], retries: 2, requests: 2 });
    expect(sentPartitionKeys(1)).toEqual([input[1]!.contactId, input[3]!.contactId]);
    expect(onRetry).toHaveBeenCalledWith(expect.objectContaining({ attempt: 0, records: 2 }));
  });

  it('waits with full-jitter backoff between attempts', async () => {
    // Arrange
    kinesis
      .on(PutRecordsCommand)
      .resolvesOnce({ FailedRecordCount: 1, Records: [throttledEntry] })
      .resolvesOnce({ FailedRecordCount: 1, Records: [throttledEntry] })
      .resolves({ FailedRecordCount: 0, Records: [accepted(0)] });
    const sleep = jest.fn(async (_ms: number) => undefined);

    // Act
    await sendCtrs(records(1), publisher, { sleep, random: () => 0.5, baseMs: 100 });

    // Assert: half of 100 * 2^attempt.
    expect(sleep.mock.calls).toEqual([[50], [100]]);
  });

  it('retries a thrown ProvisionedThroughputExceededException for the whole request', async () => {
    // Arrange
    kinesis
      .on(PutRecordsCommand)
      .rejectsOnce(new ProvisionedThroughputExceededException({ message: 'Rate exceeded', $metadata: {} }))
      .resolves({ FailedRecordCount: 0, Records: [accepted(0), accepted(1)] });

    // Act
    const report = await sendCtrs(records(2), publisher, instant);

    // Assert
    expect(report).toEqual({ sent: 2, failed: 0, failures: [], retries: 2, requests: 2 });
  });

  it('reports records still refused after the last attempt as failed, never as sent', async () => {
    // Arrange
    const input = records(3);
    kinesis.on(PutRecordsCommand).callsFake((command: PutRecordsCommandInput) => ({
      FailedRecordCount: 1,
      // The first entry of every request keeps being throttled; the rest are accepted.
      Records: (command.Records ?? []).map((_, i) => (i === 0 ? throttledEntry : accepted(i))),
    }));

    // Act
    const report = await sendCtrs(input, publisher, { ...instant, maxAttempts: 4 });

    // Assert
    expect(report.sent).toBe(2);
    expect(report.failed).toBe(1);
    expect(report.failures).toEqual([
      {
        index: 0,
        contactId: input[0]!.contactId,
        errorCode: 'ProvisionedThroughputExceededException',
        errorMessage: throttledEntry.ErrorMessage,
      },
    ]);
    expect(kinesis).toHaveReceivedCommandTimes(PutRecordsCommand, 4);
  });

  it('does not count an entry without a sequence number as sent', async () => {
    // Arrange: a malformed answer: no error code, no sequence number, and one entry missing altogether.
    kinesis.on(PutRecordsCommand).resolves({ FailedRecordCount: 0, Records: [{ ShardId: 'shardId-000000000000' }] });

    // Act
    const report = await sendCtrs(records(2), publisher, { ...instant, maxAttempts: 1 });

    // Assert
    expect(report.sent).toBe(0);
    expect(report.failures.map((f) => f.errorCode)).toEqual(['MissingResult', 'MissingResult']);
  });

  it('fails a chunk whose request keeps being throttled and still sends the next chunk', async () => {
    // Arrange: 501 records are two requests; every call for the first one throws.
    const input = records(501);
    kinesis.on(PutRecordsCommand).callsFake((command: PutRecordsCommandInput) => {
      if ((command.Records ?? []).length === MAX_RECORDS_PER_REQUEST) {
        throw new ProvisionedThroughputExceededException({ message: 'Rate exceeded', $metadata: {} });
      }
      return { FailedRecordCount: 0, Records: [accepted(0)] };
    });

    // Act
    const report = await sendCtrs(input, publisher, { ...instant, maxAttempts: 3 });

    // Assert
    expect(report).toMatchObject({ sent: 1, failed: 500, requests: 4 });
    expect(new Set(report.failures.map((f) => f.errorCode))).toEqual(
      new Set(['ProvisionedThroughputExceededException']),
    );
  });

  it('stops at a non-transient refusal and reports every record as failed', async () => {
    // Arrange
    kinesis
      .on(PutRecordsCommand)
      .rejects(
        new ResourceNotFoundException({ message: 'Stream ctr-stream not found', $metadata: { httpStatusCode: 400 } }),
      );

    // Act
    const report = await sendCtrs(records(700), publisher, instant);

    // Assert
    expect(report).toMatchObject({ sent: 0, failed: 700, requests: 1, retries: 0 });
    expect(report.failures[0]).toMatchObject({
      errorCode: 'ResourceNotFoundException',
      errorMessage: 'Stream ctr-stream not found',
    });
    expect(report.failures[600]).toMatchObject({
      errorCode: 'ResourceNotFoundException',
      errorMessage: expect.stringMatching(/^not sent/),
    });
  });

  it('treats a publisher that answers with too few outcomes as refusing the rest', async () => {
    // Arrange: a port implementation with a bug, seen from the core.
    const short: RecordPublisher = { publish: async () => [{ accepted: true, sequenceNumber: '1', shardId: 's' }] };

    // Act
    const report = await sendCtrs(records(2), short, { ...instant, maxAttempts: 1 });

    // Assert
    expect(report).toMatchObject({ sent: 1, failed: 1 });
    expect(report.failures[0]?.errorCode).toBe('MissingResult');
  });
});
