import { Redis } from 'ioredis';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  findRedisServer,
  RedisServerNotInstalledError,
  startRedisServer,
  type RedisServer,
} from '../../../local-aws/servers/redis-server';
import { describeIfInstalled } from '../../support/debian-package';

describe('findRedisServer', () => {
  it('finds nothing on a PATH without a server, and the start error says how to install one', async () => {
    // Arrange
    const path = process.env.PATH;
    process.env.PATH = '/nonexistent';

    try {
      // Act / Assert
      expect(findRedisServer()).toBeUndefined();
      await expect(startRedisServer()).rejects.toThrow(RedisServerNotInstalledError);
      await expect(startRedisServer()).rejects.toThrow(/apt-get install redis-server/);
    } finally {
      process.env.PATH = path;
    }
  });
});

describeIfInstalled('redis-server', findRedisServer() !== undefined)('startRedisServer', () => {
  let dir: string;
  let server: RedisServer | undefined;
  let client: Redis | undefined;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ctr-lake-redis-'));
  });

  afterEach(async () => {
    client?.disconnect();
    await server?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('serves on 127.0.0.1 and keeps keys in its directory across a restart on the same port', async () => {
    // Arrange
    server = await startRedisServer({ dir });
    client = new Redis(server.endpoint, { maxRetriesPerRequest: 20, retryStrategy: () => 50 });
    await client.set('ctr-dedup:k', 'v', 'EX', 60);

    // Act
    await server.restart();

    // Assert
    expect(server.endpoint).toBe(`redis://127.0.0.1:${server.port}`);
    expect(await client.get('ctr-dedup:k')).toBe('v');
    expect(await client.ttl('ctr-dedup:k')).toBeGreaterThan(0);
  });

  it('stops idempotently', async () => {
    // Arrange
    server = await startRedisServer();

    // Act
    await Promise.all([server.stop(), server.stop()]);

    // Assert
    client = new Redis(server.endpoint, { maxRetriesPerRequest: 0, retryStrategy: () => null, lazyConnect: true });
    await expect(client.connect()).rejects.toThrow();
  });
});
