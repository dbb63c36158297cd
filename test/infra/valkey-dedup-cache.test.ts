import { RemovalPolicy, type Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { DuplicateChecker } from '../../lib/constructs/duplicate-checker';
import { CHECKER_ACCESS_STRING, VALKEY_PORT, ValkeyDedupCache } from '../../lib/constructs/valkey-dedup-cache';
import {
  importedDeliveryStream,
  newTestKey,
  newTestStack,
  onlyResource,
  statementsOfRole,
  testConfig,
  testFunctionSettings,
} from './support/infra-test-app';

type Resources = Record<string, { Properties: Record<string, unknown> }>;

describe('ValkeyDedupCache', () => {
  let stack: Stack;
  let key: kms.Key;
  let cache: ValkeyDedupCache;
  let checker: DuplicateChecker;
  let template: Template;

  beforeAll(() => {
    stack = newTestStack();
    key = newTestKey(stack);
    cache = new ValkeyDedupCache(stack, 'Valkey', {
      encryptionKey: key,
      removalMode: 'retain',
      flowLogRetention: logs.RetentionDays.ONE_MONTH,
    });
    const config = testConfig({ 'ctrLake:dedupStore': 'valkey', 'ctrLake:checkerParallelization': 4 });
    checker = new DuplicateChecker(stack, 'DuplicateChecker', {
      stream: new kinesis.Stream(stack, 'Stream', { encryption: kinesis.StreamEncryption.MANAGED }),
      dedupStore: { kind: 'valkey', cache },
      deliveryStream: importedDeliveryStream(stack, 'ctr-test-lake-delivery'),
      encryptionKey: key,
      checker: config.checker,
      dedupTtlHours: config.dedupTtlHours,
      dedupKeyStrategy: config.dedupKeyStrategy,
      functionSettings: testFunctionSettings(),
      queueRemovalPolicy: RemovalPolicy.DESTROY,
    });
    template = Template.fromStack(stack);
  });

  it('is an ElastiCache Serverless cache for Valkey, encrypted with the lake key, in the isolated subnets', () => {
    const serverless = onlyResource(template, 'AWS::ElastiCache::ServerlessCache');

    expect(serverless.properties).toMatchObject({
      Engine: 'valkey',
      MajorEngineVersion: '8',
      KmsKeyId: stack.resolve(key.keyArn),
      SecurityGroupIds: [stack.resolve(cache.cacheSecurityGroup.securityGroupId)],
      SubnetIds: stack.resolve(cache.vpc.isolatedSubnets.map((subnet) => subnet.subnetId)),
    });
    expect(cache.vpc.isolatedSubnets).toHaveLength(2);
    // Claims expire within the TTL and the cache's name is fixed: it goes with the stack so a redeploy works.
    expect(serverless.deletionPolicy).toBe('Delete');
  });

  it('builds a VPC with no route out: no internet or NAT gateway, flow logs on', () => {
    template.resourceCountIs('AWS::EC2::InternetGateway', 0);
    template.resourceCountIs('AWS::EC2::NatGateway', 0);
    template.resourceCountIs('AWS::EC2::Route', 0);
    template.hasResourceProperties('AWS::EC2::FlowLog', { TrafficType: 'ALL', ResourceType: 'VPC' });
  });

  it('lets the checker reach the cache on its TLS port and the Firehose endpoint on 443, and nothing else', () => {
    const clientGroup = stack.resolve(cache.clientSecurityGroup.securityGroupId);
    const egress = Object.values(template.findResources('AWS::EC2::SecurityGroupEgress') as Resources)
      .map((rule) => rule.Properties)
      .filter((rule) => JSON.stringify(rule.GroupId) === JSON.stringify(clientGroup));

    expect(egress).toHaveLength(2);
    expect(egress.map((rule) => rule.FromPort).sort()).toEqual([443, VALKEY_PORT]);
    expect(egress.every((rule) => rule.CidrIp === undefined && rule.DestinationSecurityGroupId)).toBe(true);
    template.hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
      GroupId: stack.resolve(cache.cacheSecurityGroup.securityGroupId),
      SourceSecurityGroupId: clientGroup,
      FromPort: VALKEY_PORT,
      ToPort: VALKEY_PORT,
    });
    const groups = Object.values(template.findResources('AWS::EC2::SecurityGroup') as Resources);
    for (const group of groups)
      expect(JSON.stringify(group.Properties.SecurityGroupIngress ?? [])).not.toContain('0.0.0.0/0');
  });

  it('adds the Firehose interface endpoint the checker calls, with private DNS', () => {
    template.hasResourceProperties('AWS::EC2::VPCEndpoint', {
      VpcEndpointType: 'Interface',
      PrivateDnsEnabled: true,
      ServiceName: Match.objectLike({
        'Fn::Join': Match.arrayWith([Match.arrayWith([Match.stringLikeRegexp('firehose')])]),
      }),
    });
    template.resourceCountIs('AWS::EC2::VPCEndpoint', 1);
  });

  it('authenticates the checker by IAM with a user limited to the scripts it runs, and switches the default user off', () => {
    template.hasResourceProperties('AWS::ElastiCache::User', {
      Engine: 'valkey',
      UserId: cache.userId,
      UserName: cache.userId,
      AuthenticationMode: { Type: 'iam' },
      AccessString: CHECKER_ACCESS_STRING,
    });
    template.hasResourceProperties('AWS::ElastiCache::User', {
      UserName: 'default',
      AccessString: 'off -@all',
    });
    // ElastiCache user ids: 1-40 characters, a letter first, then letters, digits and single hyphens, no hyphen last.
    for (const userId of Object.values(template.findResources('AWS::ElastiCache::User')).map(
      (user) => (user.Properties as { UserId: string }).UserId,
    )) {
      expect(userId).toMatch(/^[a-z](?:[a-z0-9]|-(?!-))*[a-z0-9]$/);
      expect(userId.length).toBeLessThanOrEqual(40);
    }
    expect(statementsOfRole(template, stack.resolve(checker.handler.role.roleName))).toContainEqual(
      expect.objectContaining({
        Action: 'elasticache:Connect',
        Effect: 'Allow',
        Resource: expect.arrayContaining([stack.resolve(cache.cache.attrArn)]),
      }),
    );
  });

  it('runs the checker in the VPC with the cache settings in its environment and no DynamoDB permission', () => {
    const fn = Object.values(
      template.findResources('AWS::Lambda::Function', {
        Properties: { Environment: { Variables: { DEDUP_STORE: 'valkey' } } },
      }) as Resources,
    )[0]!.Properties as {
      VpcConfig: { SecurityGroupIds: unknown[] };
      Environment: { Variables: Record<string, unknown> };
    };

    expect(fn.VpcConfig.SecurityGroupIds).toEqual([stack.resolve(cache.clientSecurityGroup.securityGroupId)]);
    expect(fn.Environment.Variables).toMatchObject({
      VALKEY_ENDPOINT: stack.resolve(cache.endpointAddress),
      VALKEY_CACHE_NAME: stack.resolve(cache.cacheName),
      VALKEY_USER: cache.userId,
    });
    expect(fn.Environment.Variables.DEDUP_TABLE_NAME).toBeUndefined();
    const actions = statementsOfRole(template, stack.resolve(checker.handler.role.roleName)).flatMap((s) => s.Action);
    expect(JSON.stringify(actions)).not.toContain('dynamodb:');
  });

  it('reads the stream with the configured parallelization factor', () => {
    expect(onlyResource(template, 'AWS::Lambda::EventSourceMapping').properties.ParallelizationFactor).toBe(4);
  });
});
