import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { FirehoseClient } from '@aws-sdk/client-firehose';
import { KinesisClient } from '@aws-sdk/client-kinesis';
import { HttpRequest } from '@smithy/core/protocols';
import { NodeHttp2Handler, NodeHttpHandler } from '@smithy/node-http-handler';
import { DEFAULT_DELIVERY_ATTEMPTS } from '../../../lambda/checker/adapters/firehose-record-sink';
import {
  CONNECTION_TIMEOUT_MS,
  createHttp2Handler,
  createHttpHandler,
  DYNAMODB_TIMEOUTS,
  FIREHOSE_TIMEOUTS,
  KINESIS_TIMEOUTS,
} from '../../../lambda/shared/adapters/http-handler';

const REGION = { region: 'us-east-1' };
/** Function timeouts from lib/constructs (duplicate-checker.ts, ctr-emulator.ts). */
const CHECKER_TIMEOUT_MS = 120_000;
const EMULATOR_TIMEOUT_MS = 60_000;

/**
 * Both handlers resolve their options on their first request. One aborted before it starts opens no socket, and
 * afterwards `httpHandlerConfigs()` (public) returns what the handler really uses.
 */
async function resolvedConfigs<H extends NodeHttpHandler | NodeHttp2Handler>(
  handler: H,
): Promise<ReturnType<H['httpHandlerConfigs']>> {
  const aborted = new AbortController();
  aborted.abort();
  const request = new HttpRequest({ protocol: 'https:', hostname: '127.0.0.1', method: 'POST', path: '/' });
  await expect(handler.handle(request, { abortSignal: aborted.signal })).rejects.toMatchObject({ name: 'AbortError' });
  return handler.httpHandlerConfigs() as ReturnType<H['httpHandlerConfigs']>;
}

describe('createHttpHandler', () => {
  const handlers: NodeHttpHandler[] = [];
  afterEach(() => handlers.splice(0).forEach((h) => h.destroy()));

  it.each([
    ['DynamoDB', DYNAMODB_TIMEOUTS],
    ['Firehose', FIREHOSE_TIMEOUTS],
    ['Kinesis', KINESIS_TIMEOUTS],
  ])('puts the %s timeouts on an HTTP/1.1 handler that throws on a request timeout', async (_service, timeouts) => {
    // Arrange
    const handler = createHttpHandler(timeouts);
    handlers.push(handler);

    // Act
    const configs = await resolvedConfigs(handler);

    // Assert
    expect(handler.metadata.handlerProtocol).toBe('http/1.1');
    expect(configs).toMatchObject({
      connectionTimeout: timeouts.connectionTimeoutMs,
      requestTimeout: timeouts.requestTimeoutMs,
      throwOnRequestTimeout: true,
      socketTimeout: timeouts.requestTimeoutMs,
    });
  });

  it('keeps connections alive across requests', async () => {
    // Arrange
    const handler = createHttpHandler(DYNAMODB_TIMEOUTS);
    handlers.push(handler);

    // Act
    const configs = await resolvedConfigs(handler);

    // Assert
    expect(configs.httpsAgent).toMatchObject({ keepAlive: true });
  });

  it('takes overrides of single values, keeping the others', async () => {
    // Arrange
    const handler = createHttpHandler(FIREHOSE_TIMEOUTS, { requestTimeoutMs: 200 });
    handlers.push(handler);

    // Act
    const configs = await resolvedConfigs(handler);

    // Assert
    expect(configs).toMatchObject({
      connectionTimeout: FIREHOSE_TIMEOUTS.connectionTimeoutMs,
      requestTimeout: 200,
      socketTimeout: 200,
    });
  });
});

describe('createHttp2Handler', () => {
  it('keeps the Kinesis client default (HTTP/2, one session per request) and adds the request timeout', async () => {
    // Arrange
    const handler = createHttp2Handler(KINESIS_TIMEOUTS, { requestTimeoutMs: 250 });

    // Act
    const configs = await resolvedConfigs(handler);
    handler.destroy();

    // Assert
    expect(handler.metadata.handlerProtocol).toBe('h2');
    expect(configs).toMatchObject({ requestTimeout: 250, disableConcurrentStreams: true });
  });
});

describe('timeout budget', () => {
  it('gives the larger requests (Firehose 4 MiB, Kinesis 5 MiB) more time than DynamoDB single-item writes', () => {
    // Assert
    expect(FIREHOSE_TIMEOUTS.requestTimeoutMs).toBeGreaterThan(DYNAMODB_TIMEOUTS.requestTimeoutMs);
    expect(KINESIS_TIMEOUTS.requestTimeoutMs).toBeGreaterThan(FIREHOSE_TIMEOUTS.requestTimeoutMs);
    expect(DYNAMODB_TIMEOUTS.requestTimeoutMs).toBeGreaterThan(CONNECTION_TIMEOUT_MS);
  });

  /** The SDK's default attempts per call, as each service's client resolves them (DynamoDB's differ). */
  async function defaultAttempts(client: DynamoDBClient | FirehoseClient | KinesisClient): Promise<number> {
    const attempts = await client.config.maxAttempts();
    client.destroy();
    return attempts;
  }

  it("fits the SDK's attempts of each call well inside (at most half) its function's timeout", async () => {
    // Arrange
    const dynamoDbAttempts = await defaultAttempts(new DynamoDBClient(REGION));
    const firehoseAttempts = await defaultAttempts(new FirehoseClient(REGION));
    const kinesisAttempts = await defaultAttempts(new KinesisClient(REGION));

    // Act
    const dynamoDbCall = dynamoDbAttempts * DYNAMODB_TIMEOUTS.requestTimeoutMs;
    const firehoseCall = firehoseAttempts * FIREHOSE_TIMEOUTS.requestTimeoutMs;
    const kinesisCall = kinesisAttempts * KINESIS_TIMEOUTS.requestTimeoutMs;

    // Assert
    expect(dynamoDbCall).toBeLessThanOrEqual(CHECKER_TIMEOUT_MS / 2);
    expect(firehoseCall).toBeLessThanOrEqual(CHECKER_TIMEOUT_MS / 2);
    expect(kinesisCall).toBeLessThanOrEqual(EMULATOR_TIMEOUT_MS / 2);
  });

  it("fits the checker's whole delivery loop (its attempts × the SDK's) inside the checker's timeout", async () => {
    // Arrange
    const firehoseAttempts = await defaultAttempts(new FirehoseClient(REGION));

    // Act
    const everyDeliveryAttemptHung = DEFAULT_DELIVERY_ATTEMPTS * firehoseAttempts * FIREHOSE_TIMEOUTS.requestTimeoutMs;

    // Assert
    expect(everyDeliveryAttemptHung).toBeLessThan(CHECKER_TIMEOUT_MS);
  });
});
