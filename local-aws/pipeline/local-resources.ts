import {
  CreateTableCommand,
  DescribeTableCommand,
  ResourceNotFoundException,
  UpdateTimeToLiveCommand,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import {
  CreateStreamCommand,
  DescribeStreamSummaryCommand,
  ResourceInUseException,
  waitUntilStreamExists,
  type KinesisClient,
} from '@aws-sdk/client-kinesis';
import { dedupTableDefinition } from './dedup-table';

/** The dedup table's TTL attribute (docs/CONTRACTS.md). */
export const TTL_ATTRIBUTE = 'expiresAt';

/**
 * Creates the dedup table unless it exists (its state persists beside the lake between runs), keyed like the
 * stack's table, and turns TTL on where the server implements it. dynalite does not: expired claims are then kept
 * but count as absent, since the claim condition itself checks `expiresAt < :now`.
 * Returns whether TTL is on.
 */
export async function ensureDedupTable(client: DynamoDBClient, tableName: string): Promise<{ ttl: boolean }> {
  try {
    await client.send(new DescribeTableCommand({ TableName: tableName }));
  } catch (error) {
    if (!(error instanceof ResourceNotFoundException)) throw error;
    await client.send(new CreateTableCommand(dedupTableDefinition(tableName)));
  }
  try {
    await client.send(
      new UpdateTimeToLiveCommand({
        TableName: tableName,
        TimeToLiveSpecification: { AttributeName: TTL_ATTRIBUTE, Enabled: true },
      }),
    );
    return { ttl: true };
  } catch (error) {
    const name = (error as { name?: string }).name;
    if (name === 'UnknownOperationException') return { ttl: false }; // dynalite
    if (name === 'ValidationException' && /already enabled/i.test((error as Error).message)) return { ttl: true };
    throw error;
  }
}

/**
 * Creates the stream with its shards and waits until it is ACTIVE; returns its ARN. On a loaded machine the SDK can
 * time out a CreateStream that kinesalite carried out and send it again, which then finds the stream: a stream that
 * already exists with the shards asked for is taken as created.
 */
export async function createStream(client: KinesisClient, streamName: string, shardCount: number): Promise<string> {
  try {
    await client.send(new CreateStreamCommand({ StreamName: streamName, ShardCount: shardCount }));
  } catch (error) {
    if (!(error instanceof ResourceInUseException)) throw error;
  }
  await waitUntilStreamExists({ client, maxWaitTime: 30, minDelay: 0.05, maxDelay: 0.2 }, { StreamName: streamName });
  const summary = await client.send(new DescribeStreamSummaryCommand({ StreamName: streamName }));
  const { StreamARN: arn, OpenShardCount: shards } = summary.StreamDescriptionSummary ?? {};
  if (!arn) throw new Error(`stream ${streamName} has no ARN`);
  if (shards !== shardCount) {
    throw new Error(`stream ${streamName} exists with ${shards} shards, not the ${shardCount} asked for`);
  }
  return arn;
}
