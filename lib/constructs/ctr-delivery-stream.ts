import { Duration, type RemovalPolicy, Size, Stack, Validations } from 'aws-cdk-lib';
import type * as glue from 'aws-cdk-lib/aws-glue';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as firehose from 'aws-cdk-lib/aws-kinesisfirehose';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { LAKE_DATA_PREFIX, LAKE_ERROR_PREFIX, PARTITION_KEYS } from '../../lambda/shared/row-schema';
import { PII_ENV } from '../../lambda/transform/pii/pii-policy';
import type { LakeFormat, PiiConfig } from '../config/ctr-lake-config';
import { acknowledgeWildcards, KMS_DATA_KEY_ACTIONS } from '../nag/acknowledge-wildcards';
import { CtrFunction, type FunctionSettings } from './ctr-function';
import { grantSecretRead } from './pseudonym-key-secret';

/** `ctr/year=!{partitionKeyFromLambda:year}/month=…/day=…/`: the partition keys the transform returns. */
export const LAKE_DATA_OUTPUT_PREFIX = `${LAKE_DATA_PREFIX}${PARTITION_KEYS.map(
  (key) => `${key.name}=!{partitionKeyFromLambda:${key.name}}/`,
).join('')}`;

/**
 * Failed and quarantined records, by failure type (`processing-failed` for transform rejections, which carry their
 * quarantine reason, `format-conversion-failed`, ...) and hour.
 */
export const LAKE_ERROR_OUTPUT_PREFIX = `${LAKE_ERROR_PREFIX}!{firehose:error-output-type}/!{timestamp:yyyy/MM/dd/HH}/`;

export interface CtrDeliveryStreamProps {
  readonly lakeBucket: s3.IBucket;
  /** Encrypts Firehose's buffer and the objects it writes. */
  readonly encryptionKey: kms.IKey;
  readonly lakeFormat: LakeFormat;
  /** The Glue table whose columns Parquet conversion writes; unused for `json`. */
  readonly schemaTable: glue.CfnTable;
  /** 60-900 s: dynamic partitioning needs at least 60. */
  readonly bufferInterval: Duration;
  /** 64-128 MiB: dynamic partitioning and format conversion need at least 64. */
  readonly bufferSize: Size;
  readonly functionSettings: FunctionSettings;
  readonly logRetention: logs.RetentionDays;
  readonly logRemovalPolicy: RemovalPolicy;
  /** What the transform does with personal values, and the secret holding the pseudonym key. */
  readonly pii: PiiConfig & { readonly keySecret: secretsmanager.ISecret };
}

/**
 * Firehose from the checker to the lake: the transform Lambda turns envelopes into rows (or rejects quarantined
 * ones), the rows are partitioned by the year/month/day keys it returns, converted to Snappy Parquet from the Glue
 * table's schema (or kept as GZIP JSON lines), and written SSE-KMS. Rejected records land under the error prefix.
 */
export class CtrDeliveryStream extends Construct {
  readonly deliveryStream: firehose.DeliveryStream;
  readonly transform: CtrFunction;
  readonly logGroup: logs.LogGroup;
  /** The one role Firehose assumes, for its buffer encryption and for the S3 destination alike. */
  readonly role: iam.Role;

