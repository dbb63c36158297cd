import { CreateTableCommand, DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { createCheckerHandler } from '../../../lambda/checker/handler';
import { contentFingerprint } from '../../../lambda/shared/fingerprint';
import { createLambdaContext } from '../../../local-aws/lambda-runtime/lambda-context';
import { dedupTableDefinition } from '../../../local-aws/pipeline/dedup-table';
import { LOCAL_CLIENT_CONFIG, startDynalite, type LocalServer } from '../../../local-aws/servers';
import { aCtr, kinesisEvent, sequenceNumberAt } from '../../support/ctr-factory';
import { startHungHttpServer, type HungServer } from './hung-servers';
import { LOCAL_LAMBDA_ENV } from '../../support/local-lambda-env';

/**
 * Item 2 of issue 17: the checker never outlives its function. The servers here never answer and the SDK clients'
 * own timeouts are far longer than the invocation, so only the invocation's deadline (the Lambda context's
 * getRemainingTimeInMillis) can end the work. The guard is not a jest timeout: it is what the handler is raced
 * against, and losing the race is the assertion's failure.
 */

const ENV = { DEDUP_TABLE_NAME: 'ctr-dedup', DELIVERY_STREAM_NAME: 'ctr-lake-delivery' };
/** The function's timeout in these tests. */
const DEADLINE_MS = 3_000;
/** Far past the deadline: a handler still running then has ignored it. */
const GUARD_MS = 25_000;
/** Longer than the guard: no SDK timeout ends a hung call before the guard does. */
const SLOW_SDK = { requestTimeoutMs: 60_000 };

async function raceGuard<T>(work: Promise<T>): Promise<T | 'still running'> {
  let timer: NodeJS.Timeout | undefined;
  const guard = new Promise<'still running'>((resolve) => {
    timer = setTimeout(() => resolve('still running'), GUARD_MS);
  });
  try {
    return await Promise.race([work, guard]);
  } finally {
    clearTimeout(timer);
  }
}

describe('the checker against hung servers and a short deadline', () => {
  const savedEnv = { ...process.env };
  let hung: HungServer;
  let dynalite: LocalServer;
  let reader: DynamoDBClient;

  beforeEach(async () => {
    [hung, dynalite] = await Promise.all([startHungHttpServer(), startDynalite()]);
    reader = new DynamoDBClient({ ...LOCAL_CLIENT_CONFIG, endpoint: dynalite.endpoint });
    await reader.send(new CreateTableCommand(dedupTableDefinition(ENV.DEDUP_TABLE_NAME)));
    Object.assign(process.env, LOCAL_LAMBDA_ENV);
  });

  afterEach(async () => {
    process.env = { ...savedEnv };
    reader.destroy();
    await Promise.all([hung.stop(), dynalite.stop()]);
  });

  it('with DynamoDB hung, stops claiming before the deadline and reports the first record not done', async () => {
    // Arrange
    process.env.AWS_ENDPOINT_URL_DYNAMODB = hung.endpoint;
    process.env.AWS_ENDPOINT_URL_FIREHOSE = hung.endpoint;
    const check = createCheckerHandler({ env: ENV, requestTimeouts: { dynamoDb: SLOW_SDK, firehose: SLOW_SDK } });
    const event = kinesisEvent(Array.from({ length: 40 }, () => aCtr()));

    // Act
    const response = await raceGuard(check(event, createLambdaContext('ctr-checker', DEADLINE_MS)));

    // Assert
    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: sequenceNumberAt(0) }] });
  });

  it('with Firehose hung, stops delivering before the deadline, reports the batch failed and releases its claims', async () => {
    // Arrange
    process.env.AWS_ENDPOINT_URL_DYNAMODB = dynalite.endpoint;
    process.env.AWS_ENDPOINT_URL_FIREHOSE = hung.endpoint;
    const check = createCheckerHandler({ env: ENV, requestTimeouts: { firehose: SLOW_SDK } });
    const ctrs = [aCtr(), aCtr(), aCtr()];

    // Act
    const response = await raceGuard(check(kinesisEvent(ctrs), createLambdaContext('ctr-checker', DEADLINE_MS)));

    // Assert
    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: sequenceNumberAt(0) }] });
    for (const ctr of ctrs) {
      const { Item } = await reader.send(
        new GetItemCommand({
          TableName: ENV.DEDUP_TABLE_NAME,
          Key: { fingerprint: { S: contentFingerprint(ctr) } },
          ConsistentRead: true,
        }),
      );
      expect(Item).toBeUndefined();
    }
  });
});
