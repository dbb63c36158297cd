import { Names, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elasticache from 'aws-cdk-lib/aws-elasticache';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { type RemovalMode, removalPolicyFor } from '../config/ctr-lake-config';

/** The port of an ElastiCache Serverless cache's primary endpoint (TLS only). */
export const VALKEY_PORT = 6379;
/** Valkey's major version: IAM authentication needs 7.2 or later. */
export const VALKEY_MAJOR_VERSION = '8';
/**
 * What the checker's user may do: only the scripting commands its adapter runs (EVALSHA, falling back to EVAL and
 * SCRIPT LOAD) and PING, on the dedup keys only, plus CLUSTER SLOTS, which the cluster client (ioredis `Cluster`)
 * sends on every connection to learn the slot map (without it: NOPERM, "Failed to refresh slots cache", no
 * connection). Anything else (FLUSHALL, KEYS, CONFIG) is refused by the cache.
 */
export const CHECKER_ACCESS_STRING = 'on ~ctr-dedup:* -@all +evalsha +eval +script|load +ping +cluster|slots';

/** What the checker needs of a Valkey dedup store. */
export interface IValkeyDedupStore {
  readonly vpc: ec2.IVpc;
  /** The security group the checker runs in. */
  readonly clientSecurityGroup: ec2.ISecurityGroup;
  /** The cache's primary endpoint host name. */
  readonly endpointAddress: string;
  /** The cache's name: the host an IAM authentication token is signed for. */
  readonly cacheName: string;
  /** The cache user the checker connects as. */
  readonly userId: string;
  grantConnect(grantee: iam.IGrantable): iam.Grant;
}

export interface ValkeyDedupCacheProps {
  /** Encrypts the cache's data at rest. */
  readonly encryptionKey: kms.IKey;
  /** What happens to the flow-log group when the stack is deleted (the cache itself always goes: see below). */
  readonly removalMode: RemovalMode;
  /** Retention of the VPC flow logs. */
  readonly flowLogRetention: logs.RetentionDays;
}

/**
 * The alternative dedup store: an ElastiCache Serverless cache for Valkey, in a VPC of its own with isolated
 * private subnets in two Availability Zones and no NAT (nothing in it reaches the internet), TLS always on (Serverless
 * has no plain-text endpoint), encrypted with the lake key, and reachable only from the security group this
 * construct hands to the checker. The checker authenticates with IAM (a SigV4 token made in the function, see
 * docs/CONFIG.md): no password exists to store or rotate. Its only other call, Firehose PutRecordBatch, goes through
 * an interface endpoint in the same VPC; the event source mapping reads Kinesis and writes the on-failure queue from
 * outside the function, and logs and EMF metrics leave through the Lambda service, so no other endpoint is needed.
 */
export class ValkeyDedupCache extends Construct implements IValkeyDedupStore {
  readonly vpc: ec2.Vpc;
  /** The security group the checker's function runs in: it may reach the cache and the Firehose endpoint only. */
  readonly clientSecurityGroup: ec2.SecurityGroup;
  readonly cacheSecurityGroup: ec2.SecurityGroup;
  readonly cache: elasticache.CfnServerlessCache;
  /** The cache user the checker connects as (user name = user id, as IAM authentication requires). */
  readonly userId: string;
  readonly firehoseEndpoint: ec2.InterfaceVpcEndpoint;

  constructor(scope: Construct, id: string, props: ValkeyDedupCacheProps) {
    super(scope, id);
    const removalPolicy = removalPolicyFor(props.removalMode);

    this.vpc = new ec2.Vpc(this, 'Vpc', {
      maxAzs: 2,
      natGateways: 0,
      subnetConfiguration: [{ name: 'isolated', subnetType: ec2.SubnetType.PRIVATE_ISOLATED, cidrMask: 24 }],
      restrictDefaultSecurityGroup: true,
      flowLogs: {
        All: {
          destination: ec2.FlowLogDestination.toCloudWatchLogs(
            new logs.LogGroup(this, 'FlowLogs', { retention: props.flowLogRetention, removalPolicy }),
          ),
          trafficType: ec2.FlowLogTrafficType.ALL,
        },
      },
    });

    this.clientSecurityGroup = new ec2.SecurityGroup(this, 'CheckerSecurityGroup', {
      vpc: this.vpc,
      description: 'ctr-lake checker: reaches the Valkey cache and the Firehose endpoint only',
      allowAllOutbound: false,
    });
    this.cacheSecurityGroup = new ec2.SecurityGroup(this, 'CacheSecurityGroup', {
      vpc: this.vpc,
      description: 'ctr-lake Valkey dedup cache: reachable from the checker only',
      allowAllOutbound: false,
    });
    this.cacheSecurityGroup.connections.allowFrom(
      this.clientSecurityGroup,
      ec2.Port.tcp(VALKEY_PORT),
      'checker to Valkey (TLS)',
    );

    const endpointSecurityGroup = new ec2.SecurityGroup(this, 'FirehoseEndpointSecurityGroup', {
      vpc: this.vpc,
      description: 'ctr-lake Firehose interface endpoint: reachable from the checker only',
      allowAllOutbound: false,
    });
    this.firehoseEndpoint = this.vpc.addInterfaceEndpoint('FirehoseEndpoint', {
      service: ec2.InterfaceVpcEndpointAwsService.KINESIS_FIREHOSE,
      privateDnsEnabled: true,
      open: false,
      securityGroups: [endpointSecurityGroup],
    });
    endpointSecurityGroup.connections.allowFrom(this.clientSecurityGroup, ec2.Port.tcp(443), 'checker to Firehose');

    // User ids are unique per account and region, so they are made from this construct's path, not fixed.
    const idBase = Names.uniqueResourceName(this, { maxLength: 30, separator: '-' }).toLowerCase();
    this.userId = `${idBase}-checker`;
    // A user group must hold a user named "default"; this one is switched off and can do nothing.
    const defaultUser = new elasticache.CfnUser(this, 'DefaultUser', {
      engine: 'valkey',
      userId: `${idBase}-default`,
      userName: 'default',
      accessString: 'off -@all',
      authenticationMode: { Type: 'no-password-required' },
    });
    const checkerUser = new elasticache.CfnUser(this, 'CheckerUser', {
      engine: 'valkey',
      userId: this.userId,
      userName: this.userId,
      accessString: CHECKER_ACCESS_STRING,
      authenticationMode: { Type: 'iam' },
    });
    const userGroup = new elasticache.CfnUserGroup(this, 'UserGroup', {
      engine: 'valkey',
      userGroupId: `${idBase}-users`,
      userIds: [defaultUser.userId, checkerUser.userId],
    });
    // The ids are plain strings, not references: CloudFormation must still create the users first.
    userGroup.node.addDependency(defaultUser, checkerUser);

    this.cache = new elasticache.CfnServerlessCache(this, 'Cache', {
      engine: 'valkey',
      majorEngineVersion: VALKEY_MAJOR_VERSION,
      serverlessCacheName: Names.uniqueResourceName(this, { maxLength: 40, separator: '-' }).toLowerCase(),
      description: 'ctr-lake dedup claims',
      kmsKeyId: props.encryptionKey.keyArn,
      securityGroupIds: [this.cacheSecurityGroup.securityGroupId],
      subnetIds: this.vpc.isolatedSubnets.map((subnet) => subnet.subnetId),
      userGroupId: userGroup.userGroupId,
    });
    this.cache.node.addDependency(userGroup);
    // The cache, its users and group have names CloudFormation cannot generate, so a retained one would make the
    // next deployment after `cdk destroy` fail on the name. They hold only claims that expire within the TTL and
    // whose stream goes with the stack too, so they are always deleted with it, whatever `removalMode` says.
    for (const resource of [this.cache, userGroup, checkerUser, defaultUser]) {
      resource.applyRemovalPolicy(RemovalPolicy.DESTROY);
    }

    Validations.of(this.vpc).acknowledge({
      id: 'AwsSolutions-EC23',
      reason: 'No security group of this VPC allows inbound traffic from 0.0.0.0/0; all ingress is from the checker.',
    });
  }

  /** The cache's primary endpoint address (host name), for the checker's environment. */
  get endpointAddress(): string {
    return this.cache.attrEndpointAddress;
  }

  /** The cache's name, which the IAM token signs as its host. */
  get cacheName(): string {
    return this.cache.serverlessCacheName;
  }

  /** Lets `grantee` connect to the cache as the checker user (IAM authentication: elasticache:Connect on both). */
  grantConnect(grantee: iam.IGrantable): iam.Grant {
    const { partition, region, account } = Stack.of(this);
    return iam.Grant.addToPrincipal({
      grantee,
      actions: ['elasticache:Connect'],
      resourceArns: [this.cache.attrArn, `arn:${partition}:elasticache:${region}:${account}:user:${this.userId}`],
    });
  }
}
