import { LAKE_DATA_PREFIX, partitionPrefix, type PartitionKeys } from '../shared/row-schema';

/** One day partition of the lake: `ctr/year=YYYY/month=MM/day=DD/`. */
export interface Partition {
  /** `YYYY-MM-DD`: how commands, logs and summaries name it. */
  readonly day: string;
  readonly keys: PartitionKeys;
  /** `ctr/year=YYYY/month=MM/day=DD/` */
  readonly prefix: string;
}

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
const OBJECT_KEY = new RegExp(`^${escapeRegExp(LAKE_DATA_PREFIX)}year=(\\d{4})/month=(\\d{2})/day=(\\d{2})/([^/]+)$`);

/** True for a real calendar day written `YYYY-MM-DD`. */
export function isDay(text: string): boolean {
  const match = DAY.exec(text);
  if (!match) return false;
  const date = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === text;
}

/** The partition of a day. Throws a RangeError for anything but a real `YYYY-MM-DD` day. */
export function partitionOfDay(day: string): Partition {
  if (!isDay(day)) throw new RangeError(`expected a day as YYYY-MM-DD, received "${day}"`);
  const [year, month, dayOfMonth] = day.split('-') as [string, string, string];
  const keys: PartitionKeys = { year, month, day: dayOfMonth };
  return { day, keys, prefix: partitionPrefix(keys) };
}

/**
 * Where a lake object belongs: its day partition and its name in it. Undefined for a key that is not directly in a
 * well-formed day partition (the job leaves such objects alone).
 */
export function locateObject(key: string): { partition: Partition; name: string } | undefined {
  const match = OBJECT_KEY.exec(key);
  if (!match) return undefined;
  const [, year, month, day, name] = match as unknown as [string, string, string, string, string];
  const text = `${year}-${month}-${day}`;
  return isDay(text) ? { partition: partitionOfDay(text), name } : undefined;
}

/** The UTC day of an instant, `YYYY-MM-DD`. */
export function dayOf(instant: Date): string {
  return instant.toISOString().slice(0, 10);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
