import Redis from 'ioredis';
import { createHash } from 'node:crypto';
import {
  CLAIM_SCRIPT,
  ValkeyDedupStore,
  VALKEY_KEY_PREFIX,
  type ValkeyScriptClient,
} from '../../../lambda/checker/adapters/valkey-dedup-store';
import { checkBatch } from '../../../lambda/checker/check-batch';
import type { ClaimRequest, StreamRecord } from '../../../lambda/checker/ports';
import { DedupStoreError } from '../../../lambda/shared/errors';
import { freePort } from '../../../local-aws/servers/local-server';
import { findRedisServer, startRedisServer, type RedisServer } from '../../../local-aws/servers/redis-server';
import { InMemorySink, RecordingTelemetry } from '../../support/checker-harness';
import { aCtr, sequenceNumberAt } from '../../support/ctr-factory';
import { describeIfInstalled } from '../../support/debian-package';

/**
 * What the shared contract suite (dedup-store-contract.test.ts) can not say about the Valkey adapter: round trips
 * (the claims of a batch in one pipelined write, the marks in another), the NOSCRIPT fallback, error wrapping and the
 * key layout, on a real redis-server.
 */

const NOW = new Date();
const EXPIRES = Math.floor(NOW.getTime() / 1000) + 3600;

function aClaim(key: string, overrides: Partial<ClaimRequest> = {}): ClaimRequest {
  return {
    key,
    eventId: 'shardId-000000000000:1',
    now: NOW,
    expiresAt: EXPIRES,
    leaseUntil: NOW.getTime() + 60_000,
    ...overrides,
  };
}

/** Counts the writes on the client's socket: each is one round trip's requests. */
function countWrites(client: Redis): { readonly count: () => number } {
  let writes = 0;
  const stream = client.stream;
  const write = stream.write.bind(stream) as (...args: unknown[]) => boolean;
  stream.write = ((...args: unknown[]) => {
    writes++;
    return write(...args);
  }) as typeof stream.write;
  return { count: () => writes };
}

