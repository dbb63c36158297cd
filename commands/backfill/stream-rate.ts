import { DescribeStreamSummaryCommand, type KinesisClient } from '@aws-sdk/client-kinesis';
import type { Rate } from './rate-limit';

/** What one shard takes in writes (PutRecords): 1,000 records and 1 MiB per second, in both capacity modes. */
export const SHARD_RECORDS_PER_SECOND = 1_000;
export const SHARD_BYTES_PER_SECOND = 1024 * 1024;

/** The share of the stream's write capacity a backfill takes: the rest stays for the live CTRs Connect writes. */
export const BACKFILL_SHARE = 0.5;

export interface StreamCapacity {
  readonly mode: string;
  readonly openShards: number;
}

/** The stream's capacity mode and open shard count (DescribeStreamSummary). */
export async function describeStreamCapacity(client: KinesisClient, streamName: string): Promise<StreamCapacity> {
  const answer = await client.send(new DescribeStreamSummaryCommand({ StreamName: streamName }));
  const summary = answer.StreamDescriptionSummary;
  return {
    mode: summary?.StreamModeDetails?.StreamMode ?? 'PROVISIONED',
    openShards: Math.max(1, summary?.OpenShardCount ?? 1),
  };
}

/**
 * The rate a backfill sends at by default: half the write capacity of the stream's open shards, in records and bytes.
 * A provisioned stream has exactly its shards' capacity. An on-demand stream has as many shards as its current
 * capacity needs (4 for a new stream: 4,000 records/s, 4 MiB/s) and grows only when writes stay near that for a
 * while, throttling anything over twice its recent peak: half its open shards' capacity is what it takes now without
 * starving the live traffic. Throttled entries are retried with backoff either way.
 */
export function defaultRate(capacity: StreamCapacity): Rate {
  return {
    recordsPerSecond: capacity.openShards * SHARD_RECORDS_PER_SECOND * BACKFILL_SHARE,
    bytesPerSecond: capacity.openShards * SHARD_BYTES_PER_SECOND * BACKFILL_SHARE,
  };
}
