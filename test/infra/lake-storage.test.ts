import type { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import type * as kms from 'aws-cdk-lib/aws-kms';
import { LakeStorage } from '../../lib/constructs/lake-storage';
import { newTestKey, newTestStack, testConfig } from './support/infra-test-app';

type Bucket = { Properties: Record<string, unknown>; DeletionPolicy?: string };

describe('LakeStorage', () => {
  let stack: Stack;
  let key: kms.Key;
  let storage: LakeStorage;
  let template: Template;
  let buckets: Record<string, Bucket>;

  function bucket(resolvedRef: unknown): Bucket {
    const id = (resolvedRef as { Ref: string }).Ref;
    const found = buckets[id];
    if (!found) throw new Error(`no bucket ${id}`);
    return found;
  }

  beforeAll(() => {
    stack = newTestStack();
    key = newTestKey(stack);
    storage = new LakeStorage(stack, 'LakeStorage', {
      encryptionKey: key,
      lifecycle: testConfig({ 'ctrLake:deepArchiveDays': 1500, 'ctrLake:accessLogsExpirationDays': 90 }).lifecycle,
      removalMode: 'retain',
    });
    template = Template.fromStack(stack);
    buckets = template.findResources('AWS::S3::Bucket') as Record<string, Bucket>;
  });

  it('declares three buckets, all blocking public access and retained', () => {
    expect(Object.keys(buckets)).toHaveLength(3);
    for (const found of Object.values(buckets)) {
      expect(found.Properties.PublicAccessBlockConfiguration).toEqual({
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      });
      expect(found.DeletionPolicy).toBe('Retain');
    }
  });

  it('refuses plain HTTP and TLS below 1.2 on every bucket', () => {
    for (const bucketRef of [storage.lakeBucket, storage.athenaResultsBucket, storage.accessLogsBucket]) {
      template.hasResourceProperties('AWS::S3::BucketPolicy', {
        Bucket: stack.resolve(bucketRef.bucketName),
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
            Match.objectLike({ Effect: 'Deny', Condition: { NumericLessThan: { 's3:TlsVersion': 1.2 } } }),
          ]),
        },
      });
    }
  });

  it('encrypts the lake with the lake key, versions it and logs access to the logs bucket', () => {
    const lake = bucket(stack.resolve(storage.lakeBucket.bucketName));

    expect(lake.Properties.BucketEncryption).toEqual({
      ServerSideEncryptionConfiguration: [
        {
          BucketKeyEnabled: true,
          ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: stack.resolve(key.keyArn) },
        },
      ],
    });
    expect(lake.Properties.VersioningConfiguration).toEqual({ Status: 'Enabled' });
    expect(lake.Properties.LoggingConfiguration).toEqual({
      DestinationBucketName: stack.resolve(storage.accessLogsBucket.bucketName),
      LogFilePrefix: 'lake/',
    });
  });

  it('tiers lake objects to Intelligent-Tiering, Glacier Instant Retrieval, then Deep Archive, and expires old versions', () => {
    const lake = bucket(stack.resolve(storage.lakeBucket.bucketName));

    // Whole: no TransitionDefaultMinimumObjectSize and no size filter, so S3's default holds (objects under 128 KB
    // are never transitioned), which npm run cost's storage model (lib/cost/monthly-cost.ts) relies on.
    expect(lake.Properties.LifecycleConfiguration).toEqual({
      Rules: [
        {
          Id: 'TierLakeObjects',
          Status: 'Enabled',
          Transitions: [
            { StorageClass: 'INTELLIGENT_TIERING', TransitionInDays: 30 },
            { StorageClass: 'GLACIER_IR', TransitionInDays: 365 },
            { StorageClass: 'DEEP_ARCHIVE', TransitionInDays: 1500 },
          ],
        },
        {
          Id: 'ExpireNoncurrentVersions',
          Status: 'Enabled',
          NoncurrentVersionExpiration: { NoncurrentDays: 30 },
          ExpiredObjectDeleteMarker: true,
          AbortIncompleteMultipartUpload: { DaysAfterInitiation: 7 },
        },
      ],
    });
  });

  it('keeps Athena results encrypted, logged and only for a short time', () => {
    const results = bucket(stack.resolve(storage.athenaResultsBucket.bucketName));

    expect(results.Properties.BucketEncryption).toMatchObject({
      ServerSideEncryptionConfiguration: [
        { ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: stack.resolve(key.keyArn) } },
      ],
    });
    expect(results.Properties.VersioningConfiguration).toBeUndefined();
    expect(results.Properties.LoggingConfiguration).toEqual({
      DestinationBucketName: stack.resolve(storage.accessLogsBucket.bucketName),
      LogFilePrefix: 'athena-results/',
    });
    expect(results.Properties.LifecycleConfiguration).toEqual({
      Rules: [
        {
          Id: 'ExpireQueryResults',
          Status: 'Enabled',
          ExpirationInDays: 30,
          AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 },
        },
      ],
    });
  });

  it('stores access logs with S3-managed encryption (the only kind log delivery supports), owner-enforced, expiring', () => {
    const logsBucket = bucket(stack.resolve(storage.accessLogsBucket.bucketName));

    expect(logsBucket.Properties.BucketEncryption).toEqual({
      ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
    });
    expect(logsBucket.Properties.OwnershipControls).toEqual({ Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] });
    expect(logsBucket.Properties.LoggingConfiguration).toBeUndefined();
    expect(logsBucket.Properties.LifecycleConfiguration).toEqual({
      Rules: [
        {
          Id: 'ExpireAccessLogs',
          Status: 'Enabled',
          ExpirationInDays: 90,
          AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 },
        },
      ],
    });
  });

  it('lets S3 log delivery write to the logs bucket through its bucket policy, not ACLs', () => {
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: stack.resolve(storage.accessLogsBucket.bucketName),
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Allow',
            Principal: { Service: 'logging.s3.amazonaws.com' },
            Action: 's3:PutObject',
          }),
        ]),
      },
    });
  });

  it('deletes buckets and their objects with the stack in destroy mode', () => {
    const devStack = newTestStack('DevStack');
    new LakeStorage(devStack, 'LakeStorage', {
      encryptionKey: newTestKey(devStack),
      lifecycle: testConfig().lifecycle,
      removalMode: 'destroy',
    });
    const devTemplate = Template.fromStack(devStack);
    const devBuckets = Object.values(devTemplate.findResources('AWS::S3::Bucket') as Record<string, Bucket>);

    expect(devBuckets.map((found) => found.DeletionPolicy)).toEqual(['Delete', 'Delete', 'Delete']);
    devTemplate.resourceCountIs('Custom::S3AutoDeleteObjects', 3);
  });
});
