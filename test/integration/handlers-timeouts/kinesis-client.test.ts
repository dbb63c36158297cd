import { ListShardsCommand, PutRecordsCommand, type KinesisClient } from '@aws-sdk/client-kinesis';
import { HttpRequest } from '@smithy/core/protocols';
import { NodeHttp2Handler } from '@smithy/node-http-handler';
import { createKinesisClient } from '../../../lambda/shared/adapters/kinesis-client';
import { LOCAL_CLIENT_CONFIG } from '../../../local-aws/servers';
import { expectTimedOutAfterRetries, startHungHttp2Server, startHungHttpServer, type HungServer } from './hung-servers';

/** Short enough to keep the suite fast; the production values are in lambda/shared/adapters/http-handler.ts. */
const SHORT = { requestTimeoutMs: 200 };
const STREAM = 'ctr-lake-ctrs';

function aPutRecords(): PutRecordsCommand {
  return new PutRecordsCommand({ StreamName: STREAM, Records: [{ Data: Buffer.from('{}'), PartitionKey: 'k' }] });
}

describe("createKinesisClient (the emulator's client) against a server that never answers", () => {
  let hung: HungServer;
  let client: KinesisClient | undefined;

  afterEach(async () => {
    client?.destroy();
    client = undefined;
    await hung.stop();
  });

  it('HTTP/1.1 to an explicit endpoint: a hung PutRecords fails with a TimeoutError after the SDK retried it', async () => {
    // Arrange
    hung = await startHungHttpServer();
    client = createKinesisClient({ ...LOCAL_CLIENT_CONFIG, endpoint: hung.endpoint }, {}, SHORT);
    const attempts = await client.config.maxAttempts();

    // Act
    const sent = client.send(aPutRecords());

    // Assert
    await expectTimedOutAfterRetries(sent, hung, { attempts, ...SHORT });
  });

  it('HTTP/1.1 through AWS_ENDPOINT_URL_KINESIS (what the emulator Lambda gets locally): times out too', async () => {
    // Arrange
    hung = await startHungHttpServer();
    const savedEnv = { ...process.env };
    process.env.AWS_ENDPOINT_URL_KINESIS = hung.endpoint;
    try {
      client = createKinesisClient(LOCAL_CLIENT_CONFIG, process.env, SHORT);
      const attempts = await client.config.maxAttempts();

      // Act
      const sent = client.send(new ListShardsCommand({ StreamName: STREAM }));

      // Assert
      await expectTimedOutAfterRetries(sent, hung, { attempts, ...SHORT });
    } finally {
      process.env = savedEnv;
    }
  });

  it("HTTP/2 against AWS (the default protocol, kept): the client's handler gives up on a silent stream", async () => {
    // Arrange: no endpoint override, so the client keeps HTTP/2. Its handler is sent one request directly, since
    // the client itself would only ever talk to AWS.
    hung = await startHungHttp2Server();
    client = createKinesisClient(LOCAL_CLIENT_CONFIG, {}, SHORT);
    const handler = client.config.requestHandler;
    const { port } = new URL(hung.endpoint);
    const request = new HttpRequest({
      protocol: 'http:',
      hostname: '127.0.0.1',
      port: Number(port),
      method: 'POST',
      path: '/',
      headers: { 'content-type': 'application/x-amz-json-1.1' },
      body: '{}',
    });

    // Act
    const handled = handler.handle(request);

    // Assert
    expect(handler).toBeInstanceOf(NodeHttp2Handler);
    await expect(handled).rejects.toMatchObject({
      name: 'TimeoutError',
      message: expect.stringContaining('no activity for 200 ms'),
    });
    expect(hung.requests()).toBe(1);
  });
});
