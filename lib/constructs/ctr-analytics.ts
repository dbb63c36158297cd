import { Stack } from 'aws-cdk-lib';
import * as athena from 'aws-cdk-lib/aws-athena';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { DEFAULT_TIME_ZONE, isTimeZoneName } from '../config/time-zone';
import { renderQuery } from '../queries/query-template';
import { type QueryName, readAllQueries, type SampleQuery } from '../queries/sample-queries';

/** Athena's smallest per-query data usage control. */
const MIN_BYTES_SCANNED_CUTOFF = 10 * 1024 * 1024;

export interface CtrAnalyticsProps {
  /**
   * CloudFormation requires a workgroup name. The workgroup is deleted with the stack (recursively), so the name
   * never outlives a deployment; `npm run query` reads it from the AthenaWorkGroup output.
   */
  readonly workGroupName: string;
  /** The Glue database the named queries run in (a name: a named query stores it as text). */
  readonly databaseName: string;
  readonly resultsBucket: s3.IBucket;
  /** Encrypts query results (SSE-KMS). */
  readonly encryptionKey: kms.IKey;
  /** Queries scanning more than this many bytes are cancelled. At least 10 MB. */
  readonly bytesScannedCutoffPerQuery: number;
  /** @default - every samples/queries/<name>.sql */
  readonly queries?: readonly SampleQuery[];
  /**
   * IANA time zone whose local days and hours the queries group by (their `'{{reporting_time_zone}}'` placeholder).
   * @default 'UTC'
   */
  readonly reportingTimeZone?: string;
}

/**
 * Where the lake is queried: an Athena engine v3 workgroup whose settings clients cannot override (results
 * encrypted with the lake key in the results bucket, a per-query scan cutoff, CloudWatch metrics), and the sample
 * queries as named queries, read from the same files the local runner executes.
 */
export class CtrAnalytics extends Construct {
  readonly workGroup: athena.CfnWorkGroup;
  readonly workGroupName: string;
  readonly namedQueries: ReadonlyMap<QueryName, athena.CfnNamedQuery>;

  constructor(scope: Construct, id: string, props: CtrAnalyticsProps) {
    super(scope, id);
    if (props.bytesScannedCutoffPerQuery < MIN_BYTES_SCANNED_CUTOFF) {
      throw new Error(
        `${this.node.path}: bytesScannedCutoffPerQuery ${props.bytesScannedCutoffPerQuery} is below Athena's minimum of ${MIN_BYTES_SCANNED_CUTOFF}`,
      );
    }
    const timeZone = props.reportingTimeZone ?? DEFAULT_TIME_ZONE;
    if (!isTimeZoneName(timeZone)) {
      throw new Error(`${this.node.path}: reportingTimeZone "${timeZone}" is not an IANA time zone name`);
    }
    this.workGroupName = props.workGroupName;
    this.workGroup = new athena.CfnWorkGroup(this, 'WorkGroup', {
      name: props.workGroupName,
      description: 'ctr-lake: queries over contact trace records',
      state: 'ENABLED',
      // Named queries and query history belong to this stack: let deleting it delete them.
      recursiveDeleteOption: true,
      workGroupConfiguration: {
        enforceWorkGroupConfiguration: true,
        publishCloudWatchMetricsEnabled: true,
        bytesScannedCutoffPerQuery: props.bytesScannedCutoffPerQuery,
        engineVersion: { selectedEngineVersion: 'Athena engine version 3' },
        requesterPaysEnabled: false,
        resultConfiguration: {
          outputLocation: `s3://${props.resultsBucket.bucketName}/results/`,
          expectedBucketOwner: Stack.of(this).account,
          encryptionConfiguration: { encryptionOption: 'SSE_KMS', kmsKey: props.encryptionKey.keyArn },
        },
      },
    });

    const namedQueries = new Map<QueryName, athena.CfnNamedQuery>();
    for (const query of props.queries ?? readAllQueries()) {
      const namedQuery = new athena.CfnNamedQuery(this, `Query-${query.name}`, {
        name: query.name,
        description: query.description,
        database: props.databaseName,
        workGroup: this.workGroup.ref,
        // Rendered as the local runner renders it (no day range: a named query covers every day).
        queryString: renderQuery(query.sql, { timeZone }),
      });
      namedQueries.set(query.name, namedQuery);
    }
    this.namedQueries = namedQueries;
  }
}
