import { RemovalPolicy } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import type { StreamCapacity } from '../../lib/config/ctr-lake-config';
import { CtrStream } from '../../lib/constructs/ctr-stream';
import { newTestStack, onlyResource } from './support/infra-test-app';

function streamTemplate(capacity: StreamCapacity, retentionHours = 24, removalPolicy = RemovalPolicy.RETAIN): Template {
  const stack = newTestStack();
  new CtrStream(stack, 'CtrStream', { capacity, retentionHours, removalPolicy });
  return Template.fromStack(stack);
}

describe('CtrStream', () => {
  it('is an on-demand stream with the given retention and a generated name, without a shard count', () => {
    const template = streamTemplate({ mode: 'on-demand' }, 48);

    template.hasResourceProperties('AWS::Kinesis::Stream', {
      Name: Match.absent(),
      StreamModeDetails: { StreamMode: 'ON_DEMAND' },
      RetentionPeriodHours: 48,
      ShardCount: Match.absent(),
    });
  });

  it('is a provisioned stream with the configured shard count', () => {
    const template = streamTemplate({ mode: 'provisioned', shardCount: 3 });

    template.hasResourceProperties('AWS::Kinesis::Stream', {
      StreamModeDetails: { StreamMode: 'PROVISIONED' },
      ShardCount: 3,
    });
  });

  it('is encrypted with the AWS managed Kinesis key', () => {
    const template = streamTemplate({ mode: 'on-demand' });

    template.hasResourceProperties('AWS::Kinesis::Stream', {
      StreamEncryption: { EncryptionType: 'KMS', KeyId: 'alias/aws/kinesis' },
    });
  });

  it('follows the removal policy it is given', () => {
    expect(onlyResource(streamTemplate({ mode: 'on-demand' }), 'AWS::Kinesis::Stream').deletionPolicy).toBe('Retain');
    expect(
      onlyResource(streamTemplate({ mode: 'on-demand' }, 24, RemovalPolicy.DESTROY), 'AWS::Kinesis::Stream')
        .deletionPolicy,
    ).toBe('Delete');
  });
});
