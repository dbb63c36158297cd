import {
  GetRecordsCommand,
  GetShardIteratorCommand,
  ListShardsCommand,
  type KinesisClient,
} from '@aws-sdk/client-kinesis';

/**
 * The eventIDs (`shardId:sequenceNumber`, as Lambda's event source names them) of every record the stream holds,
 * read from each shard's trim horizon to its tip. What the producer counts is not enough: a PutRecords that timed out
 * after Kinesis stored it is sent again, so the stream can hold more records than the producer saw accepted.
 */
export async function streamEventIds(kinesis: KinesisClient, streamName: string): Promise<Set<string>> {
  const ids = new Set<string>();
  const { Shards = [] } = await kinesis.send(new ListShardsCommand({ StreamName: streamName }));
  for (const shard of Shards) {
    const shardId = shard.ShardId!;
    let { ShardIterator: iterator } = await kinesis.send(
      new GetShardIteratorCommand({ StreamName: streamName, ShardId: shardId, ShardIteratorType: 'TRIM_HORIZON' }),
    );
    while (iterator) {
      const page = await kinesis.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 10_000 }));
      for (const record of page.Records ?? []) ids.add(`${shardId}:${record.SequenceNumber!}`);
      // At the tip: nothing returned and nothing behind. A closed shard ends with no next iterator.
      if ((page.Records ?? []).length === 0 && (page.MillisBehindLatest ?? 0) === 0) break;
      iterator = page.NextShardIterator;
    }
  }
  return ids;
}
