import { NodeHttp2Handler, NodeHttpHandler } from '@smithy/node-http-handler';
import { createKinesisClient } from '../../../lambda/shared/adapters/kinesis-client';

const REGION = { region: 'us-east-1' };

describe('createKinesisClient', () => {
  it.each([
    ['AWS_ENDPOINT_URL_KINESIS', { AWS_ENDPOINT_URL_KINESIS: 'http://127.0.0.1:4567' }],
    ['AWS_ENDPOINT_URL', { AWS_ENDPOINT_URL: 'http://127.0.0.1:4567' }],
  ])('speaks HTTP/1.1 when %s points it at a local server', (_name, env) => {
    // Act
    const client = createKinesisClient(REGION, env);

    // Assert
    expect(client.config.requestHandler).toBeInstanceOf(NodeHttpHandler);
  });

  it('speaks HTTP/1.1 when given an explicit endpoint', () => {
    // Act
    const client = createKinesisClient({ ...REGION, endpoint: 'http://127.0.0.1:4567' }, {});

    // Assert
    expect(client.config.requestHandler).toBeInstanceOf(NodeHttpHandler);
  });

  it('keeps the default (HTTP/2) handler against AWS', () => {
    // Act
    const client = createKinesisClient(REGION, {});

    // Assert
    expect(client.config.requestHandler).toBeInstanceOf(NodeHttp2Handler);
  });

  it('keeps a request handler the caller chose', () => {
    // Arrange
    const requestHandler = new NodeHttpHandler({ requestTimeout: 1234 });

    // Act
    const client = createKinesisClient(
      { ...REGION, requestHandler },
      { AWS_ENDPOINT_URL_KINESIS: 'http://127.0.0.1:1' },
    );

    // Assert
    expect(client.config.requestHandler).toBe(requestHandler);
  });
});
