import { Redis } from 'ioredis';
import { startTcpFaultProxy, type TcpFaultProxy } from '../../../rigs/faults/tcp-fault-proxy';
import { findRedisServer, startRedisServer, type RedisServer } from '../../../local-aws/servers/redis-server';
import { describeIfInstalled } from '../../support/debian-package';

describeIfInstalled('redis-server', findRedisServer() !== undefined)('startTcpFaultProxy', () => {
  let server: RedisServer;
  let direct: Redis;
  const proxies: TcpFaultProxy[] = [];
  const clients: Redis[] = [];

  beforeAll(async () => {
    server = await startRedisServer();
    direct = new Redis(server.endpoint);
  });

  afterAll(async () => {
    for (const client of clients) client.disconnect();
    direct.disconnect();
    await Promise.all(proxies.map((proxy) => proxy.stop()));
    await server.stop();
  });

  /** A client through a fresh proxy, connected while faults are off, so that the handshake is not faulted. */
  async function proxyWith(options: Omit<Parameters<typeof startTcpFaultProxy>[0], 'targetPort'>): Promise<Redis> {
    const proxy = await startTcpFaultProxy({ ...options, targetPort: server.port });
    proxies.push(proxy);
    proxy.setEnabled(false);
    const client = new Redis(proxy.endpoint, { maxRetriesPerRequest: 0, commandTimeout: 300, retryStrategy: () => 20 });
    clients.push(client);
    await client.ping();
    proxy.setEnabled(true);
    return client;
  }

  it('forwards every command unchanged when no fault is drawn', async () => {
    // Arrange
    const client = await proxyWith({ faultRate: 0, seed: 1 });

    // Act
    await client.set('p:k', 'v');

    // Assert
    expect(await direct.get('p:k')).toBe('v');
  });

  it('resets before forwarding: the command fails and was never applied', async () => {
    // Arrange
    const client = await proxyWith({ faultRate: 1, seed: 2, kinds: ['reset'] });

    // Act
    const result = client.set('p:never', 'v').then(
      () => 'applied',
      () => 'failed',
    );

    // Assert
    expect(await result).toBe('failed');
    expect(await direct.exists('p:never')).toBe(0);
  });

  it('resets after forwarding: the command fails for the client but the server applied it', async () => {
    // Arrange
    const client = await proxyWith({ faultRate: 1, seed: 3, kinds: ['reset-after'] });

    // Act
    const result = await client.set('p:applied', 'v').then(
      () => 'answered',
      () => 'failed',
    );

    // Assert: the server's answer never reached the client (or raced the cut); either way the write stands.
    expect(['failed', 'answered']).toContain(result);
    await expect(direct.get('p:applied')).resolves.toBe('v');
  });

  it('stalls the answer past the client timeout: the client gives up on a command the server applied', async () => {
    // Arrange
    const client = await proxyWith({ faultRate: 1, seed: 4, kinds: ['stall'], stallMs: 600 });

    // Act
    const result = await client.set('p:late', 'v').then(
      () => 'answered',
      (error: Error) => error.message,
    );

    // Assert
    expect(result).toMatch(/timed out/i);
    expect(await direct.get('p:late')).toBe('v');
  });
});
