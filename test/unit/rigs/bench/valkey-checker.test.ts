import Redis from 'ioredis';
import { findRedisServer, startRedisServer, type RedisServer } from '../../../../local-aws/servers/redis-server';
import { createBenchClients } from '../../../../rigs/bench/designs';
import { startFirehoseCountingSink, type FirehoseCountingSink } from '../../../../rigs/bench/firehose-counting-sink';
import { RequestCounter } from '../../../../rigs/bench/request-counter';
import { startTcpLatencyProxy } from '../../../../rigs/bench/tcp-latency-proxy';
import {
  loadValkeyScripts,
  VALKEY_ROUND_TRIPS,
  VALKEY_SERVICE,
  ValkeyChecker,
} from '../../../../rigs/bench/valkey-checker';
import { describeIfInstalled } from '../../../support/debian-package';
import { aDuplicatedStream, aTableName } from './bench-fixtures';

// The checker logs and publishes EMF on stdout, as in Lambda: keep the test output readable.
beforeAll(() => {
  process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
  process.env.POWERTOOLS_METRICS_DISABLED = 'true';
});

describeIfInstalled('redis-server', findRedisServer() !== undefined)('the bench valkey design on redis-server', () => {
  let redis: RedisServer;
  let sink: FirehoseCountingSink;
  let admin: Redis;
  beforeAll(async () => {
    [redis, sink] = await Promise.all([startRedisServer(), startFirehoseCountingSink()]);
    admin = new Redis(redis.port, '127.0.0.1');
    await loadValkeyScripts(admin);
  });
  beforeEach(() => admin.flushall());
  afterAll(async () => {
    admin?.disconnect();
    await Promise.all([redis?.stop(), sink?.stop()]);
  });

  async function runStream(endpoint: string) {
    const counter = new RequestCounter();
    const deliveryStreamName = aTableName('valkey');
    const clients = createBenchClients({ dynamoDb: sink.endpoint, firehose: sink.endpoint }, counter);
    const checker = new ValkeyChecker({ endpoint, firehose: clients.firehose, deliveryStreamName, counter });
    const input = aDuplicatedStream();
    try {
      for (const batch of input.batches) await checker.checkBatch(batch);
    } finally {
      checker.close();
      clients.dynamoDb.destroy();
      clients.firehose.destroy();
    }
    return { input, counter, delivered: sink.stream(deliveryStreamName).fingerprints };
  }

  it('delivers every distinct CTR once with one claim and one mark script each, pipelined', async () => {
    // Act
    const { input, counter, delivered } = await runStream(redis.endpoint);

    // Assert
    expect(new Set(delivered.keys())).toEqual(input.uniqueFingerprints);
    expect([...delivered.values()].every((copies) => copies === 1)).toBe(true);
    expect(counter.total(VALKEY_SERVICE)).toBe(2 * input.uniqueFingerprints.size);
    expect(counter.total(VALKEY_ROUND_TRIPS)).toBeLessThan(counter.total(VALKEY_SERVICE));
    expect(counter.total('firehose')).toBe(input.batches.length);
    expect(await admin.dbsize()).toBe(input.uniqueFingerprints.size);
  });

  it('runs the same behind the TCP latency proxy, which counts the client writes it delays', async () => {
    // Arrange
    const proxy = await startTcpLatencyProxy('valkey-latency', redis.port, 2);

    // Act
    const { input, delivered } = await runStream(proxy.endpoint).finally(() => proxy.stop());

    // Assert
    expect(new Set(delivered.keys())).toEqual(input.uniqueFingerprints);
    expect(proxy.writes()).toBeGreaterThan(0);
  });
});
