import { FirehoseClient, PutRecordCommand } from '@aws-sdk/client-firehose';
import type { StreamRecord } from '../../lambda/checker/ports';
import { encodeEnvelope } from '../../lambda/checker/firehose-batches';
import type { Envelope } from '../../lambda/shared/envelope';

/** The three dedup designs the bench compares, by their keys in the `--json` output. */
export const DESIGNS = ['ours', 'checkThenWrite', 'twoWrite'] as const;
export type DesignName = (typeof DESIGNS)[number];

/** What one checker invocation did with its batch. */
export interface BatchTally {
  readonly delivered: number;
  readonly duplicates: number;
  readonly quarantined: number;
}

/**
 * One dedup design as the bench drives it: one call is one Lambda invocation on one Kinesis batch. Ours wraps the
 * real checker core and adapters; the baselines are re-implemented in baselines/ from their published descriptions.
 */
export interface BenchChecker {
  readonly design: DesignName;
  checkBatch(records: readonly StreamRecord[]): Promise<BatchTally>;
}

/**
 * Puts one envelope with one Firehose PutRecord call, as a per-record handler does. Both baselines deliver this
 * way: each processes a record from start to finish before the next. Throws on any failure, so the invocation fails
 * and Lambda retries the batch, the only recovery a per-record design has.
 */
export async function putOneRecord(
  firehose: FirehoseClient,
  deliveryStreamName: string,
  envelope: Envelope,
): Promise<void> {
  await firehose.send(
    new PutRecordCommand({ DeliveryStreamName: deliveryStreamName, Record: { Data: encodeEnvelope(envelope) } }),
  );
}

/** The checker's view of a Lambda Kinesis event record (ports.ts), as the handler builds it. */
export function toStreamRecord(record: {
  readonly eventID: string;
  readonly kinesis: { readonly sequenceNumber: string; readonly data: string };
}): StreamRecord {
  return { eventId: record.eventID, sequenceNumber: record.kinesis.sequenceNumber, data: record.kinesis.data };
}
