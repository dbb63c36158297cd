import { randomUUID } from 'node:crypto';
import { LAKE_ERROR_PREFIX, partitionPrefix, type PartitionKeys } from '../../lambda/shared/row-schema';
import type { ErrorOutputType } from './firehose-records';

const pad = (n: number): string => String(n).padStart(2, '0');

/** Firehose's object name: `<stream>-<version>-YYYY-MM-DD-HH-MM-SS-<random>` (UTC). */
export function firehoseObjectName(streamName: string, at: Date, extension = ''): string {
  const stamp = [
    at.getUTCFullYear(),
    pad(at.getUTCMonth() + 1),
    pad(at.getUTCDate()),
    pad(at.getUTCHours()),
    pad(at.getUTCMinutes()),
    pad(at.getUTCSeconds()),
  ].join('-');
  return `${streamName}-1-${stamp}-${randomUUID()}${extension}`;
}

/** `ctr/year=YYYY/month=MM/day=DD/`, the dynamic-partitioning prefix of the stack. */
export function rowPrefix(partition: PartitionKeys): string {
  return partitionPrefix(partition);
}

/** `errors/<type>/YYYY/MM/DD/HH/`, the stack's error output prefix. */
export function errorPrefix(type: ErrorOutputType, at: Date): string {
  return `${LAKE_ERROR_PREFIX}${type}/${at.getUTCFullYear()}/${pad(at.getUTCMonth() + 1)}/${pad(at.getUTCDate())}/${pad(at.getUTCHours())}/`;
}
