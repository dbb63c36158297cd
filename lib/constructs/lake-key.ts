import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';

export interface LakeKeyProps {
  /** Alias name without the `alias/` prefix, e.g. the stage prefix. */
  readonly aliasName: string;
  /** @default RemovalPolicy.RETAIN */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * The customer managed KMS key of the lake: lake and Athena results objects, the dedup table, Firehose's buffer,
 * the checker's failure queue and the alarm topic. Rotated yearly. Principals get to use it through grants on the
 * resources it protects; the key policy only adds what IAM cannot express.
 */
export class LakeKey extends Construct {
  readonly key: kms.Key;

  constructor(scope: Construct, id: string, props: LakeKeyProps) {
    super(scope, id);
    this.key = new kms.Key(this, 'Key', {
      description: `ctr-lake ${props.aliasName}: contact trace records at rest`,
      enableKeyRotation: true,
      alias: `alias/${props.aliasName}`,
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
    });
    // CloudWatch alarms publish to the encrypted alarm topic as the CloudWatch service, which has no IAM role in the
    // account to grant to: only the key policy can let it encrypt the messages. Only for alarms of this account, so
    // no other account's alarms can make CloudWatch use the key (confused deputy).
    this.key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowCloudWatchAlarmsToPublishToEncryptedTopics',
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
      }),
    );
  }
}
