import { RemovalPolicy, type Stack, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import type * as firehose from 'aws-cdk-lib/aws-kinesisfirehose';
import type * as kms from 'aws-cdk-lib/aws-kms';
import { DuplicateChecker } from '../../lib/constructs/duplicate-checker';
import {
  importedDeliveryStream,
  newTestKey,
  newTestStack,
  onlyResource,
  statementsOfRole,
  testConfig,
  testFunctionSettings,
} from './support/infra-test-app';

describe('DuplicateChecker', () => {
  let stack: Stack;
  let key: kms.Key;
  let stream: kinesis.Stream;
  let table: dynamodb.Table;
  let deliveryStream: firehose.IDeliveryStream;
  let checker: DuplicateChecker;
  let template: Template;

  beforeAll(() => {
    stack = newTestStack();
    key = newTestKey(stack);
    stream = new kinesis.Stream(stack, 'Stream', { encryption: kinesis.StreamEncryption.MANAGED });
    table = new dynamodb.Table(stack, 'Dedup', {
      partitionKey: { name: 'fingerprint', type: dynamodb.AttributeType.STRING },
      encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: key,
    });
    deliveryStream = importedDeliveryStream(stack, 'ctr-test-lake-delivery');
    const config = testConfig({
      'ctrLake:checkerBatchSize': 250,
      'ctrLake:checkerBatchingWindowSeconds': 5,
      'ctrLake:checkerMemoryMb': 1024,
      'ctrLake:checkerRetryAttempts': 7,
      'ctrLake:checkerMaxRecordAgeHours': 6,
      'ctrLake:dedupTtlHours': 36,
      'ctrLake:dedupKeyStrategy': 'version',
    });
    checker = new DuplicateChecker(stack, 'DuplicateChecker', {
      stream,
      dedupStore: { kind: 'dynamodb', table },
      deliveryStream,
      encryptionKey: key,
      checker: config.checker,
      dedupTtlHours: config.dedupTtlHours,
      dedupKeyStrategy: config.dedupKeyStrategy,
      functionSettings: testFunctionSettings(),
      queueRemovalPolicy: RemovalPolicy.DESTROY,
    });
    template = Template.fromStack(stack);
  });

  it('reads the stream from the trim horizon with the configured batching', () => {
    const mapping = onlyResource(template, 'AWS::Lambda::EventSourceMapping');

    expect(mapping.properties).toMatchObject({
      EventSourceArn: stack.resolve(stream.streamArn),
      FunctionName: stack.resolve(checker.handler.function.functionName),
      StartingPosition: 'TRIM_HORIZON',
      BatchSize: 250,
      MaximumBatchingWindowInSeconds: 5,
    });
  });

  it('retries failed records alone, a bounded number of times, then records them on the encrypted queue', () => {
    const mapping = onlyResource(template, 'AWS::Lambda::EventSourceMapping');

    expect(mapping.properties).toMatchObject({
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      BisectBatchOnFunctionError: true,
      MaximumRetryAttempts: 7,
      MaximumRecordAgeInSeconds: 6 * 3600,
      ParallelizationFactor: 1,
      DestinationConfig: { OnFailure: { Destination: stack.resolve(checker.onFailureQueue.queueArn) } },
    });
  });

  it('keeps failure pointers 14 days in a queue encrypted with the lake key and closed to plain HTTP', () => {
    template.hasResourceProperties('AWS::SQS::Queue', {
      KmsMasterKeyId: stack.resolve(key.keyArn),
      MessageRetentionPeriod: 14 * 24 * 3600,
    });
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      PolicyDocument: {
        Statement: [
          {
            Effect: 'Deny',
            Action: 'sqs:*',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
            Principal: { AWS: '*' },
            Resource: stack.resolve(checker.onFailureQueue.queueArn),
          },
        ],
      },
    });
  });

  it('passes the handler the names and settings of docs/CONTRACTS.md', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      MemorySize: 1024,
      Timeout: 120,
      Environment: {
        Variables: {
          DEDUP_TABLE_NAME: stack.resolve(table.tableName),
          DELIVERY_STREAM_NAME: 'ctr-test-lake-delivery',
          DEDUP_TTL_HOURS: '36',
          MAX_RECORD_AGE_HOURS: '6',
          DEDUP_KEY_STRATEGY: 'version',
          POWERTOOLS_SERVICE_NAME: 'ctr-test-checker',
        },
      },
    });
  });

  it('is granted exactly: its logs, the three dedup-table calls and the key, Firehose puts, the queue, the stream reads', () => {
    const statements = statementsOfRole(template, stack.resolve(checker.handler.role.roleName));

    expect(statements).toEqual([
      {
        Effect: 'Allow',
        Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        Resource: stack.resolve(checker.handler.logGroup.logGroupArn),
      },
      {
        Effect: 'Allow',
        Action: ['dynamodb:BatchWriteItem', 'dynamodb:DeleteItem', 'dynamodb:PutItem'],
        Resource: stack.resolve(table.tableArn),
      },
      {
        Effect: 'Allow',
        Action: ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey*', 'kms:ReEncrypt*'],
        Resource: stack.resolve(key.keyArn),
      },
      {
        Effect: 'Allow',
        Action: ['firehose:PutRecord', 'firehose:PutRecordBatch'],
        Resource: stack.resolve(deliveryStream.deliveryStreamArn),
      },
      {
        Effect: 'Allow',
        Action: ['sqs:GetQueueAttributes', 'sqs:GetQueueUrl', 'sqs:SendMessage'],
        Resource: stack.resolve(checker.onFailureQueue.queueArn),
      },
      {
        Effect: 'Allow',
        Action: [
          'kinesis:DescribeStream',
          'kinesis:DescribeStreamConsumer',
          'kinesis:DescribeStreamSummary',
          'kinesis:GetRecords',
          'kinesis:GetShardIterator',
          'kinesis:ListShards',
          'kinesis:ListStreams',
          'kinesis:SubscribeToShard',
        ],
        Resource: stack.resolve(stream.streamArn),
      },
    ]);
  });

  it('acknowledges only the KMS data-key wildcards on its role, and SQS3 on its queue, with reasons', () => {
    const acknowledged = (construct: { node: { metadata: { type: string; data: unknown }[] } }): string[] =>
      construct.node.metadata
        .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
        .flatMap((entry) => Object.keys(entry.data as Record<string, string>))
        // CDK records acknowledgments as annotation ids; cdk-nag strips this prefix when it matches them.
        .map((id) => id.replace(/^Annotation::/, ''));

    expect(acknowledged(checker.handler.role).sort()).toEqual([
      'AwsSolutions-IAM5[Action::kms:GenerateDataKey*]',
      'AwsSolutions-IAM5[Action::kms:ReEncrypt*]',
    ]);
    expect(acknowledged(checker.onFailureQueue)).toEqual(['AwsSolutions-SQS3']);
  });
});
