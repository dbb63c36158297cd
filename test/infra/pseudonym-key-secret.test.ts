import { RemovalPolicy } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { grantSecretRead, PseudonymKeySecret } from '../../lib/constructs/pseudonym-key-secret';
import { newTestKey, newTestStack, onlyResource, statementsOfRole } from './support/infra-test-app';

function secretOf(keyVersion: number, removalPolicy?: RemovalPolicy) {
  const stack = newTestStack();
  const key = newTestKey(stack);
  const construct = new PseudonymKeySecret(stack, 'PseudonymKey', {
    encryptionKey: key,
    keyVersion,
    ...(removalPolicy ? { removalPolicy } : {}),
  });
  const template = Template.fromStack(stack);
  return { stack, key, construct, template, secret: onlyResource(template, 'AWS::SecretsManager::Secret') };
}

describe('PseudonymKeySecret', () => {
  it('has Secrets Manager generate a 64-character key at deploy time, stored with its version', () => {
    const { secret } = secretOf(1);

    expect(secret.properties.SecretString).toBeUndefined();
    expect(secret.properties.GenerateSecretString).toEqual({
      SecretStringTemplate: '{"version":1}',
      GenerateStringKey: 'key',
      PasswordLength: 64,
      ExcludePunctuation: true,
      IncludeSpace: false,
    });
  });

  it('is encrypted with the lake key and retained by default', () => {
    const { secret, stack, key } = secretOf(1);

    expect(secret.properties.KmsKeyId).toEqual(stack.resolve(key.keyArn));
    expect(secret.deletionPolicy).toBe('Retain');
  });

  it('is deleted with the stack when asked to', () => {
    expect(secretOf(1, RemovalPolicy.DESTROY).secret.deletionPolicy).toBe('Delete');
  });

  it('changes its generation template with the key version: CloudFormation then generates a new key', () => {
    const [first, second] = [secretOf(1), secretOf(2)];

    expect(second.secret.properties.GenerateSecretString).toEqual({
      ...(first.secret.properties.GenerateSecretString as object),
      SecretStringTemplate: '{"version":2}',
    });
  });

  it('has no rotation schedule (deliberate, see the cdk-nag acknowledgment) and no resource policy', () => {
    const { template } = secretOf(1);

    template.resourceCountIs('AWS::SecretsManager::RotationSchedule', 0);
    template.resourceCountIs('AWS::SecretsManager::ResourcePolicy', 0);
  });

  it('refuses a key version that is not a whole number from 1', () => {
    const stack = newTestStack();
    const key = newTestKey(stack);

    expect(() => new PseudonymKeySecret(stack, 'Zero', { encryptionKey: key, keyVersion: 0 })).toThrow(
      'PseudonymKeySecret: keyVersion must be a whole number from 1, received 0',
    );
  });

  it('grantSecretRead gives a role the read actions on that secret and decryption through Secrets Manager only', () => {
    const stack = newTestStack();
    const key = newTestKey(stack);
    const { secret } = new PseudonymKeySecret(stack, 'PseudonymKey', { encryptionKey: key, keyVersion: 1 });
    const role = new iam.Role(stack, 'Reader', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });

    grantSecretRead(secret, role);
    const template = Template.fromStack(stack);

    expect(statementsOfRole(template, stack.resolve(role.roleName))).toEqual([
      {
        Effect: 'Allow',
        Action: ['secretsmanager:DescribeSecret', 'secretsmanager:GetSecretValue'],
        Resource: stack.resolve(secret.secretArn),
      },
      {
        Effect: 'Allow',
        Action: 'kms:Decrypt',
        Resource: stack.resolve(key.keyArn),
        Condition: {
          StringEquals: { 'kms:ViaService': stack.resolve(`secretsmanager.${stack.region}.amazonaws.com`) },
        },
      },
    ]);
    // Nothing in the key's policy: a key policy naming the role would tie the stateful stack to the stateless one.
    const keyPolicy = onlyResource(template, 'AWS::KMS::Key').properties.KeyPolicy;
    expect(JSON.stringify(keyPolicy)).not.toContain(stack.getLogicalId(role.node.defaultChild as iam.CfnRole));
  });
});
