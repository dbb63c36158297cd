/**
 * Physical names derived from the stage prefix, so that two stages can live in one account and region, and so that
 * scripts can find a deployment from its prefix alone. Buckets, tables and functions keep generated names (they
 * must be globally unique or are replaced on change); their names are stack outputs.
 */
export interface ResourceNames {
  /** The CloudFormation stack `cdk deploy` creates; it holds the outputs. */
  readonly stackName: string;
  readonly streamName: string;
  readonly deliveryStreamName: string;
  /** Glue/Athena database: the prefix with underscores, as Athena wants. */
  readonly databaseName: string;
  readonly workGroupName: string;
  readonly dashboardName: string;
  readonly keyAlias: string;
}

export function resourceNames(prefix: string): ResourceNames {
  return {
    stackName: prefix,
    streamName: `${prefix}-ctr-stream`,
    deliveryStreamName: `${prefix}-lake-delivery`,
    databaseName: prefix.replace(/-/g, '_'),
    workGroupName: prefix,
    dashboardName: prefix,
    keyAlias: prefix,
  };
}
