import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import {
  FirehoseClient,
  PutRecordBatchCommand,
  type PutRecordBatchCommandInput,
  type PutRecordBatchCommandOutput,
} from '@aws-sdk/client-firehose';
import { mockClient } from 'aws-sdk-client-mock';
import type { ValkeyConnection } from '../../../lambda/checker/adapters/valkey-client';
import { createCheckerHandler, handler, toStreamRecords } from '../../../lambda/checker/handler';
import { ConfigurationError } from '../../../lambda/shared/errors';
import { contentFingerprint } from '../../../lambda/shared/fingerprint';
import { aCtr, kinesisEvent, kinesisRecord, sequenceNumberAt } from '../../support/ctr-factory';
import { captureStdout } from '../../support/captured-stdout';

const ddb = mockClient(DynamoDBClient);
const firehose = mockClient(FirehoseClient);
const ENV = { DEDUP_TABLE_NAME: 'ctr-dedup', DELIVERY_STREAM_NAME: 'ctr-delivery' };

function firehoseTakesAll(): void {
  firehose.on(PutRecordBatchCommand).callsFake((input: PutRecordBatchCommandInput): PutRecordBatchCommandOutput => ({
    $metadata: {},
    FailedPutCount: 0,
    RequestResponses: (input.Records ?? []).map((_, i) => ({ RecordId: `r-${i}` })),
  }));
}

beforeEach(() => {
  ddb.reset();
  firehose.reset();
});

