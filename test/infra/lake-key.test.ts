import { RemovalPolicy, type Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { LakeKey } from '../../lib/constructs/lake-key';
import { newTestStack, onlyResource } from './support/infra-test-app';

describe('LakeKey', () => {
  let stack: Stack;
  let template: Template;

  beforeAll(() => {
    stack = newTestStack();
    new LakeKey(stack, 'LakeKey', { aliasName: 'ctr-test' });
    template = Template.fromStack(stack);
  });

  it('is a symmetric key with yearly rotation, retained by default', () => {
    const key = onlyResource(template, 'AWS::KMS::Key');

    expect(key.properties.EnableKeyRotation).toBe(true);
    expect(key.properties.KeySpec).toBeUndefined();
    expect(key.deletionPolicy).toBe('Retain');
  });

  it('has an alias named after the stage', () => {
    template.hasResourceProperties('AWS::KMS::Alias', { AliasName: 'alias/ctr-test' });
  });

  it('lets CloudWatch alarms of this account encrypt messages to an encrypted topic, and nothing more', () => {
    template.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([
          {
            Sid: 'AllowCloudWatchAlarmsToPublishToEncryptedTopics',
            Effect: 'Allow',
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
            Resource: '*',
            Condition: { StringEquals: { 'aws:SourceAccount': stack.resolve(stack.account) } },
          },
        ]),
      },
    });
  });

  it('is deleted with the stack when asked to', () => {
    const devStack = newTestStack('DevStack');
    new LakeKey(devStack, 'LakeKey', { aliasName: 'ctr-dev', removalPolicy: RemovalPolicy.DESTROY });

    expect(onlyResource(Template.fromStack(devStack), 'AWS::KMS::Key').deletionPolicy).toBe('Delete');
  });
});
