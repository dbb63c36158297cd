import { CreateTableCommand, DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { FirehoseClient, PutRecordBatchCommand } from '@aws-sdk/client-firehose';
import { DEFAULT_DELIVERY_ATTEMPTS } from '../../../lambda/checker/adapters/firehose-record-sink';
import { createCheckerHandler, createDynamoDbClient, createFirehoseClient } from '../../../lambda/checker/handler';
import { contentFingerprint } from '../../../lambda/shared/fingerprint';
import { LOCAL_CLIENT_CONFIG, startDynalite, type LocalServer } from '../../../local-aws/servers';
import { aCtr, kinesisEvent, sequenceNumberAt } from '../../support/ctr-factory';
import { expectTimedOutAfterRetries, startHungHttpServer, type HungServer } from './hung-servers';
import { dedupTableDefinition } from '../../../local-aws/pipeline/dedup-table';
import { LOCAL_LAMBDA_ENV } from '../../support/local-lambda-env';

/** Short enough to keep the suite fast; the production values are in lambda/shared/adapters/http-handler.ts. */
const SHORT = { requestTimeoutMs: 200 };
/** The SDK's default attempts per call, as a client resolves them (4 for DynamoDB, 3 for Firehose). Destroys it. */
async function defaultAttempts(client: DynamoDBClient | FirehoseClient): Promise<number> {
  const attempts = await client.config.maxAttempts();
  client.destroy();
  return attempts;
}

const ENV = { DEDUP_TABLE_NAME: 'ctr-dedup', DELIVERY_STREAM_NAME: 'ctr-lake-delivery' };

describe("the checker's own SDK clients against a server that never answers", () => {
  const savedEnv = { ...process.env };
  let hung: HungServer;
  const clients: Array<DynamoDBClient | FirehoseClient> = [];

  beforeEach(async () => {
    hung = await startHungHttpServer();
    // What Lambda (or the local runner) provides; the clients read the endpoint variables at their first call.
    Object.assign(process.env, LOCAL_LAMBDA_ENV);
  });

  afterEach(async () => {
    process.env = { ...savedEnv };
    clients.splice(0).forEach((client) => client.destroy());
    await hung.stop();
  });

  it('DynamoDB: a hung PutItem fails with a TimeoutError after the SDK retried it (AWS_ENDPOINT_URL_DYNAMODB)', async () => {
    // Arrange
    process.env.AWS_ENDPOINT_URL_DYNAMODB = hung.endpoint;
    const client = createDynamoDbClient(SHORT);
    clients.push(client);
    const attempts = await client.config.maxAttempts();

    // Act
    const sent = client.send(
      new PutItemCommand({ TableName: ENV.DEDUP_TABLE_NAME, Item: { fingerprint: { S: 'abc' } } }),
    );

    // Assert
    await expectTimedOutAfterRetries(sent, hung, { attempts, ...SHORT });
  });

  it('Firehose: a hung PutRecordBatch fails with a TimeoutError after the SDK retried it (AWS_ENDPOINT_URL_FIREHOSE)', async () => {
    // Arrange
    process.env.AWS_ENDPOINT_URL_FIREHOSE = hung.endpoint;
    const client = createFirehoseClient(SHORT);
    clients.push(client);
    const attempts = await client.config.maxAttempts();

    // Act
    const sent = client.send(
      new PutRecordBatchCommand({
        DeliveryStreamName: ENV.DELIVERY_STREAM_NAME,
        Records: [{ Data: Buffer.from('{}') }],
      }),
    );

    // Assert
    await expectTimedOutAfterRetries(sent, hung, { attempts, ...SHORT });
  });

  it('handler: a hung claim fails the record through the failure path instead of hanging the invocation', async () => {
    // Arrange
    process.env.AWS_ENDPOINT_URL_DYNAMODB = hung.endpoint;
    const check = createCheckerHandler({ env: ENV, requestTimeouts: { dynamoDb: SHORT } });
    const attempts = await defaultAttempts(createDynamoDbClient());

    // Act
    const response = await check(kinesisEvent([aCtr()]));

    // Assert
    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: sequenceNumberAt(0) }] });
    // The claim's attempts, then its release's: a timed-out claim may have been applied (check-batch.ts step 8).
    expect(hung.requests()).toBe(2 * attempts);
  });

  describe('with the dedup table on dynalite', () => {
    let dynalite: LocalServer;

    beforeEach(async () => {
      dynalite = await startDynalite();
      const admin = new DynamoDBClient({ ...LOCAL_CLIENT_CONFIG, endpoint: dynalite.endpoint });
      clients.push(admin);
      await admin.send(new CreateTableCommand(dedupTableDefinition(ENV.DEDUP_TABLE_NAME)));
    });

    afterEach(async () => {
      await dynalite.stop();
    });

    it('handler: a hung delivery fails the record and releases its claim, so a copy is not blocked if Lambda gives it up', async () => {
      // Arrange
      Object.assign(process.env, {
        AWS_ENDPOINT_URL_DYNAMODB: dynalite.endpoint,
        AWS_ENDPOINT_URL_FIREHOSE: hung.endpoint,
      });
      const ctr = aCtr();
      const check = createCheckerHandler({
        env: ENV,
        requestTimeouts: { firehose: SHORT },
        delivery: { baseMs: 1, maxMs: 5 },
      });
      const attempts = await defaultAttempts(createFirehoseClient());

      // Act
      const response = await check(kinesisEvent([ctr]));

      // Assert
      expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: sequenceNumberAt(0) }] });
      expect(hung.requests()).toBe(DEFAULT_DELIVERY_ATTEMPTS * attempts);
      const reader = new DynamoDBClient({ ...LOCAL_CLIENT_CONFIG, endpoint: dynalite.endpoint });
      clients.push(reader);
      const claim = await reader.send(
        new GetItemCommand({ TableName: ENV.DEDUP_TABLE_NAME, Key: { fingerprint: { S: contentFingerprint(ctr) } } }),
      );
      // Released even though Firehose may hold it: check-batch.ts step 8 says why (a raw duplicate, never a loss).
      expect(claim.Item).toBeUndefined();
    });
  });
});
