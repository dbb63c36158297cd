import type { KinesisStreamEvent, KinesisStreamRecord } from 'aws-lambda';

/** One record as GetRecords returns it (the fields the event source mapping passes on). */
export interface StreamRecordIn {
  readonly SequenceNumber?: string;
  readonly ApproximateArrivalTimestamp?: Date;
  readonly Data?: Uint8Array;
  readonly PartitionKey?: string;
}

export interface EventSourceIdentity {
  readonly streamArn: string;
  readonly region: string;
  /** The function's execution role: Lambda's Kinesis events carry it as `invokeIdentityArn`. */
  readonly invokeIdentityArn: string;
}

/**
 * Builds the event exactly as Lambda's Kinesis event source mapping delivers it: base64 data, the arrival time in
 * (fractional) epoch seconds, and `eventID` = `<shardId>:<sequenceNumber>`, which is stable across redeliveries.
 */
export function toKinesisEvent(
  shardId: string,
  records: readonly StreamRecordIn[],
  identity: EventSourceIdentity,
): KinesisStreamEvent {
  return { Records: records.map((record) => toEventRecord(shardId, record, identity)) };
}

function toEventRecord(shardId: string, record: StreamRecordIn, identity: EventSourceIdentity): KinesisStreamRecord {
  const sequenceNumber = required(record.SequenceNumber, 'SequenceNumber');
  return {
    kinesis: {
      kinesisSchemaVersion: '1.0',
      partitionKey: required(record.PartitionKey, 'PartitionKey'),
      sequenceNumber,
      data: Buffer.from(record.Data ?? new Uint8Array()).toString('base64'),
      approximateArrivalTimestamp: (record.ApproximateArrivalTimestamp ?? new Date()).getTime() / 1000,
    },
    eventSource: 'aws:kinesis',
    eventVersion: '1.0',
    eventID: `${shardId}:${sequenceNumber}`,
    eventName: 'aws:kinesis:record',
    invokeIdentityArn: identity.invokeIdentityArn,
    awsRegion: identity.region,
    eventSourceARN: identity.streamArn,
  };
}

function required(value: string | undefined, field: string): string {
  if (value === undefined || value === '') throw new TypeError(`GetRecords returned a record without ${field}`);
  return value;
}
