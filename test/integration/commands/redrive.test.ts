import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { CreateTableCommand, DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import {
  CreateStreamCommand,
  DeleteStreamCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
  waitUntilStreamExists,
  type KinesisClient,
} from '@aws-sdk/client-kinesis';
import {
  ChangeMessageVisibilityCommand,
  DeleteMessageCommand,
  ReceiveMessageCommand,
  SQSClient,
  type Message,
} from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { redriveMain } from '../../../commands/redrive';
import { DirectoryFailureQueue, SqsFailureQueue } from '../../../commands/redrive/failure-queue';
import { redrive, type RedriveOptions } from '../../../commands/redrive/redrive-core';
import { OutputKey } from '../../../commands/shared/stack-outputs';
import { DynamoDbDedupStore } from '../../../lambda/checker/adapters/dynamodb-dedup-store';
import { checkBatch } from '../../../lambda/checker/check-batch';
import type { StreamRecord } from '../../../lambda/checker/ports';
import { KinesisRecordPublisher } from '../../../lambda/emulator/adapters/kinesis-publisher';
import { createKinesisClient } from '../../../lambda/shared/adapters/kinesis-client';
import { contentFingerprint } from '../../../lambda/shared/fingerprint';
import { dedupTableDefinition } from '../../../local-aws/pipeline/dedup-table';
import { writeOnFailureRecord } from '../../../local-aws/pipeline/on-failure';
import { LOCAL_CLIENT_CONFIG, startDynalite, startKinesalite, type LocalServer } from '../../../local-aws/servers';
import { fingerprintsOf, InMemorySink, RecordingTelemetry } from '../../support/checker-harness';
import { aCtr } from '../../support/ctr-factory';
import { captureIo, deployedStack } from '../../unit/commands/deployment-fixtures';

/**
 * The redrive (issue 17 item 1, issue 11 section 4) against kinesalite and dynalite, with the on-failure queue as
 * aws-sdk-client-mock's SQS (or the local lake's on-failure directory): what Lambda gave up comes back through the
 * checker, the given-up records' own claims released, and what the stream no longer holds reported as lost.
 */

const REGION = LOCAL_CLIENT_CONFIG.region;
const SHARD = 'shardId-000000000000';
const QUEUE_URL = `https://sqs.${REGION}.amazonaws.com/000000000000/ctr-lake-on-failure`;
const sqs = mockClient(SQSClient);
const cloudFormation = mockClient(CloudFormationClient);
const NO_WAIT = { sleep: async () => undefined, baseMs: 1, maxMs: 2 };

interface PutRecord {
  readonly sequenceNumber: string;
  readonly partitionKey: string;
  readonly data: Buffer;
}

describe('redrive', () => {
  let kinesisServer: LocalServer;
  let dynamoServer: LocalServer;
  let kinesis: KinesisClient;
  let dynamo: DynamoDBClient;
  let streams = 0;
  let stream: string;
  const table = 'ctr-dedup-redrive';

  beforeAll(async () => {
    [kinesisServer, dynamoServer] = await Promise.all([startKinesalite(), startDynalite()]);
    kinesis = createKinesisClient({ ...LOCAL_CLIENT_CONFIG, endpoint: kinesisServer.endpoint });
    dynamo = new DynamoDBClient({ ...LOCAL_CLIENT_CONFIG, endpoint: dynamoServer.endpoint });
    await dynamo.send(new CreateTableCommand(dedupTableDefinition(table)));
  });

  afterAll(async () => {
    kinesis?.destroy();
    dynamo?.destroy();
    await Promise.all([kinesisServer?.stop(), dynamoServer?.stop()]);
  });

  beforeEach(async () => {
    sqs.reset();
    cloudFormation.reset();
    stream = `ctr-stream-redrive-${++streams}`;
    await kinesis.send(new CreateStreamCommand({ StreamName: stream, ShardCount: 1 }));
    await waitUntilStreamExists({ client: kinesis, maxWaitTime: 30, minDelay: 1 }, { StreamName: stream });
  });

  const streamArn = (name = stream): string => `arn:aws:kinesis:${REGION}:000000000000:stream/${name}`;

  /** Puts records (each with its own partition key) and answers where the stream put them. */
  async function put(items: ReadonlyArray<{ data: string; partitionKey: string }>): Promise<PutRecord[]> {
    const outcomes = await new KinesisRecordPublisher(kinesis, stream).publish(
      items.map((item) => ({ data: Buffer.from(item.data), partitionKey: item.partitionKey })),
    );
    return outcomes.map((outcome, i) => {
      if (!outcome.accepted) throw new Error(`not put: ${outcome.errorCode}`);
      return {
        sequenceNumber: outcome.sequenceNumber,
        partitionKey: items[i]!.partitionKey,
        data: Buffer.from(items[i]!.data),
      };
    });
  }

  async function readStream(): Promise<PutRecord[]> {
    const { ShardIterator } = await kinesis.send(
      new GetShardIteratorCommand({ StreamName: stream, ShardId: SHARD, ShardIteratorType: 'TRIM_HORIZON' }),
    );
    const page = await kinesis.send(new GetRecordsCommand({ ShardIterator, Limit: 10_000 }));
    return (page.Records ?? []).map((r) => ({
      sequenceNumber: r.SequenceNumber ?? '',
      partitionKey: r.PartitionKey ?? '',
      data: Buffer.from(r.Data ?? new Uint8Array()),
    }));
  }

  /** The body Lambda writes to the on-failure destination for records it gave up. */
  function onFailureBody(first: string, last: string, batchSize?: number, arn = streamArn()): string {
    return JSON.stringify({
      requestContext: { requestId: 'r-1', functionArn: 'arn:aws:lambda:x', condition: 'RetryAttemptsExhausted' },
      version: '1.0',
      timestamp: new Date().toISOString(),
      KinesisBatchInfo: {
        shardId: SHARD,
        startSequenceNumber: first,
        endSequenceNumber: last,
        ...(batchSize === undefined ? {} : { batchSize }),
        streamArn: arn,
      },
    });
  }

  /** SQS hands these messages out once, then answers empty, as a drained queue does. */
  function queueHolds(bodies: readonly string[]): void {
    const messages: Message[] = bodies.map((Body, i) => ({ MessageId: `m-${i}`, ReceiptHandle: `rh-${i}`, Body }));
    sqs.on(ReceiveMessageCommand).resolvesOnce({ Messages: messages }).resolves({ Messages: [] });
    sqs.on(DeleteMessageCommand).resolves({});
    sqs.on(ChangeMessageVisibilityCommand).resolves({});
  }

  function options(overrides: Partial<RedriveOptions> = {}): RedriveOptions {
    return {
      queue: new SqsFailureQueue(new SQSClient({ region: REGION }), QUEUE_URL),
      kinesis,
      claims: new DynamoDbDedupStore(table, dynamo),
      keyStrategy: 'content',
      send: NO_WAIT,
      ...overrides,
    };
  }

  /** The records as the checker gets them from Lambda. */
  function asStreamRecords(records: readonly PutRecord[]): StreamRecord[] {
    return records.map((r) => ({
      eventId: `${SHARD}:${r.sequenceNumber}`,
      sequenceNumber: r.sequenceNumber,
      data: r.data.toString('base64'),
    }));
  }

  function check(records: readonly PutRecord[], sink: InMemorySink) {
    return checkBatch(
      asStreamRecords(records),
      { ttlHours: 24, keyStrategy: 'content' },
      { store: new DynamoDbDedupStore(table, dynamo), sink, telemetry: new RecordingTelemetry() },
    );
  }

  it('releases the given-up records’ own claims, puts the range back with its partition keys, deletes the message, and the checker then delivers what was lost', async () => {
    // Arrange: a batch whose invocation delivered `delivered`, then crashed holding the claim of `undelivered`
    const [delivered, undelivered] = [aCtr(), aCtr()];
    const given = await put([
      { data: JSON.stringify(delivered), partitionKey: delivered.ContactId },
      { data: JSON.stringify(undelivered), partitionKey: undelivered.ContactId },
      { data: 'not json', partitionKey: 'bad-1' },
    ]);
    await check(given.slice(0, 1), new InMemorySink());
    const crashing = { deliver: () => Promise.reject(new Error('Task timed out after 120.00 seconds')) };
    await expect(
      checkBatch(
        asStreamRecords(given.slice(1)),
        { ttlHours: 24, keyStrategy: 'content' },
        {
          store: new DynamoDbDedupStore(table, dynamo),
          sink: crashing,
          telemetry: new RecordingTelemetry(),
        },
      ),
    ).rejects.toThrow('Task timed out');
    queueHolds([onFailureBody(given[0]!.sequenceNumber, given[2]!.sequenceNumber, 3)]);

    // Act
    const report = await redrive(options());

    // Assert: one claim released (the undelivered one), the delivered one kept, three records back on the stream
    expect(report.ranges).toEqual([
      expect.objectContaining({ status: 'redriven', found: 3, reput: 3, released: 1, lost: 0, deleted: true }),
    ]);
    expect(sqs.commandCalls(DeleteMessageCommand).map((c) => c.args[0].input.ReceiptHandle)).toEqual(['rh-0']);
    const onStream = await readStream();
    const replays = onStream.slice(3);
    expect(replays.map((r) => [r.partitionKey, r.data.toString()])).toEqual(
      given.map((r) => [r.partitionKey, r.data.toString()]),
    );
    const claim = await dynamo.send(
      new GetItemCommand({
        TableName: table,
        Key: { fingerprint: { S: contentFingerprint(undelivered) } },
        ConsistentRead: true,
      }),
    );
    expect(claim.Item).toBeUndefined();

    // And: the checker on the replays delivers the lost CTR, drops the delivered one, quarantines the bad record
    const sink = new InMemorySink();
    const replayed = await check(replays, sink);
    expect(replayed.fates).toEqual(['stored-duplicate', 'delivered', 'quarantined']);
    expect(fingerprintsOf(sink.delivered)).toEqual([contentFingerprint(undelivered), 'quarantine:INVALID_JSON']);
  });

  it('never releases a claim another record holds, nor one marked delivered', async () => {
    // Arrange: the given-up record's CTR is claimed by another record, on another shard
    const ctr = aCtr();
    const [given] = await put([{ data: JSON.stringify(ctr), partitionKey: ctr.ContactId }]);
    await dynamo.send(
      new PutItemCommand({
        TableName: table,
        Item: {
          fingerprint: { S: contentFingerprint(ctr) },
          claimedBy: { S: 'shardId-000000000009:1' },
          expiresAt: { N: String(Math.floor(Date.now() / 1000) + 3600) },
          leaseUntil: { N: String(Date.now() + 60_000) },
        },
      }),
    );
    queueHolds([onFailureBody(given!.sequenceNumber, given!.sequenceNumber, 1)]);

    // Act
    const report = await redrive(options());

    // Assert
    expect(report.ranges[0]).toMatchObject({ status: 'redriven', reput: 1, released: 0 });
    const claim = await dynamo.send(
      new GetItemCommand({
        TableName: table,
        Key: { fingerprint: { S: contentFingerprint(ctr) } },
        ConsistentRead: true,
      }),
    );
    expect(claim.Item?.claimedBy).toEqual({ S: 'shardId-000000000009:1' });
  });

  it('--dry-run reads and counts, and changes nothing: no release, no put, no delete, messages visible again', async () => {
    // Arrange
    const ctr = aCtr();
    const given = await put([{ data: JSON.stringify(ctr), partitionKey: ctr.ContactId }]);
    queueHolds([onFailureBody(given[0]!.sequenceNumber, given[0]!.sequenceNumber, 1)]);

    // Act
    const report = await redrive(options({ dryRun: true }));

    // Assert
    expect(report.ranges).toEqual([
      expect.objectContaining({ status: 'dry-run', found: 1, reput: 1, released: 1, lost: 0, deleted: false }),
    ]);
    expect(await readStream()).toHaveLength(1);
    expect(sqs).toHaveReceivedCommandTimes(DeleteMessageCommand, 0);
    expect(sqs).toHaveReceivedCommandWith(ChangeMessageVisibilityCommand, {
      ReceiptHandle: 'rh-0',
      VisibilityTimeout: 0,
    });
  });

  it('reports a range whose stream is gone as lost, with its count, and deletes the message', async () => {
    // Arrange
    const ctr = aCtr();
    const given = await put([{ data: JSON.stringify(ctr), partitionKey: ctr.ContactId }]);
    await kinesis.send(new DeleteStreamCommand({ StreamName: stream }));
    queueHolds([onFailureBody(given[0]!.sequenceNumber, given[0]!.sequenceNumber, 7)]);

    // Act
    const report = await redrive(options());

    // Assert
    expect(report.ranges[0]).toMatchObject({ status: 'lost', lost: 7, reput: 0, deleted: true });
    expect(report.ranges[0]?.problem).toMatch(/ResourceNotFoundException/);
    expect(report.totals.lost).toBe(7);
  });

  it('puts back what the stream still holds of a range and counts the rest as lost', async () => {
    // Arrange: the message says 5 records; the stream holds 2 of them
    const ctrs = [aCtr(), aCtr()];
    const given = await put(ctrs.map((ctr) => ({ data: JSON.stringify(ctr), partitionKey: ctr.ContactId })));
    queueHolds([onFailureBody(given[0]!.sequenceNumber, given[1]!.sequenceNumber, 5)]);

    // Act
    const report = await redrive(options());

    // Assert
    expect(report.ranges[0]).toMatchObject({ status: 'partly-lost', found: 2, reput: 2, lost: 3, deleted: true });
    expect(report.ranges[0]?.problem).toBe('3 records LOST: the stream no longer holds them (past its retention)');
  });

  it('keeps a message that is not a Kinesis on-failure record, and goes on with the others', async () => {
    // Arrange
    const ctr = aCtr();
    const given = await put([{ data: JSON.stringify(ctr), partitionKey: ctr.ContactId }]);
    queueHolds(['{"hello":"world"}', onFailureBody(given[0]!.sequenceNumber, given[0]!.sequenceNumber, 1)]);

    // Act
    const report = await redrive(options());

    // Assert
    expect(report.ranges.map((r) => r.status)).toEqual(['unreadable', 'redriven']);
    expect(report.ranges[0]?.problem).toMatch(/no KinesisBatchInfo/);
    expect(sqs.commandCalls(DeleteMessageCommand).map((c) => c.args[0].input.ReceiptHandle)).toEqual(['rh-1']);
    expect(sqs).toHaveReceivedCommandWith(ChangeMessageVisibilityCommand, {
      ReceiptHandle: 'rh-0',
      VisibilityTimeout: 0,
    });
  });

  it('keeps the message when the stream refuses the re-put, saying how many records were not put back', async () => {
    // Arrange: every PutRecords is refused
    const ctr = aCtr();
    const given = await put([{ data: JSON.stringify(ctr), partitionKey: ctr.ContactId }]);
    queueHolds([onFailureBody(given[0]!.sequenceNumber, given[0]!.sequenceNumber, 1)]);
    const refusing = createKinesisClient({ ...LOCAL_CLIENT_CONFIG, endpoint: kinesisServer.endpoint });
    refusing.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName === 'PutRecordsCommand') {
          throw Object.assign(new Error('User is not authorized'), { name: 'AccessDeniedException' });
        }
        return next(args);
      },
      { step: 'initialize', name: 'refusePutRecords' },
    );

    // Act
    const report = await redrive(options({ kinesis: refusing }));
    refusing.destroy();

    // Assert
    expect(report.ranges[0]).toMatchObject({ status: 'failed', reput: 0, deleted: false });
    expect(report.ranges[0]?.problem).toMatch(/1 of 1 records not put back \(AccessDeniedException/);
    expect(sqs).toHaveReceivedCommandTimes(DeleteMessageCommand, 0);
    expect(await readStream()).toHaveLength(1);
  });

  it('keeps the message and puts nothing back when the dedup table cannot release the claims', async () => {
    // Arrange: a DynamoDB endpoint nobody answers on
    const ctr = aCtr();
    const given = await put([{ data: JSON.stringify(ctr), partitionKey: ctr.ContactId }]);
    queueHolds([onFailureBody(given[0]!.sequenceNumber, given[0]!.sequenceNumber, 1)]);
    const unreachable = new DynamoDBClient({ ...LOCAL_CLIENT_CONFIG, endpoint: 'http://127.0.0.1:9', maxAttempts: 1 });

    // Act
    const report = await redrive(options({ claims: new DynamoDbDedupStore(table, unreachable) }));
    unreachable.destroy();

    // Assert
    expect(report.ranges[0]).toMatchObject({ status: 'failed', reput: 0, deleted: false });
    expect(report.ranges[0]?.problem).toMatch(/releasing claims failed/);
    expect(await readStream()).toHaveLength(1);
  });

  it('reports a message it could not delete after putting its range back', async () => {
    // Arrange
    const ctr = aCtr();
    const given = await put([{ data: JSON.stringify(ctr), partitionKey: ctr.ContactId }]);
    queueHolds([onFailureBody(given[0]!.sequenceNumber, given[0]!.sequenceNumber, 1)]);
    sqs.on(DeleteMessageCommand).rejects(Object.assign(new Error('Access denied'), { name: 'AccessDenied' }));

    // Act
    const report = await redrive(options());

    // Assert
    expect(report.ranges[0]).toMatchObject({ status: 'redriven', reput: 1, deleted: false });
    expect(report.ranges[0]?.problem).toMatch(/could not be deleted: AccessDenied/);
  });

  it('works on a local lake’s on-failure directory, as the local event source writes it', async () => {
    // Arrange
    const lake = await mkdtemp(join(tmpdir(), 'ctr-lake-redrive-'));
    const ctr = aCtr();
    const given = await put([{ data: JSON.stringify(ctr), partitionKey: ctr.ContactId }]);
    await writeOnFailureRecord(lake, 'arn:aws:lambda:x', {
      shardId: SHARD,
      streamArn: streamArn(),
      records: [
        { SequenceNumber: given[0]!.sequenceNumber, PartitionKey: given[0]!.partitionKey, Data: given[0]!.data },
      ],
      attempts: 3,
      reason: 'injected',
    });

    // Act
    const report = await redrive(options({ queue: new DirectoryFailureQueue(lake) }));

    // Assert
    expect(report.ranges).toEqual([expect.objectContaining({ status: 'redriven', reput: 1, deleted: true })]);
    expect(await readdir(join(lake, 'on-failure', 'kinesis'))).toEqual([]);
    expect(await readStream()).toHaveLength(2);
    await rm(lake, { recursive: true, force: true });
  });

  describe('npm run redrive', () => {
    const clients = () => ({
      cloudFormation: new CloudFormationClient({ region: REGION }),
      sqs: new SQSClient({ region: REGION }),
      kinesis,
      dynamoDb: dynamo,
    });

    beforeEach(() => {
      cloudFormation
        .on(DescribeStacksCommand)
        .resolves(deployedStack({ [OutputKey.OnFailureQueueUrl]: QUEUE_URL, [OutputKey.DedupTableName]: table }));
    });

    it('prints one line per range and a summary, and exits 0 when everything was put back', async () => {
      // Arrange
      const ctr = aCtr();
      const given = await put([{ data: JSON.stringify(ctr), partitionKey: ctr.ContactId }]);
      queueHolds([onFailureBody(given[0]!.sequenceNumber, given[0]!.sequenceNumber, 1)]);
      const { out, io } = captureIo();

      // Act
      const code = await redriveMain([], io, clients());

      // Assert
      expect(code).toBe(0);
      expect(out.stdout).toContain(
        `${SHARD} ${given[0]!.sequenceNumber} to ${given[0]!.sequenceNumber} (1 record): 1 put back`,
      );
      expect(out.stdout).toContain(
        'redrive: 1 messages, 1 records put back, 0 claims released, nothing lost, 0 messages kept',
      );
    });

    it('says plainly how many records are lost, and exits 1', async () => {
      // Arrange
      const ctr = aCtr();
      const given = await put([{ data: JSON.stringify(ctr), partitionKey: ctr.ContactId }]);
      queueHolds([onFailureBody(given[0]!.sequenceNumber, given[0]!.sequenceNumber, 4, streamArn('ctr-stream-gone'))]);
      const { out, io } = captureIo();

      // Act
      const code = await redriveMain(['--json'], io, clients());

      // Assert
      expect(code).toBe(1);
      const report = JSON.parse(out.stdout) as { totals: { lost: number } };
      expect(report.totals.lost).toBe(4);
    });

    it('says the queue is empty when nothing was given up', async () => {
      // Arrange
      queueHolds([]);
      const { out, io } = captureIo();

      // Act
      const code = await redriveMain([], io, clients());

      // Assert
      expect(code).toBe(0);
      expect(out.stdout).toBe(`redrive: the on-failure queue ${QUEUE_URL} is empty: nothing was given up\n`);
    });

    it('refuses an unknown option with a usage line (exit 2)', async () => {
      // Arrange
      const { out, io } = captureIo();

      // Act
      const code = await redriveMain(['--dry-rnu'], io, clients());

      // Assert
      expect(code).toBe(2);
      expect(out.stderr).toMatch(/unknown option --dry-rnu \(did you mean --dry-run\?\)/);
    });
  });
});
