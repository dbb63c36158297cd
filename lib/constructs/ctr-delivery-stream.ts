import { ArnFormat, Duration, type RemovalPolicy, Size, Stack, Validations } from 'aws-cdk-lib';
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
import { acknowledgeWildcards } from '../nag/acknowledge-wildcards';
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

/** The id under which aws-cdk-lib's Firehose S3 destination adds its log stream to the log group it is given. */
const S3_DESTINATION_LOG_STREAM_ID = 'S3Destination';

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
  /**
   * First year of the `ctr` table's partition projection: the transform quarantines rows partitioned before it (or
   * after the current year), which Athena would never read.
   */
  readonly projectionStartYear: number;
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
      environment: { PROJECTION_START_YEAR: String(props.projectionStartYear), ...transformEnvironment(props.pii) },
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
    // The Firehose constructs grant their role far more than Firehose uses (s3:DeleteObject* on the versioned lake,
    // glue:GetSchemaVersion on *, the key's every data-key action): they get a copy of the role that ignores grants,
    // and the role holds only the statements below (grantDocumentedPermissions).
    const roleForConstructs = this.role.withoutPolicyUpdates();

    // No deliveryStreamName: CloudFormation generates one. The checker gets it from its environment, the alarms and
    // dashboard by reference, the scripts from the DeliveryStreamName output.
    this.deliveryStream = new firehose.DeliveryStream(this, 'DeliveryStream', {
      role: roleForConstructs,
      encryption: firehose.StreamEncryption.customerManagedKey(props.encryptionKey),
      destination: new firehose.S3Bucket(props.lakeBucket, {
        role: roleForConstructs,
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
              // Case-sensitive: by default the SerDe lowercases every JSON key, so contact attribute names in the
              // attributes map would lose their case in AWS (the columns are lowercase already).
              inputFormat: new firehose.OpenXJsonInputFormat({ lowercaseColumnNames: false }),
              outputFormat: new firehose.ParquetOutputFormat({ compression: firehose.ParquetCompression.SNAPPY }),
            }
          : undefined,
      }),
    });
    this.grantDocumentedPermissions(props, parquet);
    // Firehose checks its role when the stream is created: the statements must exist by then.
    this.deliveryStream.node.addDependency(this.role);
    // CloudFormation validation warns on a stack-level mapping, so only the stack can acknowledge it.
    Validations.of(Stack.of(this)).acknowledge({
      id: 'CloudFormation-Validate::W7001',
      reason:
        'aws-cdk-lib declares the Firehose CIDR-block mapping with every delivery stream, for destinations in a ' +
        'VPC; the S3 destination here does not use it.',
    });
  }

  /**
   * What Firehose documents a Direct PUT stream to S3 needs ("Grant Firehose access to an Amazon S3 destination"),
   * for this stream's features only: the bucket and the objects under the two prefixes it writes (no delete: the lake
   * is versioned and Firehose never deletes), the lake key through S3 only, the transform, its own log stream, and
   * the Glue table whose schema Parquet conversion reads (no Schema Registry: the schema is the table). The buffer's
   * server-side encryption needs nothing here: Firehose uses the key through a grant it creates itself.
   */
  private grantDocumentedPermissions(props: CtrDeliveryStreamProps, parquet: boolean): void {
    const stack = Stack.of(this);
    const bucket = props.lakeBucket;
    const objectPrefixes = [LAKE_DATA_PREFIX, LAKE_ERROR_PREFIX].map((prefix) => bucket.arnForObjects(`${prefix}*`));
    const statements = [
      new iam.PolicyStatement({
        sid: 'LakeBucket',
        actions: ['s3:GetBucketLocation', 's3:ListBucket', 's3:ListBucketMultipartUploads'],
        resources: [bucket.bucketArn],
      }),
      new iam.PolicyStatement({
        sid: 'LakeObjects',
        actions: ['s3:AbortMultipartUpload', 's3:GetObject', 's3:PutObject'],
        resources: objectPrefixes,
      }),
      new iam.PolicyStatement({
        sid: 'LakeObjectEncryption',
        actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
        resources: [props.encryptionKey.keyArn],
        conditions: {
          StringEquals: { 'kms:ViaService': `s3.${stack.region}.amazonaws.com` },
          // The bucket's ARN when S3 Bucket Keys are on (the lake's), an object's otherwise.
          StringLike: { 'kms:EncryptionContext:aws:s3:arn': [bucket.bucketArn, bucket.arnForObjects('*')] },
        },
      }),
      new iam.PolicyStatement({
        sid: 'Transform',
        actions: ['lambda:InvokeFunction', 'lambda:GetFunctionConfiguration'],
        resources: [this.transform.function.functionArn],
      }),
      new iam.PolicyStatement({
        sid: 'DeliveryLog',
        actions: ['logs:PutLogEvents'],
        resources: [
          stack.formatArn({
            service: 'logs',
            resource: 'log-group',
            resourceName: `${this.logGroup.logGroupName}:log-stream:${this.deliveryLogStream().logStreamName}`,
            arnFormat: ArnFormat.COLON_RESOURCE_NAME,
          }),
        ],
      }),
    ];
    if (parquet) {
      const table = props.schemaTable;
      statements.push(
        new iam.PolicyStatement({
          sid: 'SchemaTable',
          actions: ['glue:GetTable', 'glue:GetTableVersion', 'glue:GetTableVersions'],
          resources: [
            stack.formatArn({ service: 'glue', resource: 'catalog' }),
            stack.formatArn({ service: 'glue', resource: 'database', resourceName: table.databaseName }),
            stack.formatArn({ service: 'glue', resource: 'table', resourceName: `${table.databaseName}/${table.ref}` }),
          ],
        }),
      );
    }
    for (const statement of statements) this.role.addToPrincipalPolicy(statement);
    acknowledgeWildcards(this.role, {
      resources: objectPrefixes,
      reason:
        'Firehose writes objects whose keys it generates under the ctr/ and errors/ prefixes of the lake bucket ' +
        '(put, read back for multipart uploads, abort): limited to those two prefixes, with no delete.',
    });
  }

  /** The log stream the S3 destination created in the delivery log group for its errors. */
  private deliveryLogStream(): logs.LogStream {
    const stream = this.logGroup.node.tryFindChild(S3_DESTINATION_LOG_STREAM_ID);
    if (!(stream instanceof logs.LogStream)) {
      throw new Error(
        `${this.node.path}: the Firehose S3 destination created no log stream "${S3_DESTINATION_LOG_STREAM_ID}" ` +
          'in the delivery log group; the role could not be granted to write it',
      );
    }
    return stream;
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
