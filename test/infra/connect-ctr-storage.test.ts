import { Template } from 'aws-cdk-lib/assertions';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import * as kms from 'aws-cdk-lib/aws-kms';
import { parseConnectInstanceArn, type ConnectInstance } from '../../lib/config/connect-instance';
import { ConnectCtrStorage } from '../../lib/constructs/connect-ctr-storage';
import { newTestStack, onlyResource } from './support/infra-test-app';

const INSTANCE: ConnectInstance = parseConnectInstanceArn(
  'arn:aws:connect:eu-west-2:123456789012:instance/0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d',
)!;
const INSTANCE_ENV = { account: INSTANCE.account, region: INSTANCE.region };

describe('ConnectCtrStorage', () => {
  it("streams the instance's contact trace records to the stream: one InstanceStorageConfig", () => {
    const stack = newTestStack('Connected', INSTANCE_ENV);
    const stream = new kinesis.Stream(stack, 'Stream', { encryption: kinesis.StreamEncryption.MANAGED });

    new ConnectCtrStorage(stack, 'ConnectCtrStorage', { instance: INSTANCE, stream });

    expect(onlyResource(Template.fromStack(stack), 'AWS::Connect::InstanceStorageConfig').properties).toEqual({
      InstanceArn: INSTANCE.arn,
      ResourceType: 'CONTACT_TRACE_RECORDS',
      StorageType: 'KINESIS_STREAM',
      KinesisStreamConfig: { StreamArn: stack.resolve(stream.streamArn) },
    });
  });

  it.each([
    ['another region', { account: INSTANCE.account, region: 'us-east-1' }, /region us-east-1.*eu-west-2/],
    ['another account', { account: '210987654321', region: INSTANCE.region }, /account 210987654321.*123456789012/],
    ['an unknown account and region', undefined, /account and region are not known at synth/],
  ])('refuses a stack in %s: Connect streams only to a stream of its own account and region', (_case, env, why) => {
    const stack = newTestStack('Elsewhere', env);
    const stream = new kinesis.Stream(stack, 'Stream', { encryption: kinesis.StreamEncryption.MANAGED });

    expect(() => new ConnectCtrStorage(stack, 'ConnectCtrStorage', { instance: INSTANCE, stream })).toThrow(why);
  });

  it("refuses a stream encrypted with a customer managed key, which Connect's role could not write to", () => {
    const stack = newTestStack('CustomerKey', INSTANCE_ENV);
    const encryptionKey = new kms.Key(stack, 'Key', { enableKeyRotation: true });
    const stream = new kinesis.Stream(stack, 'Stream', { encryption: kinesis.StreamEncryption.KMS, encryptionKey });

    expect(() => new ConnectCtrStorage(stack, 'ConnectCtrStorage', { instance: INSTANCE, stream })).toThrow(
      /kms:GenerateDataKey/,
    );
  });
});
