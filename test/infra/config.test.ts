import { App } from 'aws-cdk-lib';
import { CtrLakeConfigError } from '../../lib/config/context-values';
import { CONFIG_KEYS, parseConfig, readConfig } from '../../lib/config/ctr-lake-config';
import { cdkJsonContext } from './support/infra-test-app';

function configError(context: Record<string, unknown>): CtrLakeConfigError {
  try {
    parseConfig(context);
  } catch (error) {
    if (error instanceof CtrLakeConfigError) return error;
    throw error;
  }
  throw new Error('expected parseConfig to refuse the context');
}

describe('parseConfig', () => {
  it('gives the documented defaults for an empty context', () => {
    const config = parseConfig({});

    expect(config).toEqual({
      prefix: 'ctr-lake',
      dedupTtlHours: 24,
      dedupKeyStrategy: 'content',
      dedupStore: 'dynamodb',
      stream: { mode: 'on-demand' },
      streamRetentionHours: 24,
      lakeFormat: 'parquet',
      checker: {
        parallelization: 1,
        batchSize: 100,
        batchingWindowSeconds: 1,
        memoryMb: 512,
        retryAttempts: 10,
        maxRecordAgeHours: 24,
      },
      firehoseBufferSeconds: 60,
      firehoseBufferMb: 64,
      lifecycle: {
        intelligentTieringDays: 30,
        glacierIrDays: 365,
        deepArchiveDays: 1095,
        noncurrentVersionExpirationDays: 30,
        athenaResultsExpirationDays: 30,
        accessLogsExpirationDays: 365,
      },
      athenaBytesScannedCutoffMb: 10240,
      projectionStartYear: 2017,
      logRetentionDays: 30,
      logLevel: 'INFO',
      alarmEmail: undefined,
      removalPolicy: 'retain',
    });
  });

  it('reads cdk.json as the defaults, with every ctrLake key known', () => {
    const context = cdkJsonContext();
    const ctrLakeKeys = Object.keys(context).filter((key) => key.startsWith('ctrLake:'));

    expect(parseConfig(context)).toEqual(parseConfig({}));
    expect(ctrLakeKeys.sort()).toEqual([...CONFIG_KEYS].sort());
  });

  it('reads values given as strings, as `cdk synth -c key=value` passes them', () => {
    const config = parseConfig({
      'ctrLake:streamMode': '4',
      'ctrLake:checkerBatchSize': '250',
      'ctrLake:lakeFormat': 'json',
      'ctrLake:alarmEmail': 'ops@example.com',
      'ctrLake:removalPolicy': 'destroy',
    });

    expect(config.stream).toEqual({ mode: 'provisioned', shardCount: 4 });
    expect(config.checker.batchSize).toBe(250);
    expect(config.lakeFormat).toBe('json');
    expect(config.alarmEmail).toBe('ops@example.com');
    expect(config.removalPolicy).toBe('destroy');
  });

  it('reads the dedup store and the checker parallelization, and refuses values outside what Lambda accepts', () => {
    const config = parseConfig({ 'ctrLake:dedupStore': 'valkey', 'ctrLake:checkerParallelization': '10' });

    expect(config.dedupStore).toBe('valkey');
    expect(config.checker.parallelization).toBe(10);
    expect(() => parseConfig({ 'ctrLake:dedupStore': 'redis' })).toThrow(/"ctrLake:dedupStore".*"dynamodb", "valkey"/);
    expect(() => parseConfig({ 'ctrLake:checkerParallelization': 11 })).toThrow(/"ctrLake:checkerParallelization"/);
  });

  it('reads the config from the context of a construct tree', () => {
    const app = new App({ context: { 'ctrLake:prefix': 'ctr-dev', 'ctrLake:streamMode': 2 } });

    const config = readConfig(app);

    expect(config.prefix).toBe('ctr-dev');
    expect(config.stream).toEqual({ mode: 'provisioned', shardCount: 2 });
  });

  it.each([
    ['prefix', 'CTR_Lake', 'the string "CTR_Lake"', 'lowercase letters, digits and hyphens'],
    ['prefix', 'ab', 'the string "ab"', '3-20 characters'],
    ['dedupTtlHours', 0, '0 (number)', 'an integer from 1 to 8760 (default 24)'],
    ['dedupKeyStrategy', 'sha1', 'the string "sha1"', 'one of "content", "version" (default "content")'],
    ['streamMode', 'provisioned', 'the string "provisioned"', '"on-demand" (default) or a shard count from 1 to 500'],
    ['streamMode', 0, '0 (number)', '"on-demand" (default) or a shard count from 1 to 500'],
    ['streamRetentionHours', 12, '12 (number)', 'an integer from 24 to 8760 (default 24)'],
    ['lakeFormat', 'orc', 'the string "orc"', 'one of "parquet", "json" (default "parquet")'],
    ['checkerBatchSize', 10001, '10001 (number)', 'an integer from 1 to 10000 (default 100)'],
    ['checkerBatchSize', 2.5, '2.5 (number)', 'an integer from 1 to 10000 (default 100)'],
    ['checkerBatchingWindowSeconds', 301, '301 (number)', 'an integer from 0 to 300 (default 1)'],
    ['checkerMemoryMb', 64, '64 (number)', 'an integer from 128 to 10240 (default 512)'],
    ['checkerRetryAttempts', -1, '-1 (number)', 'an integer from 0 to 10000 (default 10)'],
    ['checkerMaxRecordAgeHours', 169, '169 (number)', 'an integer from 1 to 168 (default 24)'],
    ['firehoseBufferSeconds', 30, '30 (number)', 'an integer from 60 to 900 (default 60)'],
    ['firehoseBufferMb', 5, '5 (number)', 'an integer from 64 to 128 (default 64)'],
    ['intelligentTieringDays', 'soon', 'the string "soon"', 'an integer from 0 to 36500 (default 30)'],
    ['glacierIrDays', 0, '0 (number)', 'an integer from 1 to 36500 (default 365)'],
    ['deepArchiveDays', 90, '90 (number)', 'an integer from 91 to 36500 (default 1095)'],
    ['noncurrentVersionExpirationDays', 0, '0 (number)', 'an integer from 1 to 36500 (default 30)'],
    ['athenaResultsExpirationDays', 0, '0 (number)', 'an integer from 1 to 36500 (default 30)'],
    ['accessLogsExpirationDays', true, 'true (boolean)', 'an integer from 1 to 36500 (default 365)'],
    ['athenaBytesScannedCutoffMb', 9, '9 (number)', 'an integer from 10 to 1048576 (default 10240)'],
    ['projectionStartYear', 1999, '1999 (number)', 'an integer from 2000 to 2100 (default 2017)'],
    ['logRetentionDays', 2, '2 (number)', 'one of 1, 3, 5, 7, 14, 30, 60, 90'],
    ['logLevel', 'TRACE', 'the string "TRACE"', 'one of "DEBUG", "INFO", "WARN", "ERROR" (default "INFO")'],
    ['alarmEmail', 'ops-at-example', 'the string "ops-at-example"', 'an e-mail address'],
    ['removalPolicy', 'delete', 'the string "delete"', 'one of "retain", "destroy" (default "retain")'],
  ])('refuses ctrLake:%s = %p, naming the key, the value and what is allowed', (name, value, received, allowed) => {
    const error = configError({ [`ctrLake:${name}`]: value });

    expect(error.issues).toHaveLength(1);
    expect(error.issues[0]).toMatchObject({ key: `ctrLake:${name}`, received });
    expect(error.issues[0]?.allowed).toContain(allowed);
    expect(error.message).toContain(`"ctrLake:${name}": received ${received}; allowed: `);
  });

  it('refuses a max record age longer than the stream keeps records', () => {
    const error = configError({ 'ctrLake:checkerMaxRecordAgeHours': 48, 'ctrLake:dedupTtlHours': 48 });

    expect(error.issues).toEqual([
      {
        key: 'ctrLake:checkerMaxRecordAgeHours',
        received: '48 (number)',
        allowed: 'at most ctrLake:streamRetentionHours (24): older records have left the stream',
      },
    ]);
  });

  it('refuses a claim lifetime shorter than the time a duplicate can wait in the stream', () => {
    const error = configError({ 'ctrLake:dedupTtlHours': 12 });

    expect(error.issues).toHaveLength(1);
    expect(error.issues[0]?.key).toBe('ctrLake:dedupTtlHours');
    expect(error.issues[0]?.allowed).toContain('at least ctrLake:checkerMaxRecordAgeHours (24)');
  });

  it('refuses storage tiers out of order', () => {
    const error = configError({ 'ctrLake:intelligentTieringDays': 400 });

    expect(error.issues).toEqual([
      {
        key: 'ctrLake:glacierIrDays',
        received: '365 (number)',
        allowed: 'more than ctrLake:intelligentTieringDays (400): tiers go one way',
      },
    ]);
  });

  it('refuses Deep Archive before the Glacier Instant Retrieval minimum of 90 days', () => {
    const error = configError({ 'ctrLake:deepArchiveDays': 400 });

    expect(error.issues[0]?.key).toBe('ctrLake:deepArchiveDays');
    expect(error.issues[0]?.allowed).toContain('at least ctrLake:glacierIrDays + 90 (455)');
  });

  it('refuses unknown ctrLake keys, so a typo is not silently ignored', () => {
    const error = configError({ 'ctrLake:lakeFromat': 'json', 'otherTool:setting': 1 });

    expect(error.issues).toHaveLength(1);
    expect(error.issues[0]?.key).toBe('ctrLake:lakeFromat');
    expect(error.issues[0]?.allowed).toContain('no such setting; known keys are ctrLake:prefix,');
  });

  it('reports every invalid key at once', () => {
    const error = configError({ 'ctrLake:lakeFormat': 'csv', 'ctrLake:checkerBatchSize': 0 });

    expect(error.issues.map((issue) => issue.key)).toEqual(['ctrLake:checkerBatchSize', 'ctrLake:lakeFormat']);
  });
});
