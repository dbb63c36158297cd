import Redis, { Cluster } from 'ioredis';
import { createValkeyConnection, TOKEN_REFRESH_MS } from '../../../lambda/checker/adapters/valkey-client';
import type { ValkeyEndpoint } from '../../../lambda/checker/config';

const CREDENTIALS = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' };
const START = new Date('2026-03-04T09:00:00Z');
const AWS_ENDPOINT: ValkeyEndpoint = {
  mode: 'aws',
  host: 'ctr-dedup-abc.serverless.euw1.cache.amazonaws.com',
  port: 6379,
  cacheName: 'ctr-dedup-abc',
  userId: 'ctr-checker-abc',
};

function awsConnection(clock: () => Date) {
  let credentialCalls = 0;
  const connection = createValkeyConnection(AWS_ENDPOINT, {
    credentials: async () => {
      credentialCalls++;
      return CREDENTIALS;
    },
    region: async () => 'eu-west-1',
    clock,
  });
  return { connection, credentialCalls: () => credentialCalls };
}

function clusterOf(client: unknown): Cluster {
  if (!(client instanceof Cluster)) throw new Error('expected an ioredis Cluster');
  return client;
}

describe('createValkeyConnection', () => {
  it('builds an auto-pipelining Cluster client with TLS for the endpoint name, AUTH as the IAM user', () => {
    // Act
    const { connection } = awsConnection(() => START);

    // Assert
    const cluster = clusterOf(connection.client);
    expect(cluster.options.enableAutoPipelining).toBe(true);
    expect(cluster.options.redisOptions).toMatchObject({
      tls: { servername: AWS_ENDPOINT.host },
      username: 'ctr-checker-abc',
      enableAutoPipelining: true,
      commandTimeout: 2000,
    });
    expect(cluster.status).toBe('wait');
    let resolved: string | undefined;
    cluster.options.dnsLookup?.(AWS_ENDPOINT.host, (_error, address) => (resolved = address));
    expect(resolved).toBe(AWS_ENDPOINT.host);
    connection.close();
  });

  it('signs an IAM token for the cache and user as the password, and signs a new one only after 10 minutes', async () => {
    // Arrange
    let now = START;
    const { connection, credentialCalls } = awsConnection(() => now);
    const cluster = clusterOf(connection.client);

    // Act
    await connection.refreshAuth();
    const first = cluster.options.redisOptions?.password;
    now = new Date(START.getTime() + TOKEN_REFRESH_MS - 1);
    await connection.refreshAuth();
    const stillFirst = cluster.options.redisOptions?.password;
    now = new Date(START.getTime() + TOKEN_REFRESH_MS);
    await connection.refreshAuth();
    const second = cluster.options.redisOptions?.password;

    // Assert
    expect(first).toMatch(/^ctr-dedup-abc\/\?Action=connect&User=ctr-checker-abc&ResourceType=ServerlessCache&/);
    expect(first).toContain('X-Amz-Expires=900');
    expect(first).toContain('X-Amz-Date=20260304T090000Z');
    expect(first).toContain('%2Feu-west-1%2Felasticache%2Faws4_request');
    expect(stillFirst).toBe(first);
    expect(second).toContain('X-Amz-Date=20260304T091000Z');
    expect(credentialCalls()).toBe(2);
    connection.close();
  });

  it('uses TLS and the token on one connection for rediss://', async () => {
    // Arrange
    const connection = createValkeyConnection(
      { ...AWS_ENDPOINT, mode: 'tls', host: 'cache.example', port: 6380 },
      { credentials: async () => CREDENTIALS, region: async () => 'eu-west-1', clock: () => START },
    );

    // Act
    await connection.refreshAuth();

    // Assert
    expect(connection.client).toBeInstanceOf(Redis);
    const redis = connection.client as Redis;
    expect(redis.options).toMatchObject({ host: 'cache.example', port: 6380, tls: { servername: 'cache.example' } });
    expect(redis.options.password).toMatch(/^ctr-dedup-abc\/\?Action=connect/);
    connection.close();
  });

  it('connects to a local server plainly, with no AUTH and no credentials asked for', async () => {
    // Arrange
    const credentials = jest.fn();
    const connection = createValkeyConnection(
      { mode: 'local', host: '127.0.0.1', port: 6390 },
      { credentials, region: async () => 'us-east-1' },
    );

    // Act
    await connection.refreshAuth();

    // Assert
    const redis = connection.client as Redis;
    expect(redis).toBeInstanceOf(Redis);
    expect(redis.options).toMatchObject({ host: '127.0.0.1', port: 6390, enableAutoPipelining: true });
    expect(redis.options.tls).toBeUndefined();
    expect(redis.options.password ?? undefined).toBeUndefined();
    expect(credentials).not.toHaveBeenCalled();
    connection.close();
  });
});