  constructor(scope: Construct, id: string, props: CtrDeliveryStreamProps) {
    super(scope, id);
    const parquet = props.lakeFormat === 'parquet';

    this.transform = new CtrFunction(this, 'Transform', {
      ...props.functionSettings,
      handlerName: 'transform',
      description: 'Turns checker envelopes into lake rows with year/month/day partition keys',
      timeout: Duration.minutes(1),
      memorySize: 512,
      environment: transformEnvironment(props.pii),
    });
    // Read-only, on that one secret (and decryption with its key through Secrets Manager), only when the transform
    // pseudonymises: in keep and drop modes it has no access to the key at all.
    if (props.pii.mode === 'pseudonymise') grantSecretRead(props.pii.keySecret, this.transform.role);
    this.logGroup = new logs.LogGroup(this, 'DeliveryLogGroup', {
      retention: props.logRetention,
      removalPolicy: props.logRemovalPolicy,
    });

    this.role = new iam.Role(this, 'DeliveryRole', {
      assumedBy: new iam.ServicePrincipal('firehose.amazonaws.com'),
      description: 'Lets Firehose run the transform and write the lake',
    });

    // No deliveryStreamName: CloudFormation generates one. The checker gets it from its environment, the alarms and
    // dashboard by reference, the scripts from the DeliveryStreamName output.
    this.deliveryStream = new firehose.DeliveryStream(this, 'DeliveryStream', {
      role: this.role,
      encryption: firehose.StreamEncryption.customerManagedKey(props.encryptionKey),
      destination: new firehose.S3Bucket(props.lakeBucket, {
        role: this.role,
        dataOutputPrefix: LAKE_DATA_OUTPUT_PREFIX,
        errorOutputPrefix: LAKE_ERROR_OUTPUT_PREFIX,
        bufferingInterval: props.bufferInterval,
        bufferingSize: props.bufferSize,
        // Parquet compresses inside the file (Snappy, set on the output format): no object-level compression then.
        compression: parquet ? undefined : firehose.Compression.GZIP,
        encryptionKey: props.encryptionKey,
        loggingConfig: new firehose.EnableLogging(this.logGroup),
        processors: [
          new firehose.LambdaFunctionProcessor(this.transform.function, {
            // A row carries the raw CTR besides its columns, about twice the input: 1 MiB in stays well under
            // Lambda's 6 MB response limit.
            bufferSize: Size.mebibytes(1),
            bufferInterval: Duration.seconds(60),
            retries: 3,
          }),
        ],
        dynamicPartitioning: { enabled: true, retryDuration: Duration.minutes(5) },
        dataFormatConversion: parquet
          ? {
              schemaConfiguration: firehose.SchemaConfiguration.fromCfnTable(props.schemaTable),
              inputFormat: firehose.InputFormat.OPENX_JSON,
              outputFormat: new firehose.ParquetOutputFormat({ compression: firehose.ParquetCompression.SNAPPY }),
            }
          : undefined,
      }),
    });
    this.acknowledgeGrantWildcards(props, parquet);
    // CloudFormation validation warns on a stack-level mapping, so only the stack can acknowledge it.
    Validations.of(Stack.of(this)).acknowledge({
      id: 'CloudFormation-Validate::W7001',
      reason:
        'aws-cdk-lib declares the Firehose CIDR-block mapping with every delivery stream, for destinations in a ' +
        'VPC; the S3 destination here does not use it.',
    });
  }

  /** The wildcards in the grants the Firehose constructs make for themselves, each with what bounds it. */
  private acknowledgeGrantWildcards(props: CtrDeliveryStreamProps, parquet: boolean): void {
    acknowledgeWildcards(this.role, {
      actions: ['s3:Abort*', 's3:DeleteObject*', 's3:GetBucket*', 's3:GetObject*', 's3:List*'],
      resources: [props.lakeBucket.arnForObjects('*')],
      reason:
        'The Firehose S3 destination grants itself read/write on the lake bucket (multipart uploads, object ' +
        'writes, bucket location): limited to the lake bucket and its objects, whose keys Firehose generates.',
    });
    acknowledgeWildcards(this.role, {
      actions: KMS_DATA_KEY_ACTIONS,
      reason: 'Firehose encrypts its buffer and the lake objects with data keys of the lake key, and only that key.',
    });
    acknowledgeWildcards(this.role, {
      resources: [`${this.transform.function.functionArn}:*`],
      reason: 'The transform processor grant covers the transform function and its versions/aliases only.',
    });
    if (parquet) {
      acknowledgeWildcards(this.role, {
        resources: ['*'],
        reason:
          'Parquet conversion: CDK grants glue:GetSchemaVersion (read-only, Glue Schema Registry) on *; the ' +
          'table itself is read through glue:GetTable* on the ctr table ARN.',
      });
    }
  }
}

/** The transform's PII environment (lambda/transform/pii/pii-policy.ts). */
function transformEnvironment(pii: CtrDeliveryStreamProps['pii']): Record<string, string> {
  return {
    [PII_ENV.mode]: pii.mode,
    [PII_ENV.attributeKeys]: JSON.stringify(pii.attributeKeys),
    ...(pii.mode === 'pseudonymise'
      ? {
          [PII_ENV.keySecretId]: pii.keySecret.secretArn,
          // Besides telling the transform which version to expect, a new version changes the function's
          // configuration, so no warm container goes on with the previous key after the deploy.
          [PII_ENV.keyVersion]: String(pii.keyVersion),
        }
      : {}),
  };
}
