import type { FirehoseTransformationEvent } from 'aws-lambda';
import { randomUUID } from 'node:crypto';
import { PARTITION_KEYS, type PartitionKeys } from '../../lambda/shared/row-schema';
import type { BufferedRecord, ErrorOutputType } from './firehose-records';

/** What Firehose makes of one record after the transform answered. */
export type RecordOutcome =
  | { readonly kind: 'ok'; readonly record: BufferedRecord; readonly data: Buffer; readonly partition: PartitionKeys }
  | { readonly kind: 'dropped'; readonly record: BufferedRecord }
  | {
      readonly kind: 'failed';
      readonly record: BufferedRecord;
      readonly outputType: ErrorOutputType;
      readonly errorCode: string;
      readonly errorMessage: string;
      /** Invocations made before giving up on the record. @default 1 */
      readonly attempts?: number;
    };

/** The whole answer was unusable: Firehose retries the invocation, then fails every record with `errorCode`. */
export class TransformResponseError extends Error {
  constructor(
    readonly errorCode: string,
    message: string,
  ) {
    super(message);
    this.name = 'TransformResponseError';
  }
}

export function toTransformationEvent(
  records: readonly BufferedRecord[],
  source: { readonly deliveryStreamArn: string; readonly region: string },
): FirehoseTransformationEvent {
  return {
    invocationId: randomUUID(),
    deliveryStreamArn: source.deliveryStreamArn,
    region: source.region,
    records: records.map((record) => ({
      recordId: record.recordId,
      approximateArrivalTimestamp: record.arrivalMs,
      data: record.data.toString('base64'),
    })),
  };
}

const PARTITION_VALUE = /^[0-9A-Za-z_.-]{1,64}$/;

/**
 * Checks the transform's answer as Firehose does (every recordId exactly once, a known result, base64 data) and
 * turns it into one outcome per input record, in input order. Throws TransformResponseError when the answer as a
 * whole is unusable, with the error code Firehose reports for it.
 */
export function readTransformationResult(records: readonly BufferedRecord[], response: unknown): RecordOutcome[] {
  const answered = (response as { records?: unknown } | null)?.records;
  if (typeof response !== 'object' || response === null || !Array.isArray(answered)) {
    throw new TransformResponseError('Lambda.JsonProcessingException', 'the response has no "records" list');
  }
  const byId = new Map<string, Record<string, unknown>>();
  for (const entry of answered as unknown[]) {
    const item = (typeof entry === 'object' && entry !== null ? entry : {}) as Record<string, unknown>;
    const recordId = item.recordId;
    if (typeof recordId !== 'string') {
      throw new TransformResponseError('Lambda.JsonProcessingException', 'a response record has no recordId');
    }
    if (byId.has(recordId)) {
      throw new TransformResponseError('Lambda.DuplicatedRecordId', `recordId ${recordId} is answered twice`);
    }
    byId.set(recordId, item);
  }
  const known = new Set(records.map((record) => record.recordId));
  for (const id of byId.keys()) {
    if (!known.has(id))
      throw new TransformResponseError('Lambda.MissingRecordId', `unknown recordId ${id} in response`);
  }
  return records.map((record) => {
    const item = byId.get(record.recordId);
    if (!item) {
      throw new TransformResponseError(
        'Lambda.MissingRecordId',
        `recordId ${record.recordId} is missing from the response`,
      );
    }
    return toOutcome(record, item);
  });
}

function toOutcome(record: BufferedRecord, item: Record<string, unknown>): RecordOutcome {
  switch (item.result) {
    case 'Dropped':
      return { kind: 'dropped', record };
    case 'ProcessingFailed':
      return {
        kind: 'failed',
        record,
        outputType: 'processing-failed',
        errorCode: 'Lambda.ProcessingFailed',
        errorMessage: 'The Lambda function marked the record as ProcessingFailed.',
      };
    case 'Ok': {
      if (typeof item.data !== 'string') {
        throw new TransformResponseError('Lambda.JsonProcessingException', `Ok record ${record.recordId} has no data`);
      }
      const partition = readPartitionKeys(item.metadata);
      if (partition === undefined) {
        return {
          kind: 'failed',
          record,
          outputType: 'partitioning-failed',
          errorCode: 'DynamicPartitioning.MetadataExtractionFailed',
          errorMessage: `partition keys ${PARTITION_KEYS.map((k) => k.name).join(', ')} are missing or invalid`,
        };
      }
      return { kind: 'ok', record, data: Buffer.from(item.data, 'base64'), partition };
    }
    default:
      throw new TransformResponseError(
        'Lambda.JsonProcessingException',
        `record ${record.recordId} has result ${JSON.stringify(item.result)}`,
      );
  }
}

function readPartitionKeys(metadata: unknown): PartitionKeys | undefined {
  const keys = (metadata as { partitionKeys?: Record<string, unknown> } | null | undefined)?.partitionKeys;
  if (typeof keys !== 'object' || keys === null) return undefined;
  const partition: Record<string, string> = {};
  for (const { name } of PARTITION_KEYS) {
    const value = keys[name];
    if (typeof value !== 'string' || !PARTITION_VALUE.test(value)) return undefined;
    partition[name] = value;
  }
  return partition as PartitionKeys;
}
