import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { CtrLakeConfig } from '../config/ctr-lake-config';
import { CTR_LATEST_VIEW_NAME, CTR_TABLE_NAME } from '../constructs/ctr-catalog';
import { StatefulStack } from './stateful-stack';
import { StatelessStack } from './stateless-stack';

/** The stack outputs, by key: what scripts read (CloudFormation DescribeStacks) to find a deployment. */
export const OutputKey = {
  StreamName: 'StreamName',
  StreamArn: 'StreamArn',
  EmulatorFunctionName: 'EmulatorFunctionName',
  CheckerFunctionName: 'CheckerFunctionName',
  TransformFunctionName: 'TransformFunctionName',
  DeliveryStreamName: 'DeliveryStreamName',
  DedupTableName: 'DedupTableName',
  DedupCacheEndpoint: 'DedupCacheEndpoint',
  OnFailureQueueUrl: 'OnFailureQueueUrl',
  LakeBucketName: 'LakeBucketName',
  AthenaResultsBucketName: 'AthenaResultsBucketName',
  AthenaWorkGroup: 'AthenaWorkGroup',
  GlueDatabase: 'GlueDatabase',
  GlueTable: 'GlueTable',
  GlueLatestView: 'GlueLatestView',
  DashboardName: 'DashboardName',
  AlarmTopicArn: 'AlarmTopicArn',
  /** Only when ctrLake:compaction is true. */
  CompactionFunctionName: 'CompactionFunctionName',
  /** Only when `ctrLake:connectInstanceArn` is set. */
  ConnectInstanceArn: 'ConnectInstanceArn',
  PseudonymKeySecretArn: 'PseudonymKeySecretArn',
} as const;

export interface CtrLakeStackProps extends StackProps {
  readonly config: CtrLakeConfig;
}

/**
 * The deployable unit: one CloudFormation stack, so that a plain `cdk deploy` stands the whole pipeline up, holding
 * the stateful and the stateless stacks as nested stacks (the second receives the first's resources as props) and
 * the outputs. Nested stacks pass values by parameters, not exports: the stateless side can change what it uses
 * from the stateful side without the export deadlocks of sibling stacks.
 */
export class CtrLakeStack extends Stack {
  readonly stateful: StatefulStack;
  readonly stateless: StatelessStack;

  constructor(scope: Construct, id: string, props: CtrLakeStackProps) {
    super(scope, id, props);
    const { config } = props;

    this.stateful = new StatefulStack(this, 'Stateful', { config });
    this.stateless = new StatelessStack(this, 'Stateless', {
      config,
      encryptionKey: this.stateful.encryptionKey,
      lakeBucket: this.stateful.lakeBucket,
      athenaResultsBucket: this.stateful.athenaResultsBucket,
      dedupStore: this.stateful.dedupStore,
      glueDatabase: this.stateful.catalog.database,
      ctrTable: this.stateful.catalog.table,
      pseudonymKey: this.stateful.pseudonymKey,
    });

    const { stateless, stateful } = this;
    const outputs: Record<keyof typeof OutputKey, { value: string; description: string } | undefined> = {
      StreamName: {
        value: stateless.stream.stream.streamName,
        description: 'Kinesis stream Amazon Connect writes CTRs to',
      },
      StreamArn: {
        value: stateless.stream.stream.streamArn,
        description: 'ARN of that stream: what a Connect instance streams its CTRs to (npm run connect)',
      },
      EmulatorFunctionName: {
        value: stateless.emulator.handler.function.functionName,
        description: 'Invoke with a JSON array of CTRs to put them on the stream',
      },
      CheckerFunctionName: { value: stateless.checker.handler.function.functionName, description: 'Duplicate checker' },
      TransformFunctionName: {
        value: stateless.delivery.transform.function.functionName,
        description: 'Firehose transform',
      },
      DeliveryStreamName: {
        value: stateless.delivery.deliveryStream.deliveryStreamName,
        description: 'Firehose to the lake',
      },
      DedupTableName:
        stateful.dedupStore.kind === 'dynamodb'
          ? {
              value: stateful.dedupStore.table.tableName,
              description: 'Dedup claims (TTL on expiresAt)',
            }
          : undefined,
      DedupCacheEndpoint:
        stateful.dedupStore.kind === 'valkey'
          ? {
              value: stateful.dedupStore.cache.endpointAddress,
              description: 'Valkey dedup cache endpoint (in the dedup VPC; keys expire at the TTL)',
            }
          : undefined,
      OnFailureQueueUrl: {
        value: stateless.checker.onFailureQueue.queueUrl,
        description: 'Stream ranges the checker gave up on, to replay',
      },
      LakeBucketName: { value: stateful.lakeBucket.bucketName, description: 'Lake bucket: ctr/ rows, errors/ rejects' },
      AthenaResultsBucketName: { value: stateful.athenaResultsBucket.bucketName, description: 'Athena query results' },
      AthenaWorkGroup: {
        value: stateless.analytics.workGroupName,
        description: 'Athena workgroup with the named queries',
      },
      GlueDatabase: { value: stateful.catalog.databaseName, description: 'Glue/Athena database' },
      GlueTable: { value: CTR_TABLE_NAME, description: 'Table of every stored CTR version' },
      GlueLatestView: { value: CTR_LATEST_VIEW_NAME, description: 'View with one row per contact' },
      DashboardName: { value: stateless.monitoring.dashboard.dashboardName, description: 'CloudWatch dashboard' },
      AlarmTopicArn: { value: stateless.monitoring.alarmTopic.topicArn, description: 'SNS topic of the alarms' },
      CompactionFunctionName: stateless.compaction && {
        value: stateless.compaction.handler.function.functionName,
        description: 'Nightly compaction job (invoke with {"from":"YYYY-MM-DD","to":"YYYY-MM-DD"} for a range)',
      },
      ConnectInstanceArn: config.connectInstance && {
        value: config.connectInstance.arn,
        description: 'Amazon Connect instance whose CTRs stream to StreamArn',
      },
      PseudonymKeySecretArn: {
        value: stateful.pseudonymKey.secretArn,
        description: 'Secret holding the phone number pseudonym key (npm run pseudonym reads it)',
      },
    };
    for (const [key, output] of Object.entries(outputs)) {
      if (output !== undefined) new CfnOutput(this, key, output);
    }
  }
}
