import { Duration, type RemovalPolicy } from 'aws-cdk-lib';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import { Construct } from 'constructs';
import type { StreamCapacity } from '../config/ctr-lake-config';

export interface CtrStreamProps {
  readonly capacity: StreamCapacity;
  /** How long records stay replayable, from 24 hours to 365 days. */
  readonly retentionHours: number;
  /** RETAIN keeps records not yet delivered when the stack is deleted. */
  readonly removalPolicy: RemovalPolicy;
}

/**
 * The Kinesis data stream that Amazon Connect (or the emulator) writes CTRs to. Encrypted with the AWS managed
 * `aws/kinesis` key: a customer managed key would bill every producer and consumer call (cdk-nag AwsSolutions-KDS3).
 */
export class CtrStream extends Construct {
  readonly stream: kinesis.Stream;

  constructor(scope: Construct, id: string, props: CtrStreamProps) {
    super(scope, id);
    const capacity =
      props.capacity.mode === 'on-demand'
        ? { streamMode: kinesis.StreamMode.ON_DEMAND }
        : { streamMode: kinesis.StreamMode.PROVISIONED, shardCount: props.capacity.shardCount };
    // No streamName: CloudFormation generates one, so a stream retained by an earlier deployment of the same prefix
    // does not block this one. The emulator gets it from its environment, the scripts from the StreamName output.
    this.stream = new kinesis.Stream(this, 'Stream', {
      ...capacity,
      retentionPeriod: Duration.hours(props.retentionHours),
      encryption: kinesis.StreamEncryption.MANAGED,
      removalPolicy: props.removalPolicy,
    });
  }
}
