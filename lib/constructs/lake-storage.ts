import { Duration, Validations } from 'aws-cdk-lib';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { COMPACTION_PREFIX } from '../../lambda/compaction/compaction-names';
import { type LifecycleConfig, type RemovalMode, removalPolicyFor } from '../config/ctr-lake-config';

export interface LakeStorageProps {
  /** Encrypts the lake and the Athena results (SSE-KMS with S3 Bucket Keys, so KMS is called per object, not per request). */
  readonly encryptionKey: kms.IKey;
  readonly lifecycle: LifecycleConfig;
  /** `destroy` deletes the buckets and their objects with the stack (dev stages only). */
  readonly removalMode: RemovalMode;
}

/**
 * The three buckets of the lake: the lake itself (CTR rows and Firehose error records), the Athena results, and the
 * server access logs of both. All block public access, refuse plain HTTP and TLS below 1.2.
 */
export class LakeStorage extends Construct {
  readonly lakeBucket: s3.Bucket;
  readonly athenaResultsBucket: s3.Bucket;
  readonly accessLogsBucket: s3.Bucket;

  constructor(scope: Construct, id: string, props: LakeStorageProps) {
    super(scope, id);
    const { lifecycle } = props;
    const removal = removalOptions(props.removalMode);

    this.accessLogsBucket = new s3.Bucket(this, 'AccessLogsBucket', {
      ...SECURE_BUCKET,
      ...removal,
      // S3 server access logging cannot deliver to a bucket encrypted with a customer managed key.
      encryption: s3.BucketEncryption.S3_MANAGED,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      lifecycleRules: [
        {
          id: 'ExpireAccessLogs',
          expiration: Duration.days(lifecycle.accessLogsExpirationDays),
          abortIncompleteMultipartUploadAfter: Duration.days(1),
        },
      ],
    });
    Validations.of(this.accessLogsBucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason: 'This is the server access log bucket of the lake: logging its own writes would log forever.',
    });

    this.lakeBucket = new s3.Bucket(this, 'LakeBucket', {
      ...SECURE_BUCKET,
      ...removal,
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: props.encryptionKey,
      bucketKeyEnabled: true,
      versioned: true,
      serverAccessLogsBucket: this.accessLogsBucket,
      serverAccessLogsPrefix: 'lake/',
      lifecycleRules: [
        {
          id: 'TierLakeObjects',
          transitions: [
            {
              storageClass: s3.StorageClass.INTELLIGENT_TIERING,
              transitionAfter: Duration.days(lifecycle.intelligentTieringDays),
            },
            // Glacier Instant Retrieval is still read by Athena with millisecond access.
            {
              storageClass: s3.StorageClass.GLACIER_INSTANT_RETRIEVAL,
              transitionAfter: Duration.days(lifecycle.glacierIrDays),
            },
            // Deep Archive objects need a restore before any read: Athena skips them, so rows older than this age
            // drop out of query results (see docs/CONFIG.md).
            {
              storageClass: s3.StorageClass.DEEP_ARCHIVE,
              transitionAfter: Duration.days(lifecycle.deepArchiveDays),
            },
          ],
        },
        // The compaction job's manifests and staged copies are scratch: once replaced or deleted, nothing needs
        // them, so their old versions go after a day instead of the lake's noncurrent-version period. The lake's
        // own rows (ctr/), including the originals a compaction deletes, keep that period (ExpireNoncurrentVersions).
        {
          id: 'ExpireCompactionScratch',
          prefix: COMPACTION_PREFIX,
          noncurrentVersionExpiration: Duration.days(1),
          expiredObjectDeleteMarker: true,
          abortIncompleteMultipartUploadAfter: Duration.days(1),
        },
        {
          id: 'ExpireNoncurrentVersions',
          noncurrentVersionExpiration: Duration.days(lifecycle.noncurrentVersionExpirationDays),
          expiredObjectDeleteMarker: true,
          abortIncompleteMultipartUploadAfter: Duration.days(7),
        },
      ],
    });

    this.athenaResultsBucket = new s3.Bucket(this, 'AthenaResultsBucket', {
      ...SECURE_BUCKET,
      ...removal,
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: props.encryptionKey,
      bucketKeyEnabled: true,
      serverAccessLogsBucket: this.accessLogsBucket,
      serverAccessLogsPrefix: 'athena-results/',
      lifecycleRules: [
        {
          id: 'ExpireQueryResults',
          expiration: Duration.days(lifecycle.athenaResultsExpirationDays),
          abortIncompleteMultipartUploadAfter: Duration.days(1),
        },
      ],
    });
  }
}

const SECURE_BUCKET = {
  blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
  enforceSSL: true,
  minimumTLSVersion: 1.2,
} as const satisfies s3.BucketProps;

function removalOptions(mode: RemovalMode): Pick<s3.BucketProps, 'removalPolicy' | 'autoDeleteObjects'> {
  return { removalPolicy: removalPolicyFor(mode), autoDeleteObjects: mode === 'destroy' };
}
