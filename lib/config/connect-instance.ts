/** An Amazon Connect instance, from its ARN `arn:PARTITION:connect:REGION:ACCOUNT:instance/INSTANCE-ID`. */
export interface ConnectInstance {
  readonly arn: string;
  readonly partition: string;
  readonly region: string;
  readonly account: string;
  /** The UUID at the end of the ARN: what the Connect API calls `InstanceId`. */
  readonly instanceId: string;
}

/** What a Connect instance ARN looks like, for error messages. */
export const CONNECT_INSTANCE_ARN_FORMAT = 'arn:PARTITION:connect:REGION:ACCOUNT:instance/INSTANCE-ID';

const INSTANCE_ARN =
  /^arn:(aws|aws-cn|aws-us-gov):connect:([a-z]{2}(?:-[a-z]+)+-\d+):(\d{12}):instance\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;

/**
 * The partition a region belongs to: China regions (`cn-*`) are in `aws-cn`, GovCloud (`us-gov-*`) in `aws-us-gov`,
 * every other region Connect runs in is in `aws`. An ARN whose partition is not its region's names no instance.
 */
export function partitionOfRegion(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}

/** Reads a Connect instance ARN; undefined when it is not one (wrong service, resource, account, partition...). */
export function parseConnectInstanceArn(arn: string): ConnectInstance | undefined {
  const match = INSTANCE_ARN.exec(arn);
  if (!match) return undefined;
  const [, partition, region, account, instanceId] = match as unknown as [string, string, string, string, string];
  if (partitionOfRegion(region) !== partition) return undefined;
  return { arn, partition, region, account, instanceId };
}
