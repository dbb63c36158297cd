import {
  ConditionalCheckFailedException,
  DynamoDBClient,
  PutItemCommand,
  UpdateItemCommand,
  type CreateTableCommandInput,
} from '@aws-sdk/client-dynamodb';
import type { FirehoseClient } from '@aws-sdk/client-firehose';
import type { KinesisStreamEvent } from 'aws-lambda';
import { decodeRecord } from '../../../lambda/checker/decode-record';
import { toStreamRecords } from '../../../lambda/checker/handler';
import type { DedupKeyStrategy } from '../../../lambda/shared/fingerprint';
import { putOneRecord, type BenchChecker } from '../bench-checker';
import type { TableShape } from '../cost-model';

/**
 * Baseline (b): the two-write idempotency protocol of the Powertools for AWS Lambda idempotency utility,
 * re-implemented from its documentation, wrapping a per-record handler that delivers the record to Firehose.
 * For each record, one after the other (as the synchronous batch processor runs them):
 * 1. claim: conditional PutItem of `{id, status: INPROGRESS, expiration, in_progress_expiration}`, succeeding when
 *    the key is absent, expired, or an in-progress claim whose Lambda timed out;
 * 2. a failed condition means the key was seen: the record is a duplicate (Powertools returns the stored result);
 * 3. otherwise run the handler (Firehose PutRecord) and mark the key COMPLETED with an UpdateItem.
 *
 * Its costs, which the bench measures: two writes per unique record, one per duplicate (in the batch or not), one
 * Firehose request per record, all in sequence. A duplicate is refused by the claim alone: like Powertools with
 * ReturnValuesOnConditionCheckFailure, no extra read (this favours the baseline over Powertools versions that
 * follow a failed claim with a GetItem).
 */

/** Idempotency records live this long (Powertools' default `expiresAfterSeconds` is one hour). */
export const TWO_WRITE_EXPIRES_AFTER_SECONDS = 3600;
/** How long an IN_PROGRESS claim blocks copies: Powertools uses the Lambda's remaining time. */
export const TWO_WRITE_IN_PROGRESS_MS = 60_000;
/** Powertools prefixes keys with the function name, so several functions can share one table. */
export const TWO_WRITE_KEY_PREFIX = 'ctr-lake-checker#';

export function twoWriteTable(tableName: string): CreateTableCommandInput {
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
    KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
  };
}

export const TWO_WRITE_TABLE_SHAPE: TableShape = {
  globalSecondaryIndexes: 0,
  consistentReads: true,
  writeUnitsPerItem: 1,
};

const CLAIM_CONDITION =
  'attribute_not_exists(#id) OR #expiry < :now OR ' +
  '(#status = :inProgress AND attribute_exists(#inProgressExpiry) AND #inProgressExpiry < :nowMs)';

export interface TwoWriteOptions {
  readonly dynamoDb: DynamoDBClient;
  readonly firehose: FirehoseClient;
  readonly tableName: string;
  readonly deliveryStreamName: string;
  /** @default 'content' */
  readonly keyStrategy?: DedupKeyStrategy;
  /** @default () => new Date() */
  readonly clock?: () => Date;
}

export class TwoWriteChecker implements BenchChecker {
  readonly design = 'twoWrite';

  constructor(private readonly options: TwoWriteOptions) {}

  async checkBatch(event: KinesisStreamEvent): Promise<void> {
    const { firehose, deliveryStreamName } = this.options;
    for (const record of toStreamRecords(event)) {
      const decoded = decodeRecord(record, this.options.keyStrategy ?? 'content');
      if (decoded.kind === 'quarantine') {
        await putOneRecord(firehose, deliveryStreamName, decoded.envelope);
        continue;
      }
      const id = `${TWO_WRITE_KEY_PREFIX}${decoded.key}`;
      if (!(await this.claimInProgress(id))) continue;
      await putOneRecord(firehose, deliveryStreamName, decoded.envelope);
      await this.markCompleted(id, decoded.fingerprint);
    }
  }

  private async claimInProgress(id: string): Promise<boolean> {
    const now = (this.options.clock ?? (() => new Date()))();
    try {
      await this.options.dynamoDb.send(
        new PutItemCommand({
          TableName: this.options.tableName,
          Item: {
            id: { S: id },
            status: { S: 'INPROGRESS' },
            expiration: { N: String(epochSeconds(now) + TWO_WRITE_EXPIRES_AFTER_SECONDS) },
            in_progress_expiration: { N: String(now.getTime() + TWO_WRITE_IN_PROGRESS_MS) },
          },
          ConditionExpression: CLAIM_CONDITION,
          ExpressionAttributeNames: {
            '#id': 'id',
            '#expiry': 'expiration',
            '#status': 'status',
            '#inProgressExpiry': 'in_progress_expiration',
          },
          ExpressionAttributeValues: {
            ':now': { N: String(epochSeconds(now)) },
            ':nowMs': { N: String(now.getTime()) },
            ':inProgress': { S: 'INPROGRESS' },
          },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  private async markCompleted(id: string, fingerprint: string): Promise<void> {
    const now = (this.options.clock ?? (() => new Date()))();
    await this.options.dynamoDb.send(
      new UpdateItemCommand({
        TableName: this.options.tableName,
        Key: { id: { S: id } },
        UpdateExpression: 'SET #status = :completed, #expiry = :expiry, #data = :data',
        ExpressionAttributeNames: { '#status': 'status', '#expiry': 'expiration', '#data': 'data' },
        ExpressionAttributeValues: {
          ':completed': { S: 'COMPLETED' },
          ':expiry': { N: String(epochSeconds(now) + TWO_WRITE_EXPIRES_AFTER_SECONDS) },
          ':data': { S: JSON.stringify({ delivered: fingerprint }) },
        },
      }),
    );
  }
}

function epochSeconds(date: Date): number {
  return Math.floor(date.getTime() / 1000);
}
