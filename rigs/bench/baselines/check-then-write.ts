import { DynamoDBClient, PutItemCommand, QueryCommand, type CreateTableCommandInput } from '@aws-sdk/client-dynamodb';
import type { FirehoseClient } from '@aws-sdk/client-firehose';
import type { KinesisStreamBatchResponse, KinesisStreamEvent } from 'aws-lambda';
import { decodeRecord } from '../../../lambda/checker/decode-record';
import { toStreamRecords } from '../../../lambda/checker/handler';
import type { DedupKeyStrategy } from '../../../lambda/shared/fingerprint';
import { putOneRecord, type BenchChecker } from '../bench-checker';
import type { TableShape } from '../capacity-units';

/**
 * Baseline (a): the check-then-write design of the public sample ctr-lake starts from, re-implemented from its
 * description. For each record, one after the other: Query a global secondary index on the record's hash; if no
 * item comes back, PutItem the record's hash and deliver the record to Firehose with PutRecord.
 *
 * Its costs, which the bench measures: two DynamoDB requests per unique record (the Query, the PutItem, and the
 * PutItem also writes the index), one per duplicate whether it is in the batch or not, one Firehose request per
 * record, and every round trip in sequence. Its correctness gap, which the bench does not exercise: the Query and
 * the PutItem are separate requests, and a GSI is only eventually consistent, so two copies processed close together
 * (two shards, or a retry racing a slow write) can both find nothing and both be delivered.
 *
 * Records are decoded exactly as the real checker decodes them (decode-record.ts), so the comparison measures the
 * dedup protocol, not a different parser. Records that cannot be CTRs are forwarded, as ours does.
 */
export const CHECK_THEN_WRITE_HASH_INDEX = 'hash-index';

/** The table: one item per stored record, keyed by the Kinesis eventID, with a GSI on the content hash. */
export function checkThenWriteTable(tableName: string): CreateTableCommandInput {
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [
      { AttributeName: 'id', AttributeType: 'S' },
      { AttributeName: 'hash', AttributeType: 'S' },
    ],
    KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
    GlobalSecondaryIndexes: [
      {
        IndexName: CHECK_THEN_WRITE_HASH_INDEX,
        KeySchema: [{ AttributeName: 'hash', KeyType: 'HASH' }],
        Projection: { ProjectionType: 'KEYS_ONLY' },
      },
    ],
  };
}

/** Every PutItem also updates the hash index; GSI queries are eventually consistent. */
export const CHECK_THEN_WRITE_TABLE_SHAPE: TableShape = {
  globalSecondaryIndexes: 1,
  consistentReads: false,
  writeUnitsPerItem: 1,
};

export interface CheckThenWriteOptions {
  readonly dynamoDb: DynamoDBClient;
  readonly firehose: FirehoseClient;
  readonly tableName: string;
  readonly deliveryStreamName: string;
  /** @default 'content' */
  readonly keyStrategy?: DedupKeyStrategy;
}

export class CheckThenWriteChecker implements BenchChecker {
  readonly design = 'checkThenWrite';

  constructor(private readonly options: CheckThenWriteOptions) {}

  async checkBatch(event: KinesisStreamEvent): Promise<KinesisStreamBatchResponse> {
    const { dynamoDb, firehose, tableName, deliveryStreamName } = this.options;
    for (const record of toStreamRecords(event)) {
      const decoded = decodeRecord(record, this.options.keyStrategy ?? 'content');
      if (decoded.kind === 'quarantine') {
        await putOneRecord(firehose, deliveryStreamName, decoded.envelope);
        continue;
      }
      const found = await dynamoDb.send(
        new QueryCommand({
          TableName: tableName,
          IndexName: CHECK_THEN_WRITE_HASH_INDEX,
          KeyConditionExpression: '#hash = :hash',
          ExpressionAttributeNames: { '#hash': 'hash' },
          ExpressionAttributeValues: { ':hash': { S: decoded.key } },
          Limit: 1,
        }),
      );
      if ((found.Count ?? 0) > 0) continue;
      await dynamoDb.send(
        new PutItemCommand({
          TableName: tableName,
          Item: {
            id: { S: record.eventId },
            hash: { S: decoded.key },
            contactId: { S: decoded.contactId },
            storedAt: { S: new Date().toISOString() },
          },
        }),
      );
      await putOneRecord(firehose, deliveryStreamName, decoded.envelope);
    }
    // Any failure threw: the whole batch is retried, the only recovery a per-record design without partial answers has.
    return { batchItemFailures: [] };
  }
}
