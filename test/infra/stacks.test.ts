import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { CtrLakeStack, OutputKey } from '../../lib/stacks/ctr-lake-stack';
import { QUERY_NAMES } from '../../lib/queries/sample-queries';
import { cdkJsonContext, literalNames, retainedNamedResources, testConfig } from './support/infra-test-app';

describe('CtrLakeStack with its stateful and stateless stacks', () => {
  let stack: CtrLakeStack;
  let root: Template;
  let stateful: Template;
  let stateless: Template;

  beforeAll(() => {
    const app = new App({ context: cdkJsonContext() });
    stack = new CtrLakeStack(app, 'CtrLake', {
      config: testConfig({ 'ctrLake:prefix': 'ctr-test', 'ctrLake:streamMode': 2 }),
      stackName: 'ctr-test',
    });
    root = Template.fromStack(stack);
    stateful = Template.fromStack(stack.stateful);
    stateless = Template.fromStack(stack.stateless);
  });

  it('deploys as one stack holding the stateful and the stateless stacks', () => {
    root.resourceCountIs('AWS::CloudFormation::Stack', 2);
    expect(Object.keys(root.findResources('AWS::CloudFormation::Stack')).sort()).toEqual(
      [stack.stateful, stack.stateless].map((nested) => stack.getLogicalId(nested.nestedStackResource!)).sort(),
    );
  });

  it('keeps every data store in the stateful stack, retained, and the catalog of the lake beside them', () => {
    for (const type of ['AWS::KMS::Key', 'AWS::S3::Bucket', 'AWS::DynamoDB::Table', 'AWS::SecretsManager::Secret']) {
      const resources = Object.values(stateful.findResources(type));
      expect(resources.length).toBeGreaterThan(0);
      for (const resource of resources) expect(resource).toMatchObject({ DeletionPolicy: 'Retain' });
      stateless.resourceCountIs(type, 0);
    }
    stateful.resourceCountIs('AWS::Glue::Database', 1);
    stateful.resourceCountIs('AWS::Glue::Table', 2);
  });

  it('keeps the moving parts in the stateless stack', () => {
    for (const [type, count] of [
      ['AWS::Kinesis::Stream', 1],
      ['AWS::Lambda::Function', 4],
      ['AWS::Lambda::LayerVersion', 1],
      ['AWS::Scheduler::Schedule', 1],
      ['AWS::Lambda::EventSourceMapping', 1],
      ['AWS::KinesisFirehose::DeliveryStream', 1],
      ['AWS::Athena::WorkGroup', 1],
      ['AWS::Athena::NamedQuery', QUERY_NAMES.length],
      ['AWS::CloudWatch::Dashboard', 1],
      ['AWS::CloudWatch::Alarm', 9],
      ['AWS::SNS::Topic', 1],
      ['AWS::SQS::Queue', 1],
    ] as const) {
      stateless.resourceCountIs(type, count);
      stateful.resourceCountIs(type, 0);
    }
  });

  it('names only what must be known by name: database, its table and view, workgroup, key alias', () => {
    expect(literalNames(stateful).sort()).toEqual(
      [
        'AWS::Glue::Database DatabaseInput.Name=ctr_test',
        'AWS::Glue::Table TableInput.Name=ctr',
        'AWS::Glue::Table TableInput.Name=ctr_latest',
        'AWS::KMS::Alias AliasName=alias/ctr-test',
      ].sort(),
    );
    // Named queries' names are labels, not unique physical names: several workgroups may hold the same one.
    expect(literalNames(stateless).filter((name) => !name.startsWith('AWS::Athena::NamedQuery'))).toEqual([
      'AWS::Athena::WorkGroup Name=ctr-test',
    ]);
  });

  it('retains no resource with a fixed physical name, so deploying again after `cdk destroy` meets no AlreadyExists', () => {
    for (const template of [root, stateful, stateless]) expect(retainedNamedResources(template)).toEqual([]);
  });

  it('lets CloudFormation name the stream, the delivery stream and the dashboard', () => {
    stateless.hasResourceProperties('AWS::Kinesis::Stream', { Name: Match.absent(), ShardCount: 2 });
    stateless.hasResourceProperties('AWS::KinesisFirehose::DeliveryStream', { DeliveryStreamName: Match.absent() });
    stateless.hasResourceProperties('AWS::CloudWatch::Dashboard', { DashboardName: Match.absent() });
  });

  it('deletes the named key alias and workgroup with the stack even when data is retained, so a redeploy can recreate them', () => {
    const named = [
      ...Object.values(stateful.findResources('AWS::KMS::Alias')),
      ...Object.values(stateless.findResources('AWS::Athena::WorkGroup')),
    ];

    expect(named).toHaveLength(2);
    for (const resource of named) expect(resource).not.toHaveProperty('DeletionPolicy', 'Retain');
  });

  /** Follows a stateless-stack parameter to the stateful-stack value the root stack passes into it. */
  function statefulValueOf(statelessValue: unknown): unknown {
    const parameter = (statelessValue as { Ref: string }).Ref;
    const nestedStacks = root.toJSON().Resources as Record<
      string,
      { Properties: { Parameters?: Record<string, unknown> } }
    >;
    const statelessResource = nestedStacks[stack.getLogicalId(stack.stateless.nestedStackResource!)];
    const passed = statelessResource?.Properties.Parameters?.[parameter] as { 'Fn::GetAtt': [string, string] };
    const [producer, attribute] = passed['Fn::GetAtt'];
    expect(producer).toBe(stack.getLogicalId(stack.stateful.nestedStackResource!));
    const outputs = stateful.toJSON().Outputs as Record<string, { Value: unknown }>;
    return outputs[attribute.replace(/^Outputs\./, '')]?.Value;
  }

  it('hands the stateful resources to the stateless stack through nested-stack parameters', () => {
    const delivery = Object.values(stateless.findResources('AWS::KinesisFirehose::DeliveryStream'))[0] as {
      Properties: {
        ExtendedS3DestinationConfiguration: { BucketARN: unknown };
        DeliveryStreamEncryptionConfigurationInput: { KeyARN: unknown };
      };
    };
    const checker = Object.values(
      stateless.findResources('AWS::Lambda::Function', {
        Properties: { Environment: { Variables: { DEDUP_TABLE_NAME: Match.anyValue() } } },
      }),
    )[0] as { Properties: { Environment: { Variables: { DEDUP_TABLE_NAME: unknown } } } };

    expect(statefulValueOf(delivery.Properties.ExtendedS3DestinationConfiguration.BucketARN)).toEqual(
      stack.stateful.resolve(stack.stateful.lakeBucket.bucketArn),
    );
    expect(statefulValueOf(delivery.Properties.DeliveryStreamEncryptionConfigurationInput.KeyARN)).toEqual(
      stack.stateful.resolve(stack.stateful.encryptionKey.keyArn),
    );
    const { dedupStore } = stack.stateful;
    if (dedupStore.kind !== 'dynamodb') throw new Error('the default config keeps claims in DynamoDB');
    expect(statefulValueOf(checker.Properties.Environment.Variables.DEDUP_TABLE_NAME)).toEqual(
      stack.stateful.resolve(dedupStore.table.tableName),
    );
    const transform = Object.values(
      stateless.findResources('AWS::Lambda::Function', {
        Properties: { Environment: { Variables: { PII_KEY_SECRET_ID: Match.anyValue() } } },
      }),
    )[0] as { Properties: { Environment: { Variables: { PII_KEY_SECRET_ID: unknown } } } };
    expect(statefulValueOf(transform.Properties.Environment.Variables.PII_KEY_SECRET_ID)).toEqual(
      stack.stateful.resolve(stack.stateful.pseudonymKey.secretArn),
    );
  });

  it('outputs what the scripts need to find a deployment; no Connect instance when none is configured', () => {
    const outputs = root.toJSON().Outputs as Record<string, { Description: string }>;

    // The Valkey endpoint is output instead of the table name only when ctrLake:dedupStore is valkey.
    expect(Object.keys(outputs).sort()).toEqual(
      Object.values(OutputKey)
        .filter((key) => key !== OutputKey.ConnectInstanceArn && key !== OutputKey.DedupCacheEndpoint)
        .sort(),
    );
    stateless.resourceCountIs('AWS::Connect::InstanceStorageConfig', 0);
    root.hasOutput(OutputKey.StreamArn, {
      Value: { 'Fn::GetAtt': [Match.anyValue(), Match.stringLikeRegexp('^Outputs\\.')] },
    });
    root.hasOutput(OutputKey.GlueTable, { Value: 'ctr' });
    root.hasOutput(OutputKey.GlueLatestView, { Value: 'ctr_latest' });
    root.hasOutput(OutputKey.GlueDatabase, { Value: 'ctr_test' });
    root.hasOutput(OutputKey.AthenaWorkGroup, { Value: 'ctr-test' });
    for (const generated of [
      OutputKey.StreamName,
      OutputKey.DeliveryStreamName,
      OutputKey.DashboardName,
      OutputKey.PseudonymKeySecretArn,
    ]) {
      root.hasOutput(generated, { Value: { 'Fn::GetAtt': [Match.anyValue(), Match.stringLikeRegexp('^Outputs\\.')] } });
    }
  });
});

