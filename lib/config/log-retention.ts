import * as logs from 'aws-cdk-lib/aws-logs';

/** The CloudWatch Logs retention of a validated number of days (the enum's values are the days themselves). */
export function logRetentionOf(days: number): logs.RetentionDays {
  const retention = Object.values(logs.RetentionDays).find((value) => value === days);
  if (typeof retention !== 'number') throw new RangeError(`${days} days is not a CloudWatch Logs retention period`);
  return retention;
}
