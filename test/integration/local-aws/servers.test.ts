import {
  CreateTableCommand,
  DescribeTimeToLiveCommand,
  DynamoDBClient,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import { CreateStreamCommand, DescribeStreamSummaryCommand, KinesisClient } from '@aws-sdk/client-kinesis';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import {
  LOCAL_CLIENT_CONFIG,
  startDynalite,
  startDynamoDbLocal,
  startKinesalite,
  type LocalServer,
} from '../../../local-aws/servers';
import { dedupTableDefinition } from '../../../local-aws/pipeline/dedup-table';

async function createTable(client: DynamoDBClient, name: string): Promise<void> {
  await client.send(new CreateTableCommand(dedupTableDefinition(name)));
}

describe('local servers', () => {
  const started: LocalServer[] = [];
  afterAll(async () => {
    await Promise.all(started.map((server) => server.stop()));
  });

  it('kinesalite accepts a stream from the real Kinesis client over HTTP/1.1', async () => {
    // Arrange
    const server = await startKinesalite();
    started.push(server);
    const client = new KinesisClient({
      ...LOCAL_CLIENT_CONFIG,
      endpoint: server.endpoint,
      requestHandler: new NodeHttpHandler(),
    });

    // Act
    await client.send(new CreateStreamCommand({ StreamName: 's', ShardCount: 2 }));
    const summary = await client.send(new DescribeStreamSummaryCommand({ StreamName: 's' }));

    // Assert
    expect(summary.StreamDescriptionSummary?.OpenShardCount).toBe(2);
    client.destroy();
  });

  it('dynalite creates a table', async () => {
    // Arrange
    const server = await startDynalite();
    started.push(server);
    const client = new DynamoDBClient({ ...LOCAL_CLIENT_CONFIG, endpoint: server.endpoint });

    // Act / Assert
    await expect(createTable(client, 'dedup')).resolves.toBeUndefined();
    client.destroy();
  });

  it('DynamoDB Local runs on Java and keeps the TTL setting', async () => {
    // Arrange
    const server = await startDynamoDbLocal();
    started.push(server);
    const client = new DynamoDBClient({ ...LOCAL_CLIENT_CONFIG, endpoint: server.endpoint });
    await createTable(client, 'dedup');

    // Act
    await client.send(
      new UpdateTimeToLiveCommand({
        TableName: 'dedup',
        TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
      }),
    );
    const ttl = await client.send(new DescribeTimeToLiveCommand({ TableName: 'dedup' }));

    // Assert
    expect(ttl.TimeToLiveDescription?.AttributeName).toBe('expiresAt');
    client.destroy();
  });

  it('stop() is idempotent', async () => {
    // Arrange
    const server = await startDynalite();

    // Act / Assert
    await server.stop();
    await expect(server.stop()).resolves.toBeUndefined();
  });
});
