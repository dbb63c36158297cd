import { App, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { AwsSolutionsChecks } from 'cdk-nag';
import { acknowledgeWildcards, flattenReference } from '../../lib/nag/acknowledge-wildcards';
import { cdkJsonContext } from './support/infra-test-app';

/** A role in one stack granted read on a bucket of another stack, as the stateless stack is on the lake bucket. */
function crossStackGrant(): { app: App; role: iam.Role; bucket: s3.Bucket; otherBucket: s3.Bucket } {
  const app = new App({ context: cdkJsonContext() });
  const producer = new Stack(app, 'Producer');
  const bucket = new s3.Bucket(producer, 'Bucket');
  const otherBucket = new s3.Bucket(producer, 'OtherBucket');
  const consumer = new Stack(app, 'Consumer');
  const role = new iam.Role(consumer, 'Role', { assumedBy: new iam.ServicePrincipal('firehose.amazonaws.com') });
  bucket.grantRead(role);
  return { app, role, bucket, otherBucket };
}

const READ_ACTIONS = ['s3:GetBucket*', 's3:GetObject*', 's3:List*'];

/** The IAM5 findings cdk-nag still reports on the role's policies after the app is synthesized. */
function iam5Findings(app: App, role: iam.Role): string[] {
  app.synth();
  return new AwsSolutionsChecks()
    .validateScope(role)
    .violations.map((violation) => violation.ruleName)
    .filter((rule) => rule.startsWith('AwsSolutions-IAM5'))
    .sort();
}

describe('acknowledgeWildcards', () => {
  it('acknowledges the named actions and the cross-stack resource exactly as cdk-nag names them', () => {
    const { app, role, bucket } = crossStackGrant();

    acknowledgeWildcards(role, { actions: READ_ACTIONS, resources: [bucket.arnForObjects('*')], reason: 'test' });

    expect(iam5Findings(app, role)).toEqual([]);
  });

  it('leaves every wildcard it does not name reported', () => {
    const { app, role } = crossStackGrant();

    acknowledgeWildcards(role, { actions: ['s3:List*'], reason: 'test' });
    const findings = iam5Findings(app, role);

    expect(findings).toContain('AwsSolutions-IAM5[Action::s3:GetObject*]');
    expect(findings).toContain('AwsSolutions-IAM5[Action::s3:GetBucket*]');
    expect(findings).not.toContain('AwsSolutions-IAM5[Action::s3:List*]');
    expect(findings.filter((finding) => finding.startsWith('AwsSolutions-IAM5[Resource::'))).toHaveLength(1);
  });

  it("does not cover one bucket's objects by acknowledging another's", () => {
    const { app, role, bucket, otherBucket } = crossStackGrant();
    const logicalIdOf = (b: s3.Bucket): string => Stack.of(b).getLogicalId(b.node.defaultChild as s3.CfnBucket);

    acknowledgeWildcards(role, { actions: READ_ACTIONS, resources: [otherBucket.arnForObjects('*')], reason: 'test' });
    const findings = iam5Findings(app, role);

    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatch(/^AwsSolutions-IAM5\[Resource::.*\/\*\]$/);
    expect(findings[0]).toContain(logicalIdOf(bucket));
    expect(findings[0]).not.toContain(logicalIdOf(otherBucket));
  });

  it('records the reason with each acknowledgment', () => {
    const { role } = crossStackGrant();

    acknowledgeWildcards(role, { actions: ['s3:List*'], reason: 'listing is bounded to one bucket' });

    expect(role.node.metadata.map((entry) => entry.data)).toContainEqual({
      'Annotation::AwsSolutions-IAM5[Action::s3:List*]': 'listing is bounded to one bucket',
    });
  });
});

describe('flattenReference', () => {
  it.each([
    ['a plain string', 'arn:aws:s3:::bucket/*', 'arn:aws:s3:::bucket/*'],
    ['a Ref', { Ref: 'Bucket1' }, '<Bucket1>'],
    ['a GetAtt', { 'Fn::GetAtt': ['Bucket1', 'Arn'] }, '<Bucket1.Arn>'],
    ['a Join', { 'Fn::Join': ['', [{ 'Fn::GetAtt': ['Fn1', 'Arn'] }, ':*']] }, '<Fn1.Arn>:*'],
    ['an ImportValue', { 'Fn::ImportValue': 'Stack:ExportBucketArn' }, 'Stack:ExportBucketArn'],
    ['a Sub', { 'Fn::Sub': 'arn:${AWS::Partition}:s3:::b/*' }, 'arn:<AWS::Partition>:s3:::b/*'],
  ])('renders %s as cdk-nag does', (_kind, value, expected) => {
    expect(flattenReference(value)).toBe(expected);
  });
});