describe('checker handler', () => {
  it('refuses a bad environment with a ConfigurationError before any record', () => {
    expect(() => createCheckerHandler({ env: { DEDUP_TABLE_NAME: 'ctr-dedup' } })).toThrow(ConfigurationError);
    expect(() => createCheckerHandler({ env: { ...ENV, DEDUP_TTL_HOURS: 'never' } })).toThrow(ConfigurationError);
    expect(() => createCheckerHandler({ env: { ...ENV, DEDUP_KEY_STRATEGY: 'both' } })).toThrow(ConfigurationError);
  });

  it('dedups a Kinesis event into Firehose and answers with ReportBatchItemFailures’ shape', async () => {
    // Arrange
    const ctr = aCtr();
    ddb.on(PutItemCommand).resolves({});
    firehoseTakesAll();
    const check = createCheckerHandler({
      env: ENV,
      dynamoDb: new DynamoDBClient({}),
      firehose: new FirehoseClient({}),
    });
    const stdout = captureStdout();

    // Act
    let response;
    try {
      response = await check(kinesisEvent([ctr, ctr]));
    } finally {
      stdout.restore();
    }

    // Assert
    expect(response).toEqual({ batchItemFailures: [] });
    expect(ddb).toHaveReceivedCommandTimes(PutItemCommand, 1);
    expect(firehose).toHaveReceivedCommandWith(PutRecordBatchCommand, { DeliveryStreamName: 'ctr-delivery' });
    const emf = stdout
      .text()
      .split('\n')
      .filter((line) => line.includes('"_aws"'))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(emf).toHaveLength(1);
    expect(emf[0]).toMatchObject({ RecordsIn: 2, InBatchDuplicates: 1, Delivered: 1, StoredDuplicates: 0 });
  });

  it('with DEDUP_STORE=valkey claims through the injected Valkey connection, prepared before each invocation', async () => {
    // Arrange: a server whose claim script always applies and whose marks succeed
    const steps: string[] = [];
    const connection: ValkeyConnection = {
      client: {
        evalsha: async (_sha, _keys, key) => {
          steps.push(`evalsha ${key}`);
          return steps.filter((step) => step.startsWith('evalsha')).length === 1 ? [1, null, null, null, null] : 1;
        },
        eval: async () => {
          throw new Error('not expected: the script is cached');
        },
      },
      prepare: async () => {
        steps.push('prepare');
      },
      refreshAuth: async () => undefined,
      close: () => undefined,
    };
    firehoseTakesAll();
    const ctr = aCtr();
    const check = createCheckerHandler({
      env: { DEDUP_STORE: 'valkey', VALKEY_ENDPOINT: 'redis://127.0.0.1:6379', DELIVERY_STREAM_NAME: 'ctr-delivery' },
      valkey: connection,
      firehose: new FirehoseClient({}),
    });
    const stdout = captureStdout();

    // Act
    let response;
    try {
      response = await check(kinesisEvent([ctr, ctr]));
    } finally {
      stdout.restore();
    }

    // Assert: one claim, Firehose, one delivered mark; no DynamoDB request
    expect(response).toEqual({ batchItemFailures: [] });
    const key = `ctr-dedup:${contentFingerprint(ctr)}`;
    expect(steps).toEqual(['prepare', `evalsha ${key}`, `evalsha ${key}`]);
    expect(firehose).toHaveReceivedCommandTimes(PutRecordBatchCommand, 1);
    expect(ddb.calls()).toHaveLength(0);
  });

  it('the exported handler reads process.env once and builds default SDK clients', async () => {
    // Arrange
    Object.assign(process.env, ENV, { AWS_REGION: 'us-east-1' });
    ddb.on(PutItemCommand).resolves({});
    firehoseTakesAll();
    const stdout = captureStdout();

    // Act
    let first;
    let second;
    try {
      first = await handler(kinesisEvent([aCtr()]));
      delete process.env.DEDUP_TABLE_NAME;
      second = await handler(kinesisEvent([aCtr()], { firstIndex: 1 }));
    } finally {
      stdout.restore();
      delete process.env.DELIVERY_STREAM_NAME;
    }

    // Assert
    expect(first).toEqual({ batchItemFailures: [] });
    expect(second).toEqual({ batchItemFailures: [] });
    expect(ddb.commandCalls(PutItemCommand).map((c) => c.args[0].input.TableName)).toEqual(['ctr-dedup', 'ctr-dedup']);
  });

  it.each<[string, { env?: Record<string, string>; cacheSize?: number }, number]>([
    ['by default', {}, 1],
    ['unless DEDUP_CACHE_SIZE=0', { env: { DEDUP_CACHE_SIZE: '0' } }, 2],
    ['unless the cacheSize option is 0', { env: { DEDUP_CACHE_SIZE: '10' }, cacheSize: 0 }, 2],
  ])('keeps delivered keys across invocations of one container %s', async (_, options, claims) => {
    // Arrange
    const ctr = aCtr();
    ddb.on(PutItemCommand).resolves({});
    firehoseTakesAll();
    const check = createCheckerHandler({
      env: { ...ENV, ...options.env },
      dynamoDb: new DynamoDBClient({}),
      firehose: new FirehoseClient({}),
      ...(options.cacheSize === undefined ? {} : { cacheSize: options.cacheSize }),
    });
    const stdout = captureStdout();

    // Act: the same CTR in two invocations (another eventID the second time)
    try {
      await check(kinesisEvent([ctr]));
      await check(kinesisEvent([ctr], { firstIndex: 1 }));
    } finally {
      stdout.restore();
    }

    // Assert: the fake table takes every claim, so without the cache the copy is claimed (and delivered) again
    expect(ddb).toHaveReceivedCommandTimes(PutItemCommand, claims);
    expect(firehose).toHaveReceivedCommandTimes(PutRecordBatchCommand, claims);
  });

  it('maps the Lambda Kinesis records to eventID, sequence number and data', () => {
    // Arrange
    const record = kinesisRecord('x', { sequenceNumber: sequenceNumberAt(3) });

    // Act
    const [mapped] = toStreamRecords({ Records: [record] });

    // Assert
    expect(mapped).toEqual({
      eventId: `shardId-000000000000:${sequenceNumberAt(3)}`,
      sequenceNumber: sequenceNumberAt(3),
      data: Buffer.from('x').toString('base64'),
    });
  });
});
