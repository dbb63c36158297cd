import type { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type * as kms from 'aws-cdk-lib/aws-kms';
import { DEDUP_PARTITION_KEY, DEDUP_TTL_ATTRIBUTE, DedupTable } from '../../lib/constructs/dedup-table';
import { newTestKey, newTestStack, onlyResource } from './support/infra-test-app';

describe('DedupTable', () => {
  let stack: Stack;
  let key: kms.Key;
  let template: Template;

  beforeAll(() => {
    stack = newTestStack();
    key = newTestKey(stack);
    new DedupTable(stack, 'DedupTable', { encryptionKey: key, removalMode: 'retain' });
    template = Template.fromStack(stack);
  });

  it('is keyed by the fingerprint alone, as the checker claims it', () => {
    expect(DEDUP_PARTITION_KEY).toBe('fingerprint');
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [{ AttributeName: 'fingerprint', KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: 'fingerprint', AttributeType: 'S' }],
    });
  });

  it('bills per request', () => {
    template.hasResourceProperties('AWS::DynamoDB::Table', { BillingMode: 'PAY_PER_REQUEST' });
  });

  it('expires claims through TTL on expiresAt', () => {
    expect(DEDUP_TTL_ATTRIBUTE).toBe('expiresAt');
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
    });
  });

  it('is encrypted with the given key and recoverable to any point in time', () => {
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      SSESpecification: { SSEEnabled: true, SSEType: 'KMS', KMSMasterKeyId: stack.resolve(key.keyArn) },
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
    });
  });

  it('is retained and protected from deletion in retain mode', () => {
    const table = onlyResource(template, 'AWS::DynamoDB::Table');

    expect(table.deletionPolicy).toBe('Retain');
    expect(table.properties.DeletionProtectionEnabled).toBe(true);
  });

  it('is deleted with the stack in destroy mode', () => {
    const devStack = newTestStack('DevStack');
    new DedupTable(devStack, 'DedupTable', { encryptionKey: newTestKey(devStack), removalMode: 'destroy' });
    const table = onlyResource(Template.fromStack(devStack), 'AWS::DynamoDB::Table');

    expect(table.deletionPolicy).toBe('Delete');
    expect(table.properties.DeletionProtectionEnabled).toBe(false);
  });
});
