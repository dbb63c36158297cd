import type {
  FirehoseTransformationEvent,
  FirehoseTransformationEventRecord,
  KinesisStreamEvent,
  KinesisStreamRecord,
} from 'aws-lambda';
import type { Ctr } from '../../lambda/shared/ctr';
import type { AcceptedEnvelope, Envelope, QuarantinedEnvelope } from '../../lambda/shared/envelope';
import type { QuarantineReason } from '../../lambda/shared/errors';
import { contentFingerprint } from '../../lambda/shared/fingerprint';
import {
  buildCtr,
  nextVersion,
  SAMPLE_ACCOUNT_ID,
  SAMPLE_REGION,
  type CtrSpec,
  type JsonObject,
} from '../../rigs/synthetic/ctr-builder';
import {
  abandonedInQueueSpec,
  chatSpec,
  inboundVoiceSpec,
  taskSpec,
  transferredCallSpecs,
} from '../../rigs/synthetic/sample-contacts';

/**
 * Record factories for every test: realistic CTRs (the same shapes as samples/), and the exact Lambda event shapes
 * for the Kinesis event source and the Firehose transformation, so tests never hand-write base64 or event JSON.
 */

let contactCounter = 0;

/** A fresh, valid-looking ContactId (UUID form). Deterministic in a test file: a counter, not randomness. */
export function aContactId(): string {
  contactCounter += 1;
  return `c7a1e000-0000-4000-8000-${contactCounter.toString(16).padStart(12, '0')}`;
}

function asCtr(value: JsonObject | Record<string, unknown>): Ctr {
  return value as unknown as Ctr;
}

/**
 * An inbound voice CTR with an agent and a fresh ContactId, with top-level fields replaced by `overrides`.
 * An override of `undefined` removes the field, so tests can build invalid records on purpose
 * (e.g. `aCtr({ ContactId: undefined })`). Keys stay sorted, as Connect writes them.
 */
export function aCtr(overrides: Record<string, unknown> = {}): Ctr {
  const merged: Record<string, unknown> = {
    ...buildCtr({ ...inboundVoiceSpec, contactId: aContactId() }),
    ...overrides,
  };
  const sorted: Record<string, unknown> = {};
  for (const key of Object.keys(merged).sort()) {
    if (merged[key] !== undefined) sorted[key] = merged[key];
  }
  return asCtr(sorted);
}

/** An inbound call answered by an agent. */
export function aVoiceCtr(spec: Partial<CtrSpec> = {}): Ctr {
  return asCtr(buildCtr({ ...inboundVoiceSpec, contactId: aContactId(), ...spec }));
}

/** A call whose customer hung up while waiting in queue: Queue set, Agent null. */
export function anAbandonedCtr(spec: Partial<CtrSpec> = {}): Ctr {
  return asCtr(buildCtr({ ...abandonedInQueueSpec, contactId: aContactId(), ...spec }));
}

export function aChatCtr(spec: Partial<CtrSpec> = {}): Ctr {
  return asCtr(buildCtr({ ...chatSpec, contactId: aContactId(), ...spec }));
}

export function aTaskCtr(spec: Partial<CtrSpec> = {}): Ctr {
  return asCtr(buildCtr({ ...taskSpec, contactId: aContactId(), ...spec }));
}

/** The two legs of one transferred call, linked by NextContactId / PreviousContactId / InitialContactId. */
export function aTransferredCall(): [Ctr, Ctr] {
  const [first, second] = transferredCallSpecs({ first: aContactId(), second: aContactId() });
  return [asCtr(buildCtr(first)), asCtr(buildCtr(second))];
}

/** A later version of the same contact (new LastUpdateTimestamp, attributes merged in). */
export function aLaterVersion(
  ctr: Ctr,
  attributes: Record<string, string> = { surveyScore: '5' },
  secondsLater = 3600,
): Ctr {
  return asCtr(nextVersion(ctr as unknown as JsonObject, { secondsLater, attributes }));
}

// ---------------------------------------------------------------------------------------------------------------
// Kinesis event source (what the checker receives)

export const STREAM_ARN = `arn:aws:kinesis:${SAMPLE_REGION}:${SAMPLE_ACCOUNT_ID}:stream/ctr-lake-ctrs`;
const FIRST_SEQUENCE_NUMBER = 49_650_000_000_000_000_000_000_000_000_000_000_000_000_000_000_000n;
const ARRIVAL_EPOCH_SECONDS = Date.parse('2026-03-04T09:00:00Z') / 1000;

/** Kinesis sequence numbers are decimal strings that grow within a shard; index 0 is the first. */
export function sequenceNumberAt(index: number): string {
  return (FIRST_SEQUENCE_NUMBER + BigInt(index) * 1000n).toString();
}

export interface KinesisRecordOptions {
  readonly sequenceNumber?: string;
  /** @default `${shardId}:${sequenceNumber}`, as Lambda builds it */
  readonly eventID?: string;
  readonly shardId?: string;
  /** @default the CTR's ContactId when data is an object with one, else 'partition-key' */
  readonly partitionKey?: string;
  readonly approximateArrivalTimestamp?: number;
}

