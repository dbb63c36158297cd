import { FirehoseClient, PutRecordCommand } from '@aws-sdk/client-firehose';
import type { KinesisStreamBatchResponse, KinesisStreamEvent } from 'aws-lambda';
import { encodeEnvelope } from '../../lambda/checker/firehose-batches';
import type { Envelope } from '../../lambda/shared/envelope';

/** The dedup designs every section of the bench compares, by their keys in the `--json` output. */
export const DESIGNS = ['ours', 'checkThenWrite', 'powertools', 'powertoolsSequential'] as const;
export type DesignName = (typeof DESIGNS)[number];

/**
 * Powertools keyed on the record's raw bytes (`powertools_base64(kinesis.data)`), as most users configure it: run
 * once over the whole stream to show the key-reordered copies it lets through. It delivers duplicates, so it has no
 * cost or speed worth comparing.
 */
export const RAW_KEY_DESIGN = 'powertoolsRawKey';
export type BenchDesign = DesignName | typeof RAW_KEY_DESIGN;
export const BENCH_DESIGNS: readonly BenchDesign[] = [...DESIGNS, RAW_KEY_DESIGN];

/**
 * The Valkey store under the checker's own core (valkey-checker.ts): measured beside the DynamoDB designs when a
 * redis-server (or valkey-server) is installed, on that server instead of a table.
 */
export const VALKEY_DESIGN = 'valkey';
/** Every design a checker worker can run. */
export type WorkerDesign = BenchDesign | typeof VALKEY_DESIGN;

/**
 * One dedup design as the bench drives it: one call is one Lambda invocation on one Kinesis batch, answered as a
 * function with ReportBatchItemFailures answers (an empty list: the whole batch is done). Ours is the real checker
 * handler, the Powertools designs run the published library, check-then-write is re-implemented in baselines/ from
 * its description. The bench redelivers from the lowest failed record as Lambda does (redelivery.ts). A call
 * rejects when the design could not process the batch at all (the bench runs without faults, so that is a bug).
 * What was delivered is counted where it lands, in the Firehose sink.
 */
export interface BenchChecker {
  readonly design: WorkerDesign;
  checkBatch(event: KinesisStreamEvent): Promise<KinesisStreamBatchResponse>;
  /** Lets go of what the design holds open (the Valkey design's connection). */
  close?(): void;
}

/**
 * Puts one envelope with one Firehose PutRecord call, as a per-record handler does. The baselines deliver this
 * way: each processes a record from start to finish on its own. Throws on any failure, so the record (Powertools)
 * or the invocation (check-then-write) fails and is retried.
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