describeIfInstalled('redis-server', findRedisServer() !== undefined)('ValkeyDedupStore on redis-server', () => {
  let server: RedisServer;
  let client: Redis;

  beforeAll(async () => {
    server = await startRedisServer();
  });

  afterAll(() => server?.stop());

  beforeEach(async () => {
    client = new Redis(server.port, '127.0.0.1', { enableAutoPipelining: true, lazyConnect: true });
    await client.connect();
    await client.flushall();
  });

  afterEach(() => client.disconnect());

  it('sends the concurrent claims of a batch in one write, and their marks in one more', async () => {
    // Arrange: the scripts are cached, so no NOSCRIPT round trip
    const store = new ValkeyDedupStore(client);
    await store.claim(aClaim('warm-up'));
    await store.markDelivered([{ ...aClaim('warm-up'), claimedAt: NOW }], NOW);
    const writes = countWrites(client);
    const batch: StreamRecord[] = Array.from({ length: 100 }, (_, i) => ({
      eventId: `shardId-000000000000:${sequenceNumberAt(i)}`,
      sequenceNumber: sequenceNumberAt(i),
      data: Buffer.from(JSON.stringify(aCtr())).toString('base64'),
    }));
    const sink = new InMemorySink();

    // Act: as the handler runs it for Valkey, every claim of the batch in flight at once
    const result = await checkBatch(
      batch,
      { ttlHours: 24, keyStrategy: 'content', claimConcurrency: batch.length },
      { store, sink, telemetry: new RecordingTelemetry() },
    );

    // Assert
    expect(result.batchItemFailures).toEqual([]);
    expect(sink.delivered).toHaveLength(100);
    expect(writes.count()).toBe(2);
    expect(await client.dbsize()).toBe(101);
    expect(await client.hget(`${VALKEY_KEY_PREFIX}warm-up`, 'deliveredAt')).toBe(NOW.toISOString());
  });

  it('keeps each claim in a hash under ctr-dedup:<key> that the server expires at the end of second expiresAt', async () => {
    // Act
    await new ValkeyDedupStore(client).claim(aClaim('fp-1'));

    // Assert
    expect(await client.keys('*')).toEqual([`${VALKEY_KEY_PREFIX}fp-1`]);
    expect(await client.type(`${VALKEY_KEY_PREFIX}fp-1`)).toBe('hash');
    expect(await client.pexpiretime(`${VALKEY_KEY_PREFIX}fp-1`)).toBe(EXPIRES * 1000 + 999);
  });

  it('runs a script the server lost (SCRIPT FLUSH, as after a restart) by EVAL, then by EVALSHA again', async () => {
    // Arrange
    const store = new ValkeyDedupStore(client);
    await store.claim(aClaim('before'));
    await client.script('FLUSH');

    // Act
    const after = await store.claim(aClaim('after'));

    // Assert
    expect(after).toEqual({ outcome: 'owned' });
    const [cached] = (await client.script('EXISTS', sha1Of(CLAIM_SCRIPT))) as number[];
    expect(cached).toBe(1);
  });

  it('rejects a claim and a release with a DedupStoreError carrying the cause when the connection is closed', async () => {
    // Arrange: nothing listens on the port; no offline queue, no reconnection: each command fails at once
    const offline = new Redis(await freePort(), '127.0.0.1', {
      lazyConnect: true,
      enableOfflineQueue: false,
      retryStrategy: () => null,
    });
    await expect(offline.connect()).rejects.toThrow('Connection is closed');
    const store = new ValkeyDedupStore(offline);

    // Act
    const claim = store.claim(aClaim('fp-1'));
    const release = store.release('fp-1', 'shardId-000000000000:1');

    // Assert
    await expect(claim).rejects.toBeInstanceOf(DedupStoreError);
    await expect(claim).rejects.toMatchObject({ cause: expect.any(Error) });
    await expect(release).rejects.toBeInstanceOf(DedupStoreError);
    await expect(store.markDelivered([{ ...aClaim('fp-1'), claimedAt: NOW }], NOW)).resolves.toEqual(['fp-1']);
    offline.disconnect();
  });
});

describe('ValkeyDedupStore with an injected client', () => {
  it('stops waiting when the signal aborts, rejecting with a DedupStoreError whose cause is the abort reason', async () => {
    // Arrange: a server that never answers
    const silent: ValkeyScriptClient = {
      evalsha: () => new Promise(() => undefined),
      eval: () => new Promise(() => undefined),
    };
    const controller = new AbortController();
    const reason = new Error('the invocation is out of time');

    // Act
    const claim = new ValkeyDedupStore(silent).claim(aClaim('fp-1', { signal: controller.signal }));
    controller.abort(reason);

    // Assert
    await expect(claim).rejects.toMatchObject({ name: 'DedupStoreError', cause: reason });
  });

  it('falls back to EVAL only on NOSCRIPT, and wraps any other reply error', async () => {
    // Arrange
    const calls: string[] = [];
    const noScript: ValkeyScriptClient = {
      evalsha: async () => {
        calls.push('evalsha');
        throw new Error('NOSCRIPT No matching script. Please use EVAL.');
      },
      eval: async () => {
        calls.push('eval');
        return 1;
      },
    };
    const noPerm: ValkeyScriptClient = {
      evalsha: async () => {
        throw new Error("NOPERM User ctr-checker has no permissions to run the 'evalsha' command");
      },
      eval: async () => 1,
    };

    // Act / Assert
    await expect(new ValkeyDedupStore(noScript).release('fp-1', 'e')).resolves.toBe(true);
    expect(calls).toEqual(['evalsha', 'eval']);
    await expect(new ValkeyDedupStore(noPerm).release('fp-1', 'e')).rejects.toMatchObject({
      name: 'DedupStoreError',
      cause: { message: expect.stringContaining('NOPERM') },
    });
  });
});

function sha1Of(text: string): string {
  return createHash('sha1').update(text).digest('hex');
}