export type RecordData = string | Uint8Array | object;

function toBytes(data: RecordData): Buffer {
  if (typeof data === 'string') return Buffer.from(data, 'utf8');
  if (data instanceof Uint8Array) return Buffer.from(data);
  return Buffer.from(JSON.stringify(data), 'utf8');
}

function partitionKeyOf(data: RecordData): string {
  if (typeof data === 'object' && !(data instanceof Uint8Array)) {
    const id = (data as { ContactId?: unknown }).ContactId;
    if (typeof id === 'string' && id.length > 0) return id;
  }
  return 'partition-key';
}

/**
 * One record of a Lambda Kinesis event. `data` is sent as is when it is a string or bytes (so tests can send
 * invalid JSON or invalid UTF-8) and as compact JSON when it is an object.
 */
export function kinesisRecord(data: RecordData, options: KinesisRecordOptions = {}): KinesisStreamRecord {
  const shardId = options.shardId ?? 'shardId-000000000000';
  const sequenceNumber = options.sequenceNumber ?? sequenceNumberAt(0);
  return {
    awsRegion: SAMPLE_REGION,
    eventID: options.eventID ?? `${shardId}:${sequenceNumber}`,
    eventName: 'aws:kinesis:record',
    eventSource: 'aws:kinesis',
    eventSourceARN: STREAM_ARN,
    eventVersion: '1.0',
    invokeIdentityArn: `arn:aws:iam::${SAMPLE_ACCOUNT_ID}:role/ctr-lake-checker`,
    kinesis: {
      approximateArrivalTimestamp: options.approximateArrivalTimestamp ?? ARRIVAL_EPOCH_SECONDS,
      data: toBytes(data).toString('base64'),
      kinesisSchemaVersion: '1.0',
      partitionKey: options.partitionKey ?? partitionKeyOf(data),
      sequenceNumber,
    },
  };
}

/**
 * A Lambda Kinesis event. Items that are already Kinesis records are kept; anything else becomes a record with the
 * next sequence number of one shard, in order, starting at `firstIndex`.
 */
export function kinesisEvent(
  items: ReadonlyArray<KinesisStreamRecord | RecordData>,
  options: { readonly shardId?: string; readonly firstIndex?: number } = {},
): KinesisStreamEvent {
  const firstIndex = options.firstIndex ?? 0;
  return {
    Records: items.map((item, i) =>
      isKinesisRecord(item)
        ? item
        : kinesisRecord(item, {
            sequenceNumber: sequenceNumberAt(firstIndex + i),
            ...(options.shardId ? { shardId: options.shardId } : {}),
          }),
    ),
  };
}

function isKinesisRecord(item: KinesisStreamRecord | RecordData): item is KinesisStreamRecord {
  return typeof item === 'object' && !(item instanceof Uint8Array) && 'kinesis' in item && 'eventID' in item;
}

// ---------------------------------------------------------------------------------------------------------------
// Firehose transformation (what the transform receives)

export const DELIVERY_STREAM_ARN = `arn:aws:firehose:${SAMPLE_REGION}:${SAMPLE_ACCOUNT_ID}:deliverystream/ctr-lake-delivery`;

/** The envelope the checker puts on Firehose for an accepted CTR; `raw` defaults to the CTR's compact JSON. */
export function anAcceptedEnvelope(
  ctr: unknown,
  options: { readonly sequenceNumber?: string; readonly raw?: string } = {},
): AcceptedEnvelope {
  return {
    kind: 'ctr',
    fingerprint: contentFingerprint(ctr),
    sequenceNumber: options.sequenceNumber ?? sequenceNumberAt(0),
    raw: options.raw ?? JSON.stringify(ctr),
  };
}

/** The envelope the checker puts on Firehose for a record it could not accept. */
export function aQuarantinedEnvelope(
  reason: QuarantineReason,
  original: RecordData,
  options: { readonly detail?: string; readonly sequenceNumber?: string } = {},
): QuarantinedEnvelope {
  return {
    kind: 'quarantine',
    reason,
    detail: options.detail ?? `quarantined: ${reason}`,
    sequenceNumber: options.sequenceNumber ?? sequenceNumberAt(0),
    rawBase64: toBytes(original).toString('base64'),
  };
}

/**
 * A Firehose data-transformation event. Envelopes and other objects are sent as compact JSON, strings and bytes as
 * they are (so tests can send data that is not an envelope at all). Record ids are `record-<index>`.
 */
export function firehoseTransformationEvent(items: ReadonlyArray<Envelope | RecordData>): FirehoseTransformationEvent {
  const records: FirehoseTransformationEventRecord[] = items.map((item, i) => ({
    recordId: `record-${i}`,
    approximateArrivalTimestamp: ARRIVAL_EPOCH_SECONDS * 1000 + i,
    data: toBytes(item).toString('base64'),
  }));
  return {
    invocationId: 'a5b6c7d8-0000-4000-8000-000000000001',
    deliveryStreamArn: DELIVERY_STREAM_ARN,
    region: SAMPLE_REGION,
    records,
  };
}
