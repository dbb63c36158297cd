import { Duration, type RemovalPolicy, Validations } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as kinesis from 'aws-cdk-lib/aws-kinesis';
import type * as firehose from 'aws-cdk-lib/aws-kinesisfirehose';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sources from 'aws-cdk-lib/aws-lambda-event-sources';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { CHECKER_TIMEOUT_SECONDS } from '../../lambda/checker/config';
import type { DedupKeyStrategy } from '../../lambda/shared/fingerprint';
import type { CheckerConfig } from '../config/ctr-lake-config';
import { acknowledgeWildcards, KMS_DATA_KEY_ACTIONS } from '../nag/acknowledge-wildcards';
import { CtrFunction, type FunctionSettings } from './ctr-function';
import type { IValkeyDedupStore } from './valkey-dedup-cache';

/**
 * The dedup-table calls of the checker (lambda/checker/adapters): the conditional claim, the delivered marks (batched),
 * and releasing a claim whose record could not be delivered.
 */
export const CHECKER_TABLE_ACTIONS = ['dynamodb:PutItem', 'dynamodb:BatchWriteItem', 'dynamodb:DeleteItem'] as const;

/** Where the checker keeps its claims (`ctrLake:dedupStore`). */
export type CheckerDedupStore =
  | { readonly kind: 'dynamodb'; readonly table: dynamodb.ITable }
  | { readonly kind: 'valkey'; readonly cache: IValkeyDedupStore };

export interface DuplicateCheckerProps {
  readonly stream: kinesis.IStream;
  readonly dedupStore: CheckerDedupStore;
  readonly deliveryStream: firehose.IDeliveryStream;
  /** Encrypts the on-failure queue. */
  readonly encryptionKey: kms.IKey;
  readonly checker: CheckerConfig;
  readonly dedupTtlHours: number;
  readonly dedupKeyStrategy: DedupKeyStrategy;
  readonly functionSettings: FunctionSettings;
  /** What happens to the on-failure queue when the stack is deleted. */
  readonly queueRemovalPolicy: RemovalPolicy;
}

/**
 * The duplicate checker: reads the stream in order, claims each CTR's dedup key in the dedup table and forwards
 * first sightings to Firehose. A failed record is retried alone (partial batch responses, then bisection) a bounded
 * number of times; what still fails leaves a pointer (shard, sequence range) on an encrypted queue, so that nothing
 * is lost silently and the stream can be replayed from there.
 */
export class DuplicateChecker extends Construct {
  readonly handler: CtrFunction;
  readonly onFailureQueue: sqs.Queue;

  constructor(scope: Construct, id: string, props: DuplicateCheckerProps) {
    super(scope, id);
    const { checker } = props;

    this.onFailureQueue = new sqs.Queue(this, 'OnFailureQueue', {
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: props.encryptionKey,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
      removalPolicy: props.queueRemovalPolicy,
    });
    Validations.of(this.onFailureQueue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason:
        'This queue is the dead-letter destination of the checker event source mapping; it needs no DLQ of its own.',
    });

    const { dedupStore } = props;
    this.handler = new CtrFunction(this, 'Checker', {
      ...props.functionSettings,
      handlerName: 'checker',
      description: 'Drops duplicate CTRs and forwards first sightings to Firehose',
      // Claims and Firehose writes are retried with backoff inside one invocation, which stops them in time.
      timeout: Duration.seconds(CHECKER_TIMEOUT_SECONDS),
      memorySize: checker.memoryMb,
      environment: {
        ...storeEnvironment(dedupStore),
        DELIVERY_STREAM_NAME: props.deliveryStream.deliveryStreamName,
        DEDUP_TTL_HOURS: String(props.dedupTtlHours),
        // The checker checks its claims outlive the records' wait on the stream (claim-lifetime.ts).
        MAX_RECORD_AGE_HOURS: String(checker.maxRecordAgeHours),
        DEDUP_KEY_STRATEGY: props.dedupKeyStrategy,
      },
      ...(dedupStore.kind === 'valkey'
        ? { network: { vpc: dedupStore.cache.vpc, securityGroups: [dedupStore.cache.clientSecurityGroup] } }
        : {}),
    });
    const fn = this.handler.function;
    if (dedupStore.kind === 'dynamodb') {
      dedupStore.table.grant(fn, ...CHECKER_TABLE_ACTIONS);
      // A custom grant leaves out the table's key; items are encrypted with it, so every call needs it.
      dedupStore.table.encryptionKey?.grantEncryptDecrypt(fn);
    } else {
      dedupStore.cache.grantConnect(fn);
      Validations.of(this.handler.role).acknowledge({
        id: 'AwsSolutions-IAM4',
        reason:
          'A function in a VPC needs the ENI actions of the AWS-managed AWSLambdaVPCAccessExecutionRole, which Lambda ' +
          'documents for that purpose; it grants nothing else.',
      });
    }
    props.deliveryStream.grantPutRecords(fn);
    acknowledgeWildcards(this.handler.role, {
      actions: KMS_DATA_KEY_ACTIONS,
      reason:
        'The dedup table and the on-failure queue are encrypted with the lake key: their grants add data-key ' +
        'actions on that key only.',
    });

    fn.addEventSource(
      new sources.KinesisEventSource(props.stream, {
        startingPosition: lambda.StartingPosition.TRIM_HORIZON,
        batchSize: checker.batchSize,
        maxBatchingWindow: Duration.seconds(checker.batchingWindowSeconds),
        reportBatchItemFailures: true,
        bisectBatchOnError: true,
        retryAttempts: checker.retryAttempts,
        maxRecordAge: Duration.hours(checker.maxRecordAgeHours),
        // Lambda keeps records of one partition key (the ContactId) in order whatever the factor, so a contact's
        // versions and copies are still checked in order (docs/CAPACITY.md).
        parallelizationFactor: checker.parallelization,
        onFailure: new sources.SqsDlq(this.onFailureQueue),
      }),
    );
  }
}

/** The checker's environment that names its dedup store (read by lambda/checker/config.ts). */
function storeEnvironment(store: CheckerDedupStore): Record<string, string> {
  if (store.kind === 'dynamodb') return { DEDUP_STORE: 'dynamodb', DEDUP_TABLE_NAME: store.table.tableName };
  return {
    DEDUP_STORE: 'valkey',
    VALKEY_ENDPOINT: store.cache.endpointAddress,
    VALKEY_CACHE_NAME: store.cache.cacheName,
    VALKEY_USER: store.cache.userId,
  };
}
