import { FirehoseClient, PutRecordCommand } from '@aws-sdk/client-firehose';
import type { KinesisStreamEvent } from 'aws-lambda';
import { encodeEnvelope } from '../../lambda/checker/firehose-batches';
import type { Envelope } from '../../lambda/shared/envelope';

/** The three dedup designs the bench compares, by their keys in the `--json` output. */
export const DESIGNS = ['ours', 'checkThenWrite', 'twoWrite'] as const;
export type DesignName = (typeof DESIGNS)[number];

/**
 * One dedup design as the bench drives it: one call is one Lambda invocation on one Kinesis batch. Ours is the real
 * checker handler; the baselines are re-implemented in baselines/ from their published descriptions. A call rejects
 * when the design could not process the whole batch (the bench runs without faults, so that is a bug). What was
 * delivered is counted where it lands, in the Firehose sink.
 */
export interface BenchChecker {
  readonly design: DesignName;
  checkBatch(event: KinesisStreamEvent): Promise<void>;
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
