import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DescribeStreamSummaryCommand, type KinesisClient } from '@aws-sdk/client-kinesis';
import { createKinesisClient } from '../../../lambda/shared/adapters/kinesis-client';
import { createStream, ensureDedupTable } from '../../../local-aws/pipeline/local-resources';
import { LOCAL_CLIENT_CONFIG, startDynalite, startKinesalite, type LocalServer } from '../../../local-aws/servers';

describe('local resources', () => {
  let dynalite: LocalServer;
  let kinesalite: LocalServer;
  let dynamo: DynamoDBClient;
  let kinesis: KinesisClient;

  beforeAll(async () => {
    [dynalite, kinesalite] = await Promise.all([startDynalite(), startKinesalite()]);
    dynamo = new DynamoDBClient({ ...LOCAL_CLIENT_CONFIG, endpoint: dynalite.endpoint });
    kinesis = createKinesisClient({ ...LOCAL_CLIENT_CONFIG, endpoint: kinesalite.endpoint });
  });

  afterAll(async () => {
    dynamo.destroy();
    kinesis.destroy();
    await Promise.all([dynalite.stop(), kinesalite.stop()]);
  });

  it('creates the dedup table keyed by fingerprint, and leaves an existing one alone', async () => {
    // Act
    const first = await ensureDedupTable(dynamo, 'dedup');
    const second = await ensureDedupTable(dynamo, 'dedup');

    // Assert
    const { Table } = await dynamo.send(new DescribeTableCommand({ TableName: 'dedup' }));
    expect(Table?.KeySchema).toEqual([{ AttributeName: 'fingerprint', KeyType: 'HASH' }]);
    // dynalite has no TTL API: the claim condition's expiresAt check stands in for it.
    expect([first.ttl, second.ttl]).toEqual([false, false]);
  });

  it('creates an active stream with the shards asked for and returns its ARN', async () => {
    // Act
    const arn = await createStream(kinesis, 'ctrs', 3);

    // Assert
    const { StreamDescriptionSummary } = await kinesis.send(new DescribeStreamSummaryCommand({ StreamName: 'ctrs' }));
    expect(StreamDescriptionSummary).toMatchObject({ StreamStatus: 'ACTIVE', OpenShardCount: 3, StreamARN: arn });
  });

  it('takes a stream that already exists with the shards asked for as created (a retried CreateStream), and refuses one with other shards', async () => {
    // Arrange
    const arn = await createStream(kinesis, 'retried', 2);

    // Act
    const again = await createStream(kinesis, 'retried', 2);
    const other = createStream(kinesis, 'retried', 1);

    // Assert
    expect(again).toBe(arn);
    await expect(other).rejects.toThrow('stream retried exists with 2 shards, not the 1 asked for');
  });
});
