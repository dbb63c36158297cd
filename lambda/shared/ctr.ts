import { InvalidRecordError } from './errors';
import type { PartitionKeys, ProjectedYears } from './row-schema';

/** ISO-8601 UTC timestamp string as Amazon Connect writes it, e.g. `2022-01-05T17:12:59Z`. */
export type IsoTimestamp = string;

export interface CtrEndpoint {
  readonly Address?: string | null;
  readonly Type?: string | null;
}

export interface CtrQueue {
  readonly ARN?: string | null;
  readonly Name?: string | null;
  readonly Duration?: number | null;
  readonly EnqueueTimestamp?: IsoTimestamp | null;
  readonly DequeueTimestamp?: IsoTimestamp | null;
}

export interface CtrAgent {
  readonly ARN?: string | null;
  readonly Username?: string | null;
  readonly ConnectedToAgentTimestamp?: IsoTimestamp | null;
  readonly AgentInteractionDuration?: number | null;
  readonly CustomerHoldDuration?: number | null;
  readonly AfterContactWorkDuration?: number | null;
  readonly NumberOfHolds?: number | null;
  readonly LongestHoldDuration?: number | null;
}

/**
 * The fields of an Amazon Connect contact trace record that ctr-lake reads. Real CTRs carry many more
 * (see ../shared/reference/ctr-fields.md) and new ones appear over time: unknown fields are kept verbatim
 * in the row's `raw_ctr` column, never rejected.
 */
export interface Ctr {
  readonly ContactId: string;
  readonly AWSAccountId?: string | null;
  readonly InstanceARN?: string | null;
  readonly Channel?: string | null;
  readonly InitiationMethod?: string | null;
  readonly InitiationTimestamp: IsoTimestamp;
  readonly ConnectedToSystemTimestamp?: IsoTimestamp | null;
  readonly DisconnectTimestamp?: IsoTimestamp | null;
  readonly LastUpdateTimestamp?: IsoTimestamp | null;
  readonly DisconnectReason?: string | null;
  readonly Queue?: CtrQueue | null;
  readonly Agent?: CtrAgent | null;
  readonly CustomerEndpoint?: CtrEndpoint | null;
  readonly SystemEndpoint?: CtrEndpoint | null;
  readonly PreviousContactId?: string | null;
  readonly NextContactId?: string | null;
  readonly InitialContactId?: string | null;
  readonly Attributes?: Readonly<Record<string, unknown>> | null;
  readonly [field: string]: unknown;
}

/** Kinesis Data Streams refuses a record whose data blob is over 1 MiB. */
export const MAX_KINESIS_RECORD_BYTES = 1024 * 1024;

// Connect writes whole-second UTC timestamps; accept fractional seconds and offsets too, as the API does.
const ISO_8601 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;

