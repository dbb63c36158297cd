import { Stack, Token } from 'aws-cdk-lib';
import * as connect from 'aws-cdk-lib/aws-connect';
import type * as kinesis from 'aws-cdk-lib/aws-kinesis';
import { Construct } from 'constructs';
import type { ConnectInstance } from '../config/connect-instance';

export interface ConnectCtrStorageProps {
  /** The Amazon Connect instance, in the stack's account and region. */
  readonly instance: ConnectInstance;
  /**
   * The stream the instance puts its CTRs on. Encrypted with the AWS managed `aws/kinesis` key (or not at all):
   * Connect writes with its service-linked role, which a customer managed key would have to grant kms:GenerateDataKey.
   */
  readonly stream: kinesis.IStream;
}

/**
 * Points an existing Amazon Connect instance's contact trace records at the stream: an `InstanceStorageConfig` of
 * type CONTACT_TRACE_RECORDS / KINESIS_STREAM, so CTRs flow in with no console step. Connect adds the permission to
 * put records on the stream to the instance's service-linked role itself when the association is made.
 *
 * An instance holds one CTR storage config: if it already streams CTRs elsewhere, creating this fails, and
 * `npm run connect` moves the existing association instead.
 */
export class ConnectCtrStorage extends Construct {
  readonly storageConfig: connect.CfnInstanceStorageConfig;

  constructor(scope: Construct, id: string, props: ConnectCtrStorageProps) {
    super(scope, id);
    const { instance, stream } = props;
    this.checkSameEnvironment(instance);
    if (stream.encryptionKey !== undefined) {
      throw new Error(
        `${this.node.path}: the stream is encrypted with a customer managed KMS key; Connect's service-linked role ` +
          'would need kms:GenerateDataKey on it. Keep the AWS managed aws/kinesis key (as CtrStream does)',
      );
    }
    this.storageConfig = new connect.CfnInstanceStorageConfig(this, 'Resource', {
      instanceArn: instance.arn,
      resourceType: 'CONTACT_TRACE_RECORDS',
      storageType: 'KINESIS_STREAM',
      kinesisStreamConfig: { streamArn: stream.streamArn },
    });
  }

  /** Connect streams CTRs only to a Kinesis stream of its own account and region. */
  private checkSameEnvironment(instance: ConnectInstance): void {
    const stack = Stack.of(this);
    if (Token.isUnresolved(stack.account) || Token.isUnresolved(stack.region)) {
      throw new Error(
        `${this.node.path}: the stack's account and region are not known at synth; give it env ` +
          `{ account: '${instance.account}', region: '${instance.region}' }, those of Connect instance ${instance.arn}`,
      );
    }
    const mismatches = [
      ['account', stack.account, instance.account],
      ['region', stack.region, instance.region],
      ['partition', stack.partition, instance.partition],
    ].filter(([, ofStack, ofInstance]) => !Token.isUnresolved(ofStack) && ofStack !== ofInstance);
    if (mismatches.length > 0) {
      throw new Error(
        `${this.node.path}: Connect instance ${instance.arn} can only stream to a stream of its own account and ` +
          `region, but the stack is in ${mismatches.map(([what, ofStack, ofInstance]) => `${what} ${ofStack} (the instance's: ${ofInstance})`).join(', ')}`,
      );
    }
  }
}
