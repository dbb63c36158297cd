import { describe, MAX_KINESIS_RECORD_BYTES } from '../shared/ctr';
import { InvalidEventError } from '../shared/errors';

/** A CTR ready to put on the stream: its compact JSON and the partition key that keeps its versions on one shard. */
export interface PreparedRecord {
  /** Position in the event, for error messages and failure reports. */
  readonly index: number;
  readonly contactId: string;
  readonly data: Uint8Array;
}

/** Kinesis partition keys are 1-256 Unicode characters; ContactId is the partition key. */
const MAX_PARTITION_KEY_LENGTH = 256;

/**
 * Turns an emulator event (one CTR, an array of CTRs, or `{ "records": [...] }` as pasted into the Lambda console)
 * into records for the stream. Everything is validated before anything is sent, so an event is either refused
 * whole (InvalidEventError naming the first bad index and why) or sent: never half-sent.
 *
 * Only what would make Kinesis refuse the record or the request is checked here (an object, a ContactId usable as
 * partition key, at most 1 MiB). Anything else is sent as is: the checker quarantines records that are not valid
 * CTRs, and the bad-input tests rely on pushing such records through the stream.
 */
export function parseEmulatorEvent(event: unknown): PreparedRecord[] {
  const items = eventItems(event);
  if (items.length === 0) throw new InvalidEventError('the event holds no records');
  return items.map((item, index) => prepareRecord(item, index));
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function eventItems(event: unknown): readonly unknown[] {
  if (Array.isArray(event)) return event;
  if (!isPlainObject(event)) {
    throw new InvalidEventError(
      `expected a CTR object, an array of CTRs or { "records": [...] }, received ${describe(event)}`,
    );
  }
  // A CTR never has a `records` field, so an object with one (and no ContactId) is the console wrapper.
  if ('records' in event && !('ContactId' in event)) {
    if (!Array.isArray(event.records)) {
      throw new InvalidEventError(`expected "records" to be an array, received ${describe(event.records)}`);
    }
    return event.records;
  }
  return [event];
}

/**
 * One record of an event, checked and serialised as parseEmulatorEvent does for each: throws InvalidEventError saying
 * why Kinesis could not take it. Exported for callers that put records on the stream themselves (the backfill) or
 * batch them into events, so that one bad record is reported alone instead of failing its whole event.
 */
export function prepareRecord(item: unknown, index: number): PreparedRecord {
  if (!isPlainObject(item)) {
    throw new InvalidEventError(`record ${index}: expected a CTR object, received ${describe(item)}`, index);
  }
  const contactId = item.ContactId;
  if (typeof contactId !== 'string') {
    const received = contactId === undefined ? 'no ContactId' : `ContactId ${describe(contactId)}`;
    throw new InvalidEventError(`record ${index}: expected a string ContactId, received ${received}`, index);
  }
  if (contactId.length === 0 || [...contactId].length > MAX_PARTITION_KEY_LENGTH) {
    throw new InvalidEventError(
      `record ${index}: ContactId is the partition key and must be 1-${MAX_PARTITION_KEY_LENGTH} characters, ` +
        `received ${[...contactId].length}`,
      index,
    );
  }
  let json: string;
  try {
    json = JSON.stringify(item);
  } catch (cause) {
    // Only reachable when called directly with a cyclic or BigInt-holding object: JSON events cannot carry them.
    throw new InvalidEventError(`record ${index} (ContactId ${contactId}): cannot be serialized as JSON`, index, {
      cause,
    });
  }
  const record = { index, contactId, data: Buffer.from(json, 'utf8') };
  const size = recordSize(record);
  if (size > MAX_KINESIS_RECORD_BYTES) {
    throw new InvalidEventError(
      `record ${index} (ContactId ${contactId}): ${size} bytes is over the Kinesis record limit of ` +
        `${MAX_KINESIS_RECORD_BYTES} bytes (1 MiB)`,
      index,
    );
  }
  return record;
}

/** Bytes a record counts for in Kinesis' per-record and per-request limits: data plus partition key (1 MiB/5 MiB). */
export function recordSize(record: PreparedRecord): number {
  return record.data.byteLength + Buffer.byteLength(record.contactId, 'utf8');
}
