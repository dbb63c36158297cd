import * as fs from 'node:fs';
import * as path from 'node:path';
import { App, type Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { PLANNING_BYTES_PER_SECOND, SAFETY_MARGIN_MS } from '../../lambda/compaction/time-budget';
import { CTR_FUNCTION_RUNTIME, DUCKDB_PACKAGE } from '../../lib/constructs/ctr-function';
import { COMPACTION_TIMEOUT, LakeCompaction, MAX_PARTITION_BYTES } from '../../lib/constructs/lake-compaction';
import {
  newTestKey,
  newTestStack,
  onlyResource,
  statementsOfRole,
  testFunctionSettings,
} from './support/infra-test-app';

type Resource = { Properties: Record<string, unknown>; Metadata?: Record<string, string> };

describe('LakeCompaction', () => {
  let stack: Stack;
  let key: kms.Key;
  let bucket: s3.Bucket;
  let compaction: LakeCompaction;
  let template: Template;
  let assemblyDir: string;

  beforeAll(() => {
    stack = newTestStack();
    key = newTestKey(stack);
    bucket = new s3.Bucket(stack, 'Lake', { encryption: s3.BucketEncryption.KMS, encryptionKey: key });
    compaction = new LakeCompaction(stack, 'Compaction', {
      lakeBucket: bucket,
      encryptionKey: key,
      lakeFormat: 'json',
      hourUtc: 4,
      memoryMb: 3008,
      functionSettings: testFunctionSettings(),
    });
    template = Template.fromStack(stack);
    assemblyDir = (stack.node.root as App).synth().directory;
  });

  /** The staged asset directory of the one resource of a type: `asset.<hash>`, the hash its S3 key names. */
  function assetDir(type: string): string {
    const { properties } = onlyResource(template, type);
    const code = (properties.Code ?? properties.Content) as { S3Key?: string } | undefined;
    const hash = /^([0-9a-f]{64})\.zip$/.exec(code?.S3Key ?? '')?.[1];
    if (!hash) throw new Error(`no asset key on the ${type}`);
    return path.join(assemblyDir, `asset.${hash}`);
  }

  it('runs the compaction handler on ARM64 for 14 minutes with the maximum /tmp and the configured memory', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: CTR_FUNCTION_RUNTIME.name,
      Architectures: ['arm64'],
      Timeout: COMPACTION_TIMEOUT.toSeconds(),
      MemorySize: 3008,
      EphemeralStorage: { Size: 10240 },
      Environment: {
        Variables: Match.objectLike({
          LAKE_BUCKET_NAME: stack.resolve(bucket.bucketName),
          LAKE_FORMAT: 'json',
          MAX_PARTITION_BYTES: String(MAX_PARTITION_BYTES),
          DUCKDB_MEMORY_MB: '1504',
          POWERTOOLS_SERVICE_NAME: 'ctr-test-compaction',
        }),
      },
    });
    expect(COMPACTION_TIMEOUT.toMinutes()).toBeLessThan(15);
    // The largest partition fits /tmp twice over and one run's time at the planning rate: never deferred forever.
    expect(2 * MAX_PARTITION_BYTES).toBeLessThan(10 * 1024 ** 3);
    expect(SAFETY_MARGIN_MS + (MAX_PARTITION_BYTES / PLANNING_BYTES_PER_SECOND) * 1000).toBeLessThanOrEqual(
      COMPACTION_TIMEOUT.toMilliseconds(),
    );
    // No reserved concurrency: an account whose concurrency quota is 10 could not deploy it.
    expect(onlyResource(template, 'AWS::Lambda::Function').properties.ReservedConcurrentExecutions).toBeUndefined();
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', { MaximumRetryAttempts: 0 });
  });

  it('bundles the handler without DuckDB and gets DuckDB from an arm64 layer', () => {
    const bundle = fs.readFileSync(path.join(assetDir('AWS::Lambda::Function'), 'index.js'), 'utf8');
    expect(bundle).toContain(`require("${DUCKDB_PACKAGE}")`);
    expect(bundle).not.toContain('duckdb.node');

    const layer = onlyResource(template, 'AWS::Lambda::LayerVersion').properties;
    expect(layer).toMatchObject({
      CompatibleArchitectures: ['arm64'],
      CompatibleRuntimes: [CTR_FUNCTION_RUNTIME.name],
    });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Layers: [
        {
          Ref: stack.getLogicalId(
            compaction.node.findChild('DuckDb').node.findChild('Layer').node.defaultChild as never,
          ),
        },
      ],
    });
  });

  it('ships a DuckDB binding Lambda can load: linux aarch64, needing no newer glibc or libstdc++ than Amazon Linux 2023 has', () => {
    const modules = path.join(assetDir('AWS::Lambda::LayerVersion'), 'nodejs', 'node_modules');
    const library = fs.readFileSync(path.join(modules, '@duckdb', 'node-bindings-linux-arm64', 'libduckdb.so'));
    const binding = fs.readFileSync(path.join(modules, '@duckdb', 'node-bindings-linux-arm64', 'duckdb.node'));
    const api = JSON.parse(fs.readFileSync(path.join(modules, '@duckdb', 'node-api', 'package.json'), 'utf8')) as {
      version: string;
    };
    const installed = JSON.parse(
      fs.readFileSync(path.join(__dirname, '..', '..', 'node_modules', '@duckdb', 'node-api', 'package.json'), 'utf8'),
    ) as { version: string };

    expect(api.version).toBe(installed.version);
    for (const elf of [library, binding]) {
      expect(elf.subarray(0, 4).toString('latin1')).toBe('\x7fELF');
      expect(elf.readUInt16LE(18)).toBe(183); // e_machine EM_AARCH64
      // Lambda's nodejs22.x/24.x run on Amazon Linux 2023: glibc 2.34, libstdc++ of GCC 11 (GLIBCXX_3.4.29).
      expect(newestVersion(elf, 'GLIBC_')).toBeLessThanOrEqual(versionNumber('2.34'));
      expect(newestVersion(elf, 'GLIBCXX_')).toBeLessThanOrEqual(versionNumber('3.4.29'));
    }
    // Lambda's limit for a function and its layers, unzipped.
    expect(directoryBytes(path.dirname(modules)) + directoryBytes(assetDir('AWS::Lambda::Function'))).toBeLessThan(
      250 * 1024 * 1024,
    );
  });

  it('may list, read, write and delete under ctr/ and compaction/ of the lake bucket only, with the lake key', () => {
    const statements = statementsOfRole(template, stack.resolve(compaction.handler.role.roleName));
    const s3Statements = statements.filter((statement) => JSON.stringify(statement.Action).includes('s3:'));
    const sorted = (value: unknown): string[] =>
      (Array.isArray(value) ? value : [value]).map((v) => JSON.stringify(v)).sort();

    expect(s3Statements).toHaveLength(2);
    expect(s3Statements[0]).toMatchObject({
      Action: 's3:ListBucket',
      Resource: stack.resolve(bucket.bucketArn),
      Condition: { StringLike: { 's3:prefix': ['ctr/*', 'compaction/*'] } },
    });
    expect(sorted(s3Statements[1]!.Action)).toEqual(sorted(['s3:DeleteObject', 's3:GetObject', 's3:PutObject']));
    expect(sorted(s3Statements[1]!.Resource)).toEqual(
      sorted([stack.resolve(bucket.arnForObjects('ctr/*')), stack.resolve(bucket.arnForObjects('compaction/*'))]),
    );
    expect(statements).toContainEqual(
      expect.objectContaining({ Action: ['kms:Decrypt', 'kms:GenerateDataKey'], Resource: stack.resolve(key.keyArn) }),
    );
  });

  it('is invoked by an EventBridge Scheduler schedule every 15 minutes of the configured UTC hour', () => {
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'cron(0/15 4 * * ? *)',
      ScheduleExpressionTimezone: 'Etc/UTC',
      State: 'ENABLED',
      FlexibleTimeWindow: { Mode: 'OFF' },
      Target: {
        Arn: stack.resolve(compaction.handler.function.functionArn),
        Input: '{}',
        RetryPolicy: { MaximumRetryAttempts: 3, MaximumEventAgeInSeconds: 600 },
        RoleArn: Match.anyValue(),
      },
    });
  });

  it('lets the scheduler invoke that function and nothing else, for this account only', () => {
    const role = Object.values(template.findResources('AWS::IAM::Role') as Record<string, Resource>).find((r) =>
      JSON.stringify(r.Properties.AssumeRolePolicyDocument).includes('scheduler.amazonaws.com'),
    )!;
    expect(JSON.stringify(role.Properties.AssumeRolePolicyDocument)).toContain('aws:SourceAccount');
    const policies = Object.values(template.findResources('AWS::IAM::Policy') as Record<string, Resource>).filter(
      (policy) => JSON.stringify(policy.Properties).includes('lambda:InvokeFunction'),
    );
    expect(policies).toHaveLength(1);
    expect(JSON.stringify(policies[0]!.Properties)).not.toContain('"Resource":"*"');
  });

  it('refuses an hour that is not one', () => {
    const other = newTestStack('Other');
    const otherKey = newTestKey(other);
    expect(
      () =>
        new LakeCompaction(other, 'Compaction', {
          lakeBucket: new s3.Bucket(other, 'Lake'),
          encryptionKey: otherKey,
          lakeFormat: 'parquet',
          hourUtc: 24,
          memoryMb: 2048,
          functionSettings: testFunctionSettings(),
        }),
    ).toThrow('hourUtc must be an integer from 0 to 23, received 24');
  });
});

/** The highest `<prefix>x.y.z` symbol version an ELF file names (its .dynstr lists what it needs). */
function newestVersion(elf: Buffer, prefix: string): number {
  const text = elf.toString('latin1');
  const pattern = new RegExp(`${prefix}(\\d+(?:\\.\\d+)+)\\0`, 'g');
  let newest = 0;
  for (const match of text.matchAll(pattern)) newest = Math.max(newest, versionNumber(match[1]!));
  return newest;
}

function versionNumber(version: string): number {
  const [a = 0, b = 0, c = 0] = version.split('.').map(Number);
  return a * 1_000_000 + b * 1_000 + c;
}

function directoryBytes(dir: string): number {
  let total = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    total += entry.isDirectory() ? directoryBytes(full) : fs.statSync(full).size;
  }
  return total;
}
