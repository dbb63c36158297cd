import type { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { CtrAnalytics, type CtrAnalyticsProps } from '../../lib/constructs/ctr-analytics';
import { renderQuery } from '../../lib/queries/query-template';
import { QUERY_NAMES, readQuery } from '../../lib/queries/sample-queries';
import { newTestKey, newTestStack, onlyResource } from './support/infra-test-app';

describe('CtrAnalytics', () => {
  let stack: Stack;
  let key: kms.Key;
  let results: s3.Bucket;
  let analytics: CtrAnalytics;
  let template: Template;

  beforeAll(() => {
    stack = newTestStack();
    key = newTestKey(stack);
    results = new s3.Bucket(stack, 'Results');
    analytics = new CtrAnalytics(stack, 'Analytics', {
      workGroupName: 'ctr-test',
      databaseName: 'ctr_test',
      resultsBucket: results,
      encryptionKey: key,
      bytesScannedCutoffPerQuery: 1024 * 1024 * 1024,
    });
    template = Template.fromStack(stack);
  });

  it('is an engine v3 workgroup whose settings clients cannot override', () => {
    const workGroup = onlyResource(template, 'AWS::Athena::WorkGroup');

    expect(workGroup.properties).toMatchObject({
      Name: 'ctr-test',
      State: 'ENABLED',
      RecursiveDeleteOption: true,
      WorkGroupConfiguration: {
        EnforceWorkGroupConfiguration: true,
        PublishCloudWatchMetricsEnabled: true,
        EngineVersion: { SelectedEngineVersion: 'Athena engine version 3' },
        BytesScannedCutoffPerQuery: 1073741824,
      },
    });
  });

  it('writes results to the results bucket, encrypted with the lake key', () => {
    const workGroup = onlyResource(template, 'AWS::Athena::WorkGroup');

    expect(workGroup.properties).toMatchObject({
      WorkGroupConfiguration: {
        ResultConfiguration: {
          OutputLocation: stack.resolve(`s3://${results.bucketName}/results/`),
          ExpectedBucketOwner: stack.resolve(stack.account),
          EncryptionConfiguration: { EncryptionOption: 'SSE_KMS', KmsKey: stack.resolve(key.keyArn) },
        },
      },
    });
  });

  it('publishes every sample query file as a named query in the workgroup and database', () => {
    template.resourceCountIs('AWS::Athena::NamedQuery', QUERY_NAMES.length);
    for (const name of QUERY_NAMES) {
      const query = readQuery(name);
      template.hasResourceProperties('AWS::Athena::NamedQuery', {
        Name: name,
        Database: 'ctr_test',
        WorkGroup: stack.resolve(analytics.workGroup.ref),
        QueryString: renderQuery(query.sql, { timeZone: 'UTC' }),
        Description: query.description,
      });
    }
    expect([...analytics.namedQueries.keys()]).toEqual([...QUERY_NAMES]);
  });

  /** CtrAnalytics in a stack of its own, with these props over a valid set. */
  const analyticsIn = (stackName: string, props: Partial<CtrAnalyticsProps>): Stack => {
    const other = newTestStack(stackName);
    new CtrAnalytics(other, 'Analytics', {
      workGroupName: 'w',
      databaseName: 'd',
      resultsBucket: new s3.Bucket(other, 'Results'),
      encryptionKey: newTestKey(other),
      bytesScannedCutoffPerQuery: 1024 * 1024 * 1024,
      ...props,
    });
    return other;
  };

  it('renders the queries for ctrLake:reportingTimeZone, the way the local runner renders them', () => {
    const seoul = analyticsIn('Seoul', { reportingTimeZone: 'Asia/Seoul' });
    const queries = Template.fromStack(seoul).findResources('AWS::Athena::NamedQuery');
    const byName = Object.fromEntries(
      Object.values(queries).map((resource) => [resource.Properties.Name, resource.Properties.QueryString as string]),
    );

    expect(byName.calls_per_day).toBe(renderQuery(readQuery('calls_per_day').sql, { timeZone: 'Asia/Seoul' }));
    expect(byName.calls_per_day).toContain("at_timezone(initiation_timestamp, 'Asia/Seoul')");
    for (const sql of Object.values(byName)) expect(sql).not.toContain('{{');
  });

  it('refuses a reporting time zone that is not an IANA name', () => {
    expect(() => analyticsIn('BadZone', { reportingTimeZone: 'KST' })).toThrow(
      'reportingTimeZone "KST" is not an IANA time zone name',
    );
  });

  it("refuses a scan cutoff below Athena's 10 MB minimum", () => {
    expect(() => analyticsIn('Other', { bytesScannedCutoffPerQuery: 1024 })).toThrow(
      "bytesScannedCutoffPerQuery 1024 is below Athena's minimum of 10485760",
    );
  });
});