describe('CtrLakeStack with ctrLake:compaction false', () => {
  it('has no compaction function, layer, schedule, alarm or output', () => {
    const app = new App({ context: cdkJsonContext() });
    const stack = new CtrLakeStack(app, 'CtrLake', { config: testConfig({ 'ctrLake:compaction': false }) });
    const stateless = Template.fromStack(stack.stateless);

    stateless.resourceCountIs('AWS::Lambda::Function', 3);
    stateless.resourceCountIs('AWS::Lambda::LayerVersion', 0);
    stateless.resourceCountIs('AWS::Scheduler::Schedule', 0);
    stateless.resourceCountIs('AWS::CloudWatch::Alarm', 8);
    expect(Object.keys(Template.fromStack(stack).toJSON().Outputs as object)).not.toContain(
      OutputKey.CompactionFunctionName,
    );
  });
});

describe('CtrLakeStack attached to an Amazon Connect instance', () => {
  const INSTANCE_ARN = 'arn:aws:connect:us-east-1:123456789012:instance/0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';
  let stack: CtrLakeStack;
  let root: Template;
  let stateless: Template;

  beforeAll(() => {
    const app = new App({ context: cdkJsonContext() });
    stack = new CtrLakeStack(app, 'CtrLake', {
      config: testConfig({ 'ctrLake:prefix': 'ctr-test', 'ctrLake:connectInstanceArn': INSTANCE_ARN }),
      stackName: 'ctr-test',
      env: { account: '123456789012', region: 'us-east-1' },
    });
    root = Template.fromStack(stack);
    stateless = Template.fromStack(stack.stateless);
  });

  it("streams the instance's CTRs to the pipeline's stream, kept on the AWS managed key Connect can write with", () => {
    stateless.hasResourceProperties('AWS::Connect::InstanceStorageConfig', {
      InstanceArn: INSTANCE_ARN,
      ResourceType: 'CONTACT_TRACE_RECORDS',
      StorageType: 'KINESIS_STREAM',
      KinesisStreamConfig: { StreamArn: stack.stateless.resolve(stack.stateless.stream.stream.streamArn) },
    });
    stateless.hasResourceProperties('AWS::Kinesis::Stream', {
      StreamEncryption: { EncryptionType: 'KMS', KeyId: 'alias/aws/kinesis' },
    });
  });

  it('outputs the instance ARN and the stream ARN', () => {
    root.hasOutput(OutputKey.ConnectInstanceArn, { Value: INSTANCE_ARN });
    root.hasOutput(OutputKey.StreamArn, {
      Value: { 'Fn::GetAtt': [Match.anyValue(), Match.stringLikeRegexp('^Outputs\\.')] },
    });
  });

  it('still retains nothing with a fixed name', () => {
    for (const template of [root, Template.fromStack(stack.stateful), stateless]) {
      expect(retainedNamedResources(template)).toEqual([]);
    }
  });
});