export function isIsoTimestamp(value: unknown): value is IsoTimestamp {
  return typeof value === 'string' && ISO_8601.test(value) && !Number.isNaN(Date.parse(value));
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const OPTIONAL_TIMESTAMPS = ['ConnectedToSystemTimestamp', 'DisconnectTimestamp', 'LastUpdateTimestamp'] as const;
const OPTIONAL_STRINGS = [
  'Channel',
  'InitiationMethod',
  'DisconnectReason',
  'PreviousContactId',
  'NextContactId',
  'InitialContactId',
  'InstanceARN',
  'AWSAccountId',
] as const;

/**
 * The one decision on a CTR's InitiationTimestamp, taken by the checker (through assertCtr, before it claims) and by
 * the transform (for the row's partition) alike, so that nothing the checker claims and delivers is refused after:
 * an ISO-8601 timestamp whose UTC instant has a day in years 0000-9999, whose zero-padded year/month/day is the
 * lake's Hive partition. An offset can push a valid-looking timestamp out of that range in UTC
 * (`0000-01-01T00:30:00+01:00` is in year -1, `9999-12-31T23:30:00-01:00` in 10000), where toISOString writes a
 * 6-digit signed year: such a timestamp, like a string that is no timestamp, throws InvalidRecordError
 * ('INVALID_FIELD') with the reason. Given `projected` (the `ctr` table's partition projection, which the transform
 * knows from its environment), a year outside it throws InvalidRecordError('OUTSIDE_PARTITION_PROJECTION'): Firehose
 * would write the row where no query ever looks, so it goes to the error prefix with its reason instead, to be
 * replayed once the projection is widened.
 */
export function partitionOf(initiationTimestamp: unknown, projected?: ProjectedYears): PartitionKeys {
  if (!isIsoTimestamp(initiationTimestamp)) {
    throw new InvalidRecordError(
      'INVALID_FIELD',
      `expected InitiationTimestamp to be an ISO-8601 timestamp, received ${describe(initiationTimestamp)}`,
    );
  }
  const ms = Date.parse(initiationTimestamp);
  const year = new Date(ms).getUTCFullYear();
  if (year < 0 || year > 9999) {
    throw new InvalidRecordError(
      'INVALID_FIELD',
      `InitiationTimestamp ${describe(initiationTimestamp)} has no UTC day in years 0000-9999 to partition by`,
    );
  }
  if (projected !== undefined && (year < projected.first || year > projected.last)) {
    throw new InvalidRecordError(
      'OUTSIDE_PARTITION_PROJECTION',
      `InitiationTimestamp ${describe(initiationTimestamp)} is in year ${year} (UTC), outside the years ` +
        `${projected.first}-${projected.last} the ctr table's partition projection covers: Athena would never read it`,
    );
  }
  const iso = new Date(ms).toISOString();
  return { year: iso.slice(0, 4), month: iso.slice(5, 7), day: iso.slice(8, 10) };
}

/**
 * Checks that a parsed JSON value is a CTR the lake can store, and says exactly what is wrong when it is not.
 * The checker runs this before claiming a fingerprint so that anything the transform would refuse is
 * quarantined with its reason at the first hop; the transform runs it again as a second line of defence.
 */
export function assertCtr(value: unknown): asserts value is Ctr {
  if (!isPlainObject(value)) {
    const kind = Array.isArray(value) ? 'an array' : value === null ? 'null' : `a ${typeof value}`;
    throw new InvalidRecordError('NOT_AN_OBJECT', `expected a CTR object, received ${kind}`);
  }
  if (typeof value.ContactId !== 'string' || value.ContactId.length === 0 || value.ContactId.length > 256) {
    const received = value.ContactId === undefined ? 'no ContactId' : `ContactId ${describe(value.ContactId)}`;
    throw new InvalidRecordError(
      'MISSING_CONTACT_ID',
      `expected ContactId to be a string of 1-256 characters, received ${received}`,
    );
  }
  partitionOf(value.InitiationTimestamp);
  for (const field of OPTIONAL_TIMESTAMPS) {
    const v = value[field];
    if (v !== undefined && v !== null && !isIsoTimestamp(v)) {
      throw new InvalidRecordError(
        'INVALID_FIELD',
        `expected ${field} to be an ISO-8601 timestamp or null, received ${describe(v)}`,
      );
    }
  }
  for (const field of OPTIONAL_STRINGS) {
    const v = value[field];
    if (v !== undefined && v !== null && typeof v !== 'string') {
      throw new InvalidRecordError(
        'INVALID_FIELD',
        `expected ${field} to be a string or null, received ${describe(v)}`,
      );
    }
  }
  for (const field of ['Queue', 'Agent', 'CustomerEndpoint', 'SystemEndpoint', 'Attributes'] as const) {
    const v = value[field];
    if (v !== undefined && v !== null && !isPlainObject(v)) {
      throw new InvalidRecordError(
        'INVALID_FIELD',
        `expected ${field} to be an object or null, received ${describe(v)}`,
      );
    }
  }
}

/** A short description of a value for error messages: its type and, for scalars, a clipped rendering. */
export function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  const text = JSON.stringify(value);
  return `${typeof value} ${text.length > 40 ? `${text.slice(0, 40)}…` : text}`;
}
