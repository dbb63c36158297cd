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
      compaction: { enabled: true, hourUtc: 3, memoryMb: 3008 },
      athenaBytesScannedCutoffMb: 10240,
      projectionStartYear: 2017,
      logRetentionDays: 30,
      logLevel: 'INFO',
      alarmEmail: undefined,
      removalPolicy: 'retain',
      reportingTimeZone: 'UTC',
      connectInstance: undefined,
      pii: { mode: 'pseudonymise', attributeKeys: [], keyVersion: 1 },
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
      'ctrLake:compaction': 'false',
      'ctrLake:compactionHourUtc': '22',
    });

    expect(config.stream).toEqual({ mode: 'provisioned', shardCount: 4 });
    expect(config.checker.batchSize).toBe(250);
    expect(config.lakeFormat).toBe('json');
    expect(config.alarmEmail).toBe('ops@example.com');
    expect(config.removalPolicy).toBe('destroy');
    expect(config.compaction).toEqual({ enabled: false, hourUtc: 22, memoryMb: 3008 });
  });

  it('reads the dedup store and the checker parallelization, and refuses values outside what Lambda accepts', () => {
    const config = parseConfig({ 'ctrLake:dedupStore': 'valkey', 'ctrLake:checkerParallelization': '10' });

    expect(config.dedupStore).toBe('valkey');
    expect(config.checker.parallelization).toBe(10);
    expect(() => parseConfig({ 'ctrLake:dedupStore': 'redis' })).toThrow(/"ctrLake:dedupStore".*"dynamodb", "valkey"/);
    expect(() => parseConfig({ 'ctrLake:checkerParallelization': 11 })).toThrow(/"ctrLake:checkerParallelization"/);
  });

  it('reads the PII attribute keys as a JSON array, or from -c as a comma-separated string or JSON text', () => {
    const fromJson = parseConfig({ 'ctrLake:piiAttributeKeys': ['callerName', 'accountPhone'] });
    const fromCommas = parseConfig({ 'ctrLake:piiAttributeKeys': 'callerName, accountPhone' });
    const fromJsonText = parseConfig({ 'ctrLake:piiAttributeKeys': '["callerName","accountPhone"]' });
    const none = parseConfig({ 'ctrLake:piiAttributeKeys': '' });

    for (const config of [fromJson, fromCommas, fromJsonText]) {
      expect(config.pii.attributeKeys).toEqual(['callerName', 'accountPhone']);
    }
    expect(none.pii.attributeKeys).toEqual([]);
  });

  it("refuses PII attribute keys whose JSON would not fit the transform's environment", () => {
    const keys = Array.from({ length: 50 }, (_, i) => `attribute-${i}-`.padEnd(60, 'x'));

    const error = configError({ 'ctrLake:piiAttributeKeys': keys });

    expect(error.issues).toHaveLength(1);
    expect(error.issues[0]?.allowed).toContain('at most 2048 characters as JSON');
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
    ['compaction', 'yes', 'the string "yes"', 'true or false (default true)'],
    ['compactionHourUtc', 24, '24 (number)', 'an integer from 0 to 23 (default 3)'],
    ['compactionMemoryMb', 512, '512 (number)', 'an integer from 1024 to 10240 (default 3008)'],
    ['reportingTimeZone', 'Mars/Olympus', 'the string "Mars/Olympus"', 'an IANA time zone name'],
    ['reportingTimeZone', 'asia/seoul', 'the string "asia/seoul"', 'an IANA time zone name'],
    ['reportingTimeZone', 'EST5EDT', 'the string "EST5EDT"', 'an IANA time zone name'],
    ['reportingTimeZone', "Asia/Seoul'", 'the string "Asia/Seoul\'"', 'an IANA time zone name'],
    ['reportingTimeZone', 9, '9 (number)', 'an IANA time zone name'],
    ['piiMode', 'hash', 'the string "hash"', 'one of "pseudonymise", "keep", "drop" (default "pseudonymise")'],
    ['piiAttributeKeys', ['a', 'a'], '["a","a"] (array)', 'a list of at most 50 distinct strings of 1-128 characters'],
    ['piiAttributeKeys', [''], '[""] (array)', 'a list of at most 50 distinct strings'],
    ['piiAttributeKeys', 'a,,b', 'the string "a,,b"', 'comma-separated with -c'],
    ['piiAttributeKeys', '["a"', 'the string "[\\"a\\""', 'a JSON array'],
    ['piiKeyVersion', 0, '0 (number)', 'an integer from 1 to 1000000 (default 1)'],
  ])('refuses ctrLake:%s = %p, naming the key, the value and what is allowed', (name, value, received, allowed) => {
    const error = configError({ [`ctrLake:${name}`]: value });

    expect(error.issues).toHaveLength(1);
    expect(error.issues[0]).toMatchObject({ key: `ctrLake:${name}`, received });
    expect(error.issues[0]?.allowed).toContain(allowed);
    expect(error.message).toContain(`"ctrLake:${name}": received ${received}; allowed: `);
  });

  it.each(['UTC', 'Asia/Seoul', 'America/New_York', 'America/Argentina/Buenos_Aires', 'Etc/GMT+5'])(
    'accepts the IANA time zone %s as ctrLake:reportingTimeZone',
    (zone) => {
      expect(parseConfig({ 'ctrLake:reportingTimeZone': zone }).reportingTimeZone).toBe(zone);
    },
  );

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

  const INSTANCE_ID = '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';

  it('reads a Connect instance ARN into its partition, region, account and instance id; empty means none', () => {
    const arn = `arn:aws:connect:eu-west-2:123456789012:instance/${INSTANCE_ID}`;

    expect(parseConfig({ 'ctrLake:connectInstanceArn': arn }).connectInstance).toEqual({
      arn,
      partition: 'aws',
      region: 'eu-west-2',
      account: '123456789012',
      instanceId: INSTANCE_ID,
    });
    expect(
      parseConfig({
        'ctrLake:connectInstanceArn': `arn:aws-us-gov:connect:us-gov-west-1:123456789012:instance/${INSTANCE_ID}`,
      }).connectInstance?.partition,
    ).toBe('aws-us-gov');
    expect(parseConfig({ 'ctrLake:connectInstanceArn': '' }).connectInstance).toBeUndefined();
  });

  it.each([
    ['a stream ARN', `arn:aws:kinesis:us-east-1:123456789012:stream/${INSTANCE_ID}`],
    ['no instance id', 'arn:aws:connect:us-east-1:123456789012:instance/'],
    ['an instance id that is no UUID', 'arn:aws:connect:us-east-1:123456789012:instance/my-instance'],
    [
      'an agent ARN inside the instance',
      `arn:aws:connect:us-east-1:123456789012:instance/${INSTANCE_ID}/agent/${INSTANCE_ID}`,
    ],
    ['an 11-digit account', `arn:aws:connect:us-east-1:12345678901:instance/${INSTANCE_ID}`],
    ['no region', `arn:aws:connect::123456789012:instance/${INSTANCE_ID}`],
    ['the China partition for a global region', `arn:aws-cn:connect:us-east-1:123456789012:instance/${INSTANCE_ID}`],
    ['the global partition for a China region', `arn:aws:connect:cn-north-1:123456789012:instance/${INSTANCE_ID}`],
    ['a number', 42],
  ])('refuses ctrLake:connectInstanceArn as %s, saying what an instance ARN looks like', (_case, value) => {
    const error = configError({ 'ctrLake:connectInstanceArn': value });

    expect(error.issues).toHaveLength(1);
    expect(error.issues[0]?.key).toBe('ctrLake:connectInstanceArn');
    expect(error.issues[0]?.allowed).toContain('arn:PARTITION:connect:REGION:ACCOUNT:instance/INSTANCE-ID');
  });

  it('refuses a misspelt ctrLake key with the key it resembles, so a typo is not silently ignored', () => {
    const error = configError({ 'ctrLake:lakeFromat': 'json', 'otherTool:setting': 1 });

    expect(error.issues).toEqual([
      {
        key: 'ctrLake:lakeFromat',
        received: 'the string "json"',
        allowed: 'no such setting; did you mean ctrLake:lakeFormat?',
      },
    ]);
    expect(error.message).toContain(
      '"ctrLake:lakeFromat": received the string "json"; allowed: no such setting; did you mean ctrLake:lakeFormat?',
    );
  });

  it.each([
    ['ctrLake:dedupTtl', 'ctrLake:dedupTtlHours'],
    ['ctrLake:checkerBatchsize', 'ctrLake:checkerBatchSize'],
    ['ctrLake:alarmEmial', 'ctrLake:alarmEmail'],
  ])('suggests the known key for %s', (typo, known) => {
    expect(configError({ [typo]: 1 }).issues[0]?.allowed).toBe(`no such setting; did you mean ${known}?`);
  });

  it('lists the known keys for an unknown key that resembles none', () => {
    const error = configError({ 'ctrLake:colour': 'blue' });

    expect(error.issues[0]?.allowed).toContain('no such setting; known keys are ctrLake:prefix,');
  });

  it('reports every invalid key at once', () => {
    const error = configError({ 'ctrLake:lakeFormat': 'csv', 'ctrLake:checkerBatchSize': 0 });

    expect(error.issues.map((issue) => issue.key)).toEqual(['ctrLake:checkerBatchSize', 'ctrLake:lakeFormat']);
  });
});
