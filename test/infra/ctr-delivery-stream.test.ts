import { Duration, RemovalPolicy, Size, type Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import type { LakeFormat, PiiConfig } from '../../lib/config/ctr-lake-config';
import { CtrCatalog, cfnTableOf } from '../../lib/constructs/ctr-catalog';
import { PseudonymKeySecret } from '../../lib/constructs/pseudonym-key-secret';
import {
  CtrDeliveryStream,
  LAKE_DATA_OUTPUT_PREFIX,
  LAKE_ERROR_OUTPUT_PREFIX,
} from '../../lib/constructs/ctr-delivery-stream';
import {
  actionsOfRole,
  newTestKey,
  newTestStack,
  onlyResource,
  statementsOfRole,
  testFunctionSettings,
} from './support/infra-test-app';

interface Fixture {
  stack: Stack;
  key: kms.Key;
  bucket: s3.Bucket;
  catalog: CtrCatalog;
  delivery: CtrDeliveryStream;
  secret: PseudonymKeySecret;
  template: Template;
  destination: Record<string, unknown>;
}

const PSEUDONYMISE: PiiConfig = { mode: 'pseudonymise', attributeKeys: ['callerName'], keyVersion: 2 };

function deliveryFixture(lakeFormat: LakeFormat, pii: PiiConfig = PSEUDONYMISE): Fixture {
  const stack = newTestStack();
  const key = newTestKey(stack);
  const bucket = new s3.Bucket(stack, 'Lake', { encryptionKey: key });
  const catalog = new CtrCatalog(stack, 'Catalog', {
    databaseName: 'ctr_test',
    lakeBucket: bucket,
    lakeFormat,
    projectionStartYear: 2017,
  });
  const secret = new PseudonymKeySecret(stack, 'PseudonymKey', { encryptionKey: key, keyVersion: pii.keyVersion });
  const delivery = new CtrDeliveryStream(stack, 'LakeDelivery', {
    lakeBucket: bucket,
    encryptionKey: key,
    lakeFormat,
    schemaTable: cfnTableOf(catalog.table),
    bufferInterval: Duration.seconds(120),
    bufferSize: Size.mebibytes(96),
    projectionStartYear: 2019,
    functionSettings: testFunctionSettings(),
    logRetention: logs.RetentionDays.ONE_MONTH,
    logRemovalPolicy: RemovalPolicy.DESTROY,
    pii: { ...pii, keySecret: secret.secret },
  });
  const template = Template.fromStack(stack);
  const destination = onlyResource(template, 'AWS::KinesisFirehose::DeliveryStream').properties
    .ExtendedS3DestinationConfiguration as Record<string, unknown>;
  return { stack, key, bucket, catalog, delivery, secret, template, destination };
}

describe('CtrDeliveryStream', () => {
  let parquet: Fixture;

  beforeAll(() => {
    parquet = deliveryFixture('parquet');
  });

  it('is a direct-put delivery stream with a generated name whose buffer is encrypted with the lake key', () => {
    const { template, stack, key } = parquet;

    template.hasResourceProperties('AWS::KinesisFirehose::DeliveryStream', {
      DeliveryStreamName: Match.absent(),
      DeliveryStreamType: 'DirectPut',
      DeliveryStreamEncryptionConfigurationInput: {
        KeyType: 'CUSTOMER_MANAGED_CMK',
        KeyARN: stack.resolve(key.keyArn),
      },
    });
  });

  it('writes rows under ctr/ partitioned by the keys the transform returns, failures under errors/', () => {
    const { destination, stack, bucket } = parquet;

    expect(LAKE_DATA_OUTPUT_PREFIX).toBe(
      'ctr/year=!{partitionKeyFromLambda:year}/month=!{partitionKeyFromLambda:month}/day=!{partitionKeyFromLambda:day}/',
    );
    expect(LAKE_ERROR_OUTPUT_PREFIX).toBe('errors/!{firehose:error-output-type}/!{timestamp:yyyy/MM/dd/HH}/');
    expect(destination).toMatchObject({
      BucketARN: stack.resolve(bucket.bucketArn),
      Prefix: LAKE_DATA_OUTPUT_PREFIX,
      ErrorOutputPrefix: LAKE_ERROR_OUTPUT_PREFIX,
      DynamicPartitioningConfiguration: { Enabled: true, RetryOptions: { DurationInSeconds: 300 } },
    });
  });

  it('buffers as configured and encrypts the objects it writes with the lake key', () => {
    const { destination, stack, key } = parquet;

    expect(destination).toMatchObject({
      BufferingHints: { IntervalInSeconds: 120, SizeInMBs: 96 },
      EncryptionConfiguration: { KMSEncryptionConfig: { AWSKMSKeyARN: stack.resolve(key.keyArn) } },
    });
  });

  it('runs the transform Lambda on 1 MiB batches, so its output stays under the Lambda response limit', () => {
    const { destination, stack, delivery } = parquet;

    expect(destination.ProcessingConfiguration).toEqual({
      Enabled: true,
      Processors: [
        {
          Type: 'Lambda',
          Parameters: [
            { ParameterName: 'RoleArn', ParameterValue: stack.resolve(delivery.role.roleArn) },
            { ParameterName: 'LambdaArn', ParameterValue: stack.resolve(delivery.transform.function.functionArn) },
            { ParameterName: 'BufferIntervalInSeconds', ParameterValue: '60' },
            { ParameterName: 'BufferSizeInMBs', ParameterValue: '1' },
            { ParameterName: 'NumberOfRetries', ParameterValue: '3' },
          ],
        },
      ],
    });
  });

  it("gives the transform the first year of the table's partition projection, so it quarantines rows Athena never reads", () => {
    const { template, stack, delivery } = parquet;
    const transform = template.findResources('AWS::Lambda::Function')[
      stack.getLogicalId(delivery.transform.function.node.defaultChild as lambda.CfnFunction)
    ] as { Properties: { Environment: { Variables: Record<string, string> } } };

    expect(transform.Properties.Environment.Variables).toMatchObject({ PROJECTION_START_YEAR: '2019' });
  });

  it('converts rows to Snappy Parquet with the schema of the Glue ctr table, without object compression', () => {
    const { destination, stack, catalog, delivery } = parquet;
    const table = cfnTableOf(catalog.table);

    expect(destination.DataFormatConversionConfiguration).toEqual({
      Enabled: true,
      // Case-sensitive: the default lowercases every JSON key, attribute names in the attributes map included.
      InputFormatConfiguration: { Deserializer: { OpenXJsonSerDe: { CaseInsensitive: false } } },
      OutputFormatConfiguration: { Serializer: { ParquetSerDe: { Compression: 'SNAPPY' } } },
      SchemaConfiguration: {
        CatalogId: stack.resolve(table.catalogId),
        DatabaseName: stack.resolve(table.databaseName),
        TableName: stack.resolve(table.ref),
        Region: stack.resolve(stack.region),
        RoleARN: stack.resolve(delivery.role.roleArn),
        VersionId: 'LATEST',
      },
    });
    expect(destination.CompressionFormat).toBeUndefined();
  });

  it('writes GZIP JSON lines, without format conversion, when the lake format is json', () => {
    const json = deliveryFixture('json');

    expect(json.destination.CompressionFormat).toBe('GZIP');
    json.template.hasResourceProperties('AWS::KinesisFirehose::DeliveryStream', {
      ExtendedS3DestinationConfiguration: { DataFormatConversionConfiguration: Match.absent() },
    });
    expect(actionsOfRole(json.template, json.stack.resolve(json.delivery.role.roleName))).not.toContainEqual(
      expect.stringMatching(/^glue:/),
    );
  });

  it('logs delivery errors to its own log group with a retention', () => {
    const { destination, stack, delivery, template } = parquet;

    expect(destination.CloudWatchLoggingOptions).toMatchObject({
      Enabled: true,
      LogGroupName: stack.resolve(delivery.logGroup.logGroupName),
    });
    template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 30 });
  });

  it('assumes one role that only Firehose can assume, granted exactly what Firehose documents for this stream', () => {
    const { template, stack, delivery, key, bucket, catalog, destination } = parquet;
    const statements = statementsOfRole(template, stack.resolve(delivery.role.roleName));
    const table = cfnTableOf(catalog.table);
    const logging = destination.CloudWatchLoggingOptions as { LogGroupName: unknown; LogStreamName: unknown };

    template.resourceCountIs('AWS::IAM::Role', 2);
    template.hasResourceProperties('AWS::IAM::Role', {
      RoleName: Match.absent(),
      AssumeRolePolicyDocument: {
        Statement: [Match.objectLike({ Principal: { Service: 'firehose.amazonaws.com' } })],
      },
    });
    expect(statements).toEqual([
      {
        Sid: 'LakeBucket',
        Effect: 'Allow',
        Action: ['s3:GetBucketLocation', 's3:ListBucket', 's3:ListBucketMultipartUploads'],
        Resource: stack.resolve(bucket.bucketArn),
      },
      {
        Sid: 'LakeObjects',
        Effect: 'Allow',
        Action: ['s3:AbortMultipartUpload', 's3:GetObject', 's3:PutObject'],
        Resource: [stack.resolve(bucket.arnForObjects('ctr/*')), stack.resolve(bucket.arnForObjects('errors/*'))],
      },
      {
        Sid: 'LakeObjectEncryption',
        Effect: 'Allow',
        Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
        Resource: stack.resolve(key.keyArn),
        Condition: {
          StringEquals: { 'kms:ViaService': stack.resolve(`s3.${stack.region}.amazonaws.com`) },
          StringLike: {
            'kms:EncryptionContext:aws:s3:arn': [
              stack.resolve(bucket.bucketArn),
              stack.resolve(bucket.arnForObjects('*')),
            ],
          },
        },
      },
      {
        Sid: 'Transform',
        Effect: 'Allow',
        Action: ['lambda:GetFunctionConfiguration', 'lambda:InvokeFunction'],
        Resource: stack.resolve(delivery.transform.function.functionArn),
      },
      {
        Sid: 'DeliveryLog',
        Effect: 'Allow',
        Action: 'logs:PutLogEvents',
        Resource: {
          'Fn::Join': [
            '',
            [
              'arn:',
              { Ref: 'AWS::Partition' },
              ':logs:',
              { Ref: 'AWS::Region' },
              ':',
              { Ref: 'AWS::AccountId' },
              ':log-group:',
              logging.LogGroupName,
              ':log-stream:',
              logging.LogStreamName,
            ],
          ],
        },
      },
      {
        Sid: 'SchemaTable',
        Effect: 'Allow',
        Action: ['glue:GetTable', 'glue:GetTableVersion', 'glue:GetTableVersions'],
        Resource: [
          stack.resolve(stack.formatArn({ service: 'glue', resource: 'catalog' })),
          stack.resolve(stack.formatArn({ service: 'glue', resource: 'database', resourceName: table.databaseName })),
          stack.resolve(
            stack.formatArn({ service: 'glue', resource: 'table', resourceName: `${table.databaseName}/${table.ref}` }),
          ),
        ],
      },
    ]);
  });

  it('can delete nothing in the versioned lake and reads no schema registry: no Delete action, no * resource', () => {
    for (const fixture of [parquet, deliveryFixture('json')]) {
      const { template, stack, delivery } = fixture;
      const statements = statementsOfRole(template, stack.resolve(delivery.role.roleName));
      const actions = actionsOfRole(template, stack.resolve(delivery.role.roleName));

      expect(actions).not.toContainEqual(expect.stringMatching(/Delete|^glue:GetSchema|\*/));
      expect(statements.flatMap((statement) => [statement.Resource].flat())).not.toContain('*');
    }
  });

  it('creates the delivery stream only once its role holds those permissions', () => {
    const { template, stack, delivery } = parquet;
    const policies = Object.keys(
      template.findResources('AWS::IAM::Policy', {
        Properties: { Roles: [stack.resolve(delivery.role.roleName)] },
      }),
    );
    const resource = onlyResource(template, 'AWS::KinesisFirehose::DeliveryStream');
    const dependsOn = (template.toJSON().Resources as Record<string, { DependsOn?: string[] }>)[resource.logicalId]!
      .DependsOn;

    expect(policies).toHaveLength(1);
    expect(dependsOn).toEqual(expect.arrayContaining(policies));
  });

  it('tells the transform its PII mode, attribute keys, key secret and key version', () => {
    const { template, stack, secret } = parquet;

    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({
          PII_MODE: 'pseudonymise',
          PII_ATTRIBUTE_KEYS: '["callerName"]',
          PII_KEY_SECRET_ID: stack.resolve(secret.secret.secretArn),
          PII_KEY_VERSION: '2',
        }),
      },
    });
  });

  it('grants the transform read-only access to exactly the key secret, and decryption only through Secrets Manager', () => {
    const { template, stack, delivery, secret, key } = parquet;
    const statements = statementsOfRole(template, stack.resolve(delivery.transform.role.roleName));

    expect(statements.filter((s) => JSON.stringify(s.Action).includes('secretsmanager:'))).toEqual([
      {
        Effect: 'Allow',
        Action: ['secretsmanager:DescribeSecret', 'secretsmanager:GetSecretValue'],
        Resource: stack.resolve(secret.secret.secretArn),
      },
    ]);
    expect(statements.filter((s) => JSON.stringify(s.Action).includes('kms:'))).toEqual([
      {
        Effect: 'Allow',
        Action: 'kms:Decrypt',
        Resource: stack.resolve(key.keyArn),
        Condition: {
          StringEquals: { 'kms:ViaService': stack.resolve(`secretsmanager.${stack.region}.amazonaws.com`) },
        },
      },
    ]);
  });

  it.each(['keep', 'drop'] as const)('in %s mode gives the transform neither the key nor its secret', (mode) => {
    const { template, stack, delivery } = deliveryFixture('json', { mode, attributeKeys: [], keyVersion: 1 });
    const statements = statementsOfRole(template, stack.resolve(delivery.transform.role.roleName));

    expect(JSON.stringify(statements)).not.toMatch(/secretsmanager:|kms:/);
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({
          PII_MODE: mode,
          PII_ATTRIBUTE_KEYS: '[]',
          PII_KEY_SECRET_ID: Match.absent(),
          PII_KEY_VERSION: Match.absent(),
        }),
      },
    });
  });
});
