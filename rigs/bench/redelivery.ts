import type { KinesisStreamEvent } from 'aws-lambda';
import { judgeBatchResponse } from '../../local-aws/event-source/batch-response';
import type { BenchChecker } from './bench-checker';

/** What it took to get one batch through a design. */
export interface BatchDelivery {
  /** Invocations, the first included: 1 when the design reported no failure. */
  readonly invocations: number;
  /** Records handed to the design again, summed over the redeliveries. */
  readonly redeliveredRecords: number;
}

/**
 * Lambda would keep retrying a batch that fails for good until its records expire; the bench runs without faults,
 * so a design still failing after this many redeliveries has a bug, and the run stops.
 */
export const MAX_REDELIVERIES = 20;

/**
 * Delivers one batch as the Kinesis event source mapping does with ReportBatchItemFailures: while the design
 * answers with `batchItemFailures`, invoke it again with the batch from the lowest failed record on (an answer
 * naming a record outside the batch retries it whole), and count those invocations. Real Lambda would fill the retry
 * up to the batch size with the records that follow on the shard; the bench keeps batch boundaries, so every design
 * sees the same batches, and the retries show as extra invocations. A thrown error is not retried: the bench runs
 * without faults, so it is a bug. `maxRedeliveries` 0 makes any batch item failure an error.
 */
export async function deliverBatch(
  checker: BenchChecker,
  event: KinesisStreamEvent,
  maxRedeliveries: number = MAX_REDELIVERIES,
): Promise<BatchDelivery> {
  let records = event.Records;
  let invocations = 0;
  let redeliveredRecords = 0;
  for (;;) {
    const response = await checker.checkBatch({ Records: records });
    invocations++;
    const verdict = judgeBatchResponse(
      records.map((record) => record.kinesis.sequenceNumber),
      response,
    );
    if (verdict.kind === 'success') return { invocations, redeliveredRecords };
    if (invocations > maxRedeliveries) {
      throw new Error(
        `${checker.design} still failed records after ${maxRedeliveries} redeliveries (${verdict.reason}): ` +
          'the bench runs without faults',
      );
    }
    records = records.slice(verdict.fromIndex);
    redeliveredRecords += records.length;
  }
}
