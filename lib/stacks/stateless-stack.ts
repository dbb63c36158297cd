import { Duration, NestedStack, type NestedStackProps, Size } from 'aws-cdk-lib';
import type * as glue from 'aws-cdk-lib/aws-glue';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import { type CtrLakeConfig, removalPolicyFor } from '../config/ctr-lake-config';
import { resourceNames } from '../config/resource-names';
import { cfnTableOf } from '../constructs/ctr-catalog';
import { CtrAnalytics } from '../constructs/ctr-analytics';
import { CtrDeliveryStream } from '../constructs/ctr-delivery-stream';
import { CtrEmulator } from '../constructs/ctr-emulator';
import type { FunctionSettings } from '../constructs/ctr-function';
import { ConnectCtrStorage } from '../constructs/connect-ctr-storage';
import { CtrMonitoring } from '../constructs/ctr-monitoring';
import { CtrStream } from '../constructs/ctr-stream';
import { DuplicateChecker, type CheckerDedupStore } from '../constructs/duplicate-checker';
import { LakeCompaction } from '../constructs/lake-compaction';
import { logRetentionOf } from '../config/log-retention';

export interface StatelessStackProps extends NestedStackProps {
  readonly config: CtrLakeConfig;
  readonly encryptionKey: kms.IKey;
  readonly lakeBucket: s3.IBucket;
  readonly athenaResultsBucket: s3.IBucket;
  readonly dedupStore: CheckerDedupStore;
  readonly glueDatabase: glue.IDatabase;
  /** The `ctr` table: Firehose's Parquet conversion reads its columns. */
  readonly ctrTable: glue.S3Table;
  /** The pseudonym key: the transform may read it when `ctrLake:piiMode` is pseudonymise. */
  readonly pseudonymKey: secretsmanager.ISecret;
}

/**
 * The moving parts, which hold nothing that is not also elsewhere: the stream (and, when configured, the Connect
 * instance's CTR storage config pointing at it), the emulator, the checker, the transform and Firehose, the Athena
 * workgroup with its named queries, the dashboard and the alarms.
 */
export class StatelessStack extends NestedStack {
  readonly stream: CtrStream;
  readonly emulator: CtrEmulator;
  readonly checker: DuplicateChecker;
  readonly delivery: CtrDeliveryStream;
  readonly analytics: CtrAnalytics;
  /** The nightly compaction job; undefined when ctrLake:compaction is false. */
  readonly compaction?: LakeCompaction;
  readonly monitoring: CtrMonitoring;
  /** When `ctrLake:connectInstanceArn` is set: the instance's CTRs streamed to `stream`. */
  readonly connectStorage?: ConnectCtrStorage;

  constructor(scope: Construct, id: string, props: StatelessStackProps) {
    super(scope, id, {
      description: 'ctr-lake pipeline: stream, checker, Firehose, Athena workgroup, monitoring',
      ...props,
    });
    const { config } = props;
    const removalPolicy = removalPolicyFor(config.removalPolicy);
    const logRetention = logRetentionOf(config.logRetentionDays);
    const functionSettings: FunctionSettings = {
      stage: config.prefix,
      logRetention,
      logLevel: config.logLevel,
      logRemovalPolicy: removalPolicy,
    };

    this.stream = new CtrStream(this, 'CtrStream', {
      capacity: config.stream,
      retentionHours: config.streamRetentionHours,
      removalPolicy,
    });

    if (config.connectInstance !== undefined) {
      this.connectStorage = new ConnectCtrStorage(this, 'ConnectCtrStorage', {
        instance: config.connectInstance,
        stream: this.stream.stream,
      });
    }

    this.emulator = new CtrEmulator(this, 'Emulator', { stream: this.stream.stream, functionSettings });

    this.delivery = new CtrDeliveryStream(this, 'LakeDelivery', {
      lakeBucket: props.lakeBucket,
      encryptionKey: props.encryptionKey,
      lakeFormat: config.lakeFormat,
      schemaTable: cfnTableOf(props.ctrTable),
      bufferInterval: Duration.seconds(config.firehoseBufferSeconds),
      bufferSize: Size.mebibytes(config.firehoseBufferMb),
      projectionStartYear: config.projectionStartYear,
      functionSettings,
      logRetention,
      logRemovalPolicy: removalPolicy,
      pii: { ...config.pii, keySecret: props.pseudonymKey },
    });

    this.checker = new DuplicateChecker(this, 'DuplicateChecker', {
      stream: this.stream.stream,
      dedupStore: props.dedupStore,
      deliveryStream: this.delivery.deliveryStream,
      encryptionKey: props.encryptionKey,
      checker: config.checker,
      dedupTtlHours: config.dedupTtlHours,
      dedupKeyStrategy: config.dedupKeyStrategy,
      functionSettings,
      queueRemovalPolicy: removalPolicy,
    });

    this.analytics = new CtrAnalytics(this, 'Analytics', {
      workGroupName: resourceNames(config.prefix).workGroupName,
      databaseName: props.glueDatabase.databaseName,
      resultsBucket: props.athenaResultsBucket,
      encryptionKey: props.encryptionKey,
      bytesScannedCutoffPerQuery: config.athenaBytesScannedCutoffMb * 1024 * 1024,
      reportingTimeZone: config.reportingTimeZone,
    });

    if (config.compaction.enabled) {
      this.compaction = new LakeCompaction(this, 'Compaction', {
        lakeBucket: props.lakeBucket,
        encryptionKey: props.encryptionKey,
        lakeFormat: config.lakeFormat,
        hourUtc: config.compaction.hourUtc,
        memoryMb: config.compaction.memoryMb,
        functionSettings,
      });
    }

    this.monitoring = new CtrMonitoring(this, 'Monitoring', {
      emulator: this.emulator.handler,
      checker: this.checker.handler,
      transform: this.delivery.transform,
      onFailureQueue: this.checker.onFailureQueue,
      deliveryStream: this.delivery.deliveryStream,
      encryptionKey: props.encryptionKey,
      alarmEmail: config.alarmEmail,
      ...(this.compaction ? { compaction: this.compaction.handler } : {}),
      formatConversion: config.lakeFormat === 'parquet',
    });
  }
}
