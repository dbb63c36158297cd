import { GetRecordsCommand, GetShardIteratorCommand, type KinesisClient } from '@aws-sdk/client-kinesis';
import { compareSequenceNumbers } from '../../lambda/checker/sequence-number';
import { isTransientAwsError } from '../../lambda/shared/backoff';

/** One record of a given-up range, as the stream still holds it. */
export interface RangeRecord {
  readonly sequenceNumber: string;
  readonly partitionKey: string;
  readonly data: Uint8Array;
}

export type RangeRead =
  /** What the stream still holds of the range, in order (all of it, or the part not yet expired). */
  | { readonly kind: 'read'; readonly records: readonly RangeRecord[] }
  /** The stream no longer holds the range at all (stream or shard gone, sequence numbers no longer valid). */
  | { readonly kind: 'gone'; readonly reason: string };

/** Empty GetRecords pages in a row before concluding the shard has nothing more (it may answer empty while behind). */
const MAX_EMPTY_PAGES = 20;

/**
 * Reads the records of `shardId` from `start` to `end` inclusive: GetShardIterator AT_SEQUENCE_NUMBER, then
 * GetRecords until a record past `end`, the end of the data (caught up, or a closed shard's last page), or
 * MAX_EMPTY_PAGES empty pages. Records the stream has trimmed (past its retention) are simply not there: the caller
 * compares what it got with the range's size. A refusal that retrying cannot fix (no such stream or shard, a sequence
 * number the shard no longer accepts) answers `gone`; any other error is thrown.
 */
export async function readRange(
  kinesis: KinesisClient,
  streamName: string,
  shardId: string,
  start: string,
  end: string,
): Promise<RangeRead> {
  let iterator: string | undefined;
  try {
    iterator = (
      await kinesis.send(
        new GetShardIteratorCommand({
          StreamName: streamName,
          ShardId: shardId,
          ShardIteratorType: 'AT_SEQUENCE_NUMBER',
          StartingSequenceNumber: start,
        }),
      )
    ).ShardIterator;
  } catch (error) {
    if (isGone(error)) return { kind: 'gone', reason: `${(error as Error).name}: ${(error as Error).message}` };
    throw error;
  }
  const records: RangeRecord[] = [];
  let emptyPages = 0;
  while (iterator) {
    const page = await kinesis.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 1_000 }));
    const received = page.Records ?? [];
    for (const record of received) {
      const sequenceNumber = record.SequenceNumber ?? '';
      if (compareSequenceNumbers(sequenceNumber, end) > 0) return { kind: 'read', records };
      if (compareSequenceNumbers(sequenceNumber, start) < 0) continue;
      records.push({ sequenceNumber, partitionKey: record.PartitionKey ?? '', data: record.Data ?? new Uint8Array() });
    }
    if (received.length === 0) {
      emptyPages += 1;
      if (page.MillisBehindLatest === 0 || emptyPages >= MAX_EMPTY_PAGES) break;
    } else emptyPages = 0;
    iterator = page.NextShardIterator;
  }
  return { kind: 'read', records };
}

function isGone(error: unknown): boolean {
  const name = (error as { name?: unknown }).name;
  return !isTransientAwsError(error) && (name === 'ResourceNotFoundException' || name === 'InvalidArgumentException');
}
