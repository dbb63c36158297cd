import { randomUUID } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { AbandonedBatch } from '../event-source/kinesis-event-source';

/** Where the local on-failure destination (an SQS queue in AWS) keeps its messages. */
export const ON_FAILURE_DIR = 'on-failure';

/**
 * Writes what Lambda sends to a Kinesis event source mapping's on-failure destination: the batch's coordinates on
 * the stream (not its data, which stays on the stream until it expires), so the records can be found and replayed.
 */
export async function writeOnFailureRecord(
  lakeDir: string,
  functionArn: string,
  batch: AbandonedBatch,
): Promise<string> {
  const first = batch.records[0];
  const last = batch.records[batch.records.length - 1];
  const message = {
    requestContext: {
      requestId: randomUUID(),
      functionArn,
      condition: 'RetryAttemptsExhausted',
      approximateInvokeCount: batch.attempts,
    },
    responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
    version: '1.0',
    timestamp: new Date().toISOString(),
    KinesisBatchInfo: {
      shardId: batch.shardId,
      startSequenceNumber: first?.SequenceNumber,
      endSequenceNumber: last?.SequenceNumber,
      approximateArrivalOfFirstRecord: first?.ApproximateArrivalTimestamp?.toISOString(),
      approximateArrivalOfLastRecord: last?.ApproximateArrivalTimestamp?.toISOString(),
      batchSize: batch.records.length,
      streamArn: batch.streamArn,
    },
    reason: batch.reason,
  };
  const dir = join(lakeDir, ON_FAILURE_DIR, 'kinesis');
  await mkdir(dir, { recursive: true });
  const path = join(dir, `${message.timestamp.replaceAll(':', '-')}-${randomUUID()}.json`);
  await writeFile(path, `${JSON.stringify(message, null, 2)}\n`);
  return path;
}
