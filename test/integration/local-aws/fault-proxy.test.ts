import {
  CreateTableCommand,
  DynamoDBClient,
  GetItemCommand,
  ProvisionedThroughputExceededException,
  PutItemCommand,
  ThrottlingException,
} from '@aws-sdk/client-dynamodb';
import { FirehoseClient, PutRecordBatchCommand, ServiceUnavailableException } from '@aws-sdk/client-firehose';
import {
  CreateStreamCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
  KinesisClient,
  PutRecordsCommand,
} from '@aws-sdk/client-kinesis';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { createServer } from 'node:http';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { startFaultProxy, type FaultKind, type FaultProxy } from '../../../rigs/faults/fault-proxy';
import { LOCAL_CLIENT_CONFIG, startDynalite, startKinesalite, type LocalServer } from '../../../local-aws/servers';
import { dedupTableDefinition } from '../../../local-aws/pipeline/dedup-table';

const TABLE = 'dedup';

describe('fault proxy', () => {
  let dynalite: LocalServer;
  let kinesalite: LocalServer;
  const proxies: FaultProxy[] = [];

  beforeAll(async () => {
    [dynalite, kinesalite] = await Promise.all([startDynalite(), startKinesalite()]);
    const ddb = new DynamoDBClient({ ...LOCAL_CLIENT_CONFIG, endpoint: dynalite.endpoint });
    await ddb.send(new CreateTableCommand(dedupTableDefinition(TABLE)));
    ddb.destroy();
  });

  afterAll(async () => {
    await Promise.all([...proxies.map((p) => p.stop()), dynalite.stop(), kinesalite.stop()]);
  });

  async function dynamoProxy(faultRate: number, kinds: FaultKind[], seed = 1): Promise<FaultProxy> {
    const proxy = await startFaultProxy({
      service: 'dynamodb',
      target: dynalite.endpoint,
      faultRate,
      kinds,
      seed,
      slowMs: 400,
    });
    proxies.push(proxy);
    return proxy;
  }

  function dynamoClient(endpoint: string): DynamoDBClient {
    return new DynamoDBClient({
      ...LOCAL_CLIENT_CONFIG,
      endpoint,
      maxAttempts: 1,
      requestHandler: new NodeHttpHandler({ requestTimeout: 150 }),
    });
  }

  const item = (key: string) => ({ TableName: TABLE, Item: { fingerprint: { S: key } } });

  it('passes requests through untouched when no fault is drawn', async () => {
    // Arrange
    const proxy = await dynamoProxy(0, ['throttle']);
    const client = dynamoClient(proxy.endpoint);

    // Act
    await client.send(new PutItemCommand(item('through')));
    const read = await client.send(new GetItemCommand({ TableName: TABLE, Key: { fingerprint: { S: 'through' } } }));

    // Assert
    expect(read.Item?.fingerprint?.S).toBe('through');
    expect(proxy.requests).toEqual({ PutItem: 1, GetItem: 1 });
    client.destroy();
  });

  it('answers DynamoDB throttling that the SDK parses as one of its real exception classes', async () => {
    // Arrange
    const proxy = await dynamoProxy(1, ['throttle']);
    const client = dynamoClient(proxy.endpoint);

    // Act
    const attempt = client.send(new PutItemCommand(item('throttled')));

    // Assert
    const error: unknown = await attempt.catch((caught: unknown) => caught);
    expect([ProvisionedThroughputExceededException, ThrottlingException].some((type) => error instanceof type)).toBe(
      true,
    );
    expect(proxy.injected.throttle).toBe(1);
    client.destroy();
  });

  it("answers DynamoDB throttling with both of DynamoDB's throttling errors, which the SDK retries", async () => {
    // Arrange
    const proxy = await dynamoProxy(1, ['throttle'], 11);
    const client = dynamoClient(proxy.endpoint);

    // Act
    const names = new Set<string>();
    for (let i = 0; i < 20; i += 1) {
      await client.send(new PutItemCommand(item(`throttled-${i}`))).catch((error: Error) => names.add(error.name));
    }

    // Assert
    expect(names).toEqual(new Set([ProvisionedThroughputExceededException.name, ThrottlingException.name]));
    client.destroy();
  });

  it.each<[FaultKind]>([['reset'], ['slow'], ['http500']])('never applies a request it fails with %s', async (kind) => {
    // Arrange
    const proxy = await dynamoProxy(1, [kind]);
    const client = dynamoClient(proxy.endpoint);
    const direct = dynamoClient(dynalite.endpoint);

    // Act
    const attempt = client.send(new PutItemCommand(item(`lost-${kind}`)));

    // Assert
    await expect(attempt).rejects.toBeDefined();
    const read = await direct.send(
      new GetItemCommand({ TableName: TABLE, Key: { fingerprint: { S: `lost-${kind}` } } }),
    );
    expect(read.Item).toBeUndefined();
    client.destroy();
    direct.destroy();
  });

  it('replays the same faults for the same seed', async () => {
    // Arrange
    const run = async (seed: number): Promise<string[]> => {
      const proxy = await dynamoProxy(0.5, ['throttle', 'http503'], seed);
      const client = dynamoClient(proxy.endpoint);
      const outcomes: string[] = [];
      for (let i = 0; i < 20; i += 1) {
        outcomes.push(
          await client.send(new PutItemCommand(item(`replay-${seed}-${i}`))).then(
            () => 'ok',
            (error: Error) => error.name,
          ),
        );
      }
      client.destroy();
      return outcomes;
    };

    // Act
    const first = await run(42);
    const second = await run(42);

    // Assert
    expect(second).toEqual(first);
    expect(new Set(first).size).toBeGreaterThan(1);
  });

  it('refuses some Kinesis PutRecords entries and forwards only the others', async () => {
    // Arrange
    const proxy = await startFaultProxy({
      service: 'kinesis',
      target: kinesalite.endpoint,
      faultRate: 1,
      kinds: ['partial'],
      seed: 7,
    });
    proxies.push(proxy);
    const client = new KinesisClient({
      ...LOCAL_CLIENT_CONFIG,
      endpoint: proxy.endpoint,
      requestHandler: new NodeHttpHandler(),
    });
    proxy.setEnabled(false);
    await client.send(new CreateStreamCommand({ StreamName: 'partial', ShardCount: 1 }));
    proxy.setEnabled(true);
    const records = Array.from({ length: 40 }, (_, i) => ({ Data: Buffer.from(`r${i}`), PartitionKey: 'k' }));

    // Act
    const answer = await client.send(new PutRecordsCommand({ StreamName: 'partial', Records: records }));
    proxy.setEnabled(false);
    const { ShardIterator } = await client.send(
      new GetShardIteratorCommand({
        StreamName: 'partial',
        ShardId: 'shardId-000000000000',
        ShardIteratorType: 'TRIM_HORIZON',
      }),
    );
    const read = await client.send(new GetRecordsCommand({ ShardIterator }));

    // Assert
    const accepted = answer.Records!.flatMap((entry, i) => (entry.ErrorCode ? [] : [`r${i}`]));
    expect(answer.FailedRecordCount).toBe(40 - accepted.length);
    expect(answer.FailedRecordCount).toBeGreaterThan(0);
    expect(read.Records!.map((r) => Buffer.from(r.Data!).toString())).toEqual(accepted);
    client.destroy();
  });

  it('answers Firehose throttling as ServiceUnavailableException', async () => {
    // Arrange
    const upstream = createServer((_req, res) => res.end('{}'));
    upstream.listen(0, '127.0.0.1');
    await once(upstream, 'listening');
    const proxy = await startFaultProxy({
      service: 'firehose',
      target: `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`,
      faultRate: 1,
      kinds: ['throttle'],
      seed: 3,
    });
    proxies.push(proxy);
    const client = new FirehoseClient({ ...LOCAL_CLIENT_CONFIG, endpoint: proxy.endpoint, maxAttempts: 1 });

    // Act
    const attempt = client.send(
      new PutRecordBatchCommand({ DeliveryStreamName: 'd', Records: [{ Data: Buffer.from('x') }] }),
    );

    // Assert
    await expect(attempt).rejects.toBeInstanceOf(ServiceUnavailableException);
    client.destroy();
    upstream.close();
  });
});
