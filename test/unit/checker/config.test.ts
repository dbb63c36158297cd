import { readCheckerConfig, VALKEY_CLAIM_CONCURRENCY } from '../../../lambda/checker/config';
import { ConfigurationError } from '../../../lambda/shared/errors';

const VALID = { DEDUP_TABLE_NAME: 'ctr-dedup', DELIVERY_STREAM_NAME: 'ctr-delivery' };

describe('readCheckerConfig', () => {
  it('applies the defaults: 24 hours, content fingerprints, a cache of 100,000 delivered keys', () => {
    // Act
    const config = readCheckerConfig(VALID);

    // Assert
    expect(config).toEqual({
      dedupStore: { kind: 'dynamodb', tableName: 'ctr-dedup' },
      deliveryStreamName: 'ctr-delivery',
      ttlHours: 24,
      keyStrategy: 'content',
      cacheSize: 100_000,
    });
  });

  it('reads the TTL and the version strategy', () => {
    // Act
    const config = readCheckerConfig({ ...VALID, DEDUP_TTL_HOURS: '72', DEDUP_KEY_STRATEGY: 'version' });

    // Assert
    expect(config.ttlHours).toBe(72);
    expect(config.keyStrategy).toBe('version');
  });

  it.each([
    ['DEDUP_TABLE_NAME', { DELIVERY_STREAM_NAME: 'ctr-delivery' }, /DEDUP_TABLE_NAME is required/],
    ['DELIVERY_STREAM_NAME', { DEDUP_TABLE_NAME: 'ctr-dedup' }, /DELIVERY_STREAM_NAME is required/],
    ['a blank table name', { ...VALID, DEDUP_TABLE_NAME: '  ' }, /DEDUP_TABLE_NAME is required/],
  ])('refuses a missing %s', (_, env, message) => {
    expect(() => readCheckerConfig(env)).toThrow(message);
  });

  it.each(['0', '-1', 'abc', '1e9', 'Infinity'])('refuses DEDUP_TTL_HOURS=%s', (ttl) => {
    expect(() => readCheckerConfig({ ...VALID, DEDUP_TTL_HOURS: ttl })).toThrow(/DEDUP_TTL_HOURS must be/);
  });

  it.each([
    ['0', 0],
    [' 250 ', 250],
    ['10000000', 10_000_000],
  ])('reads DEDUP_CACHE_SIZE=%s, 0 turning the cache off', (text, size) => {
    expect(readCheckerConfig({ ...VALID, DEDUP_CACHE_SIZE: text }).cacheSize).toBe(size);
  });

  it.each(['-1', '1.5', 'lots', '1e9'])('refuses DEDUP_CACHE_SIZE=%s', (size) => {
    expect(() => readCheckerConfig({ ...VALID, DEDUP_CACHE_SIZE: size })).toThrow(/DEDUP_CACHE_SIZE must be/);
  });

  it('refuses an unknown strategy', () => {
    expect(() => readCheckerConfig({ ...VALID, DEDUP_KEY_STRATEGY: 'contactId' })).toThrow(
      /DEDUP_KEY_STRATEGY must be one of content, version, received "contactId"/,
    );
  });

  it('reports every problem at once as a ConfigurationError', () => {
    // Act
    let caught: unknown;
    try {
      readCheckerConfig({ DEDUP_TTL_HOURS: 'x', DEDUP_KEY_STRATEGY: 'y' });
    } catch (error) {
      caught = error;
    }

    // Assert
    expect(caught).toBeInstanceOf(ConfigurationError);
    const message = (caught as Error).message;
    for (const name of ['DEDUP_TABLE_NAME', 'DELIVERY_STREAM_NAME', 'DEDUP_TTL_HOURS', 'DEDUP_KEY_STRATEGY']) {
      expect(message).toContain(name);
    }
  });

  describe('DEDUP_STORE=valkey', () => {
    const VALKEY = { DEDUP_STORE: 'valkey', DELIVERY_STREAM_NAME: 'ctr-delivery' };
    const AWS = { VALKEY_CACHE_NAME: 'ctr-dedup-abc', VALKEY_USER: 'ctr-checker-abc' };

    it('reads a bare host name as ElastiCache Serverless: cluster mode, TLS, port 6379, the IAM user and cache', () => {
      // Act
      const config = readCheckerConfig({
        ...VALKEY,
        ...AWS,
        VALKEY_ENDPOINT: 'ctr-dedup-abc.serverless.euw1.cache.amazonaws.com',
      });

      // Assert
      expect(config.dedupStore).toEqual({
        kind: 'valkey',
        endpoint: {
          mode: 'aws',
          host: 'ctr-dedup-abc.serverless.euw1.cache.amazonaws.com',
          port: 6379,
          cacheName: 'ctr-dedup-abc',
          userId: 'ctr-checker-abc',
        },
      });
      expect(config.claimConcurrency).toBe(VALKEY_CLAIM_CONCURRENCY);
    });

    it('reads redis:// as a local plain server that needs no user, and rediss:// as TLS with the IAM user', () => {
      // Act
      const local = readCheckerConfig({ ...VALKEY, VALKEY_ENDPOINT: 'redis://127.0.0.1:40123' });
      const tls = readCheckerConfig({ ...VALKEY, ...AWS, VALKEY_ENDPOINT: 'rediss://cache.example:6380' });

      // Assert
      expect(local.dedupStore).toEqual({ kind: 'valkey', endpoint: { mode: 'local', host: '127.0.0.1', port: 40123 } });
      expect(tls.dedupStore).toMatchObject({ endpoint: { mode: 'tls', host: 'cache.example', port: 6380 } });
    });

    it.each([
      [{ ...VALKEY }, /VALKEY_ENDPOINT is required/],
      [{ ...VALKEY, VALKEY_ENDPOINT: 'cache.example' }, /VALKEY_CACHE_NAME is required.*VALKEY_USER is required/],
      [{ ...VALKEY, VALKEY_ENDPOINT: 'http://cache.example' }, /VALKEY_ENDPOINT must be redis:\/\/host:port/],
      [
        { DEDUP_STORE: 'memcached', DELIVERY_STREAM_NAME: 'x' },
        /DEDUP_STORE must be one of dynamodb, valkey, received "memcached"/,
      ],
    ])('refuses %j', (env, message) => {
      expect(() => readCheckerConfig(env)).toThrow(message);
    });

    it('needs no table name', () => {
      expect(readCheckerConfig({ ...VALKEY, VALKEY_ENDPOINT: 'redis://localhost:6379' }).dedupStore.kind).toBe(
        'valkey',
      );
    });
  });
});
