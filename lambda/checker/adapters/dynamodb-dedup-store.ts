import {
  ConditionalCheckFailedException,
  DeleteItemCommand,
  DynamoDBClient,
  PutItemCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { DedupStoreError } from '../../shared/errors';
import type { ClaimOutcome, ClaimRequest, DedupStore } from '../ports';

/**
 * The claim condition (docs/CONTRACTS.md): the key is free, its claim expired (TTL deletes lazily, so an expired
 * item may still be there), or this same Kinesis record claimed it and did not deliver it yet.
 */
export const CLAIM_CONDITION =
  'attribute_not_exists(fingerprint) OR expiresAt < :now OR (claimedBy = :eventId AND attribute_not_exists(deliveredAt))';
/** Failure-path writes only touch a claim this record still holds. */
export const OWNED_BY_CONDITION = 'claimedBy = :eventId';

/**
 * DedupStore on a DynamoDB table with partition key `fingerprint` (S) and TTL attribute `expiresAt`. Plain
 * conditional writes only (no transactions, no ReturnValuesOnConditionCheckFailure), so dynalite and DynamoDB Local
 * behave exactly as DynamoDB does. The client is built with default config unless injected, so
 * AWS_ENDPOINT_URL_DYNAMODB points it at a local server; the SDK's own retries absorb brief throttling.
 */
export class DynamoDbDedupStore implements DedupStore {
  private readonly client: DynamoDBClient;

  constructor(
    private readonly tableName: string,
    client?: DynamoDBClient,
  ) {
    this.client = client ?? new DynamoDBClient({});
  }

  async claim(request: ClaimRequest): Promise<ClaimOutcome> {
    try {
      await this.client.send(
        new PutItemCommand({
          TableName: this.tableName,
          Item: {
            fingerprint: { S: request.key },
            claimedBy: { S: request.eventId },
            claimedAt: { S: request.now.toISOString() },
            expiresAt: { N: String(request.expiresAt) },
          },
          ConditionExpression: CLAIM_CONDITION,
          ExpressionAttributeValues: {
            ':now': { N: String(epochSeconds(request.now)) },
            ':eventId': { S: request.eventId },
          },
        }),
      );
      return 'owned';
    } catch (error) {
      if (isConditionFailure(error)) return 'duplicate';
      throw new DedupStoreError(`claim of ${request.key} failed`, { cause: error });
    }
  }

  async markDelivered(key: string, eventId: string, now: Date): Promise<void> {
    try {
      await this.client.send(
        new UpdateItemCommand({
          TableName: this.tableName,
          Key: { fingerprint: { S: key } },
          UpdateExpression: 'SET deliveredAt = :deliveredAt',
          ConditionExpression: OWNED_BY_CONDITION,
          ExpressionAttributeValues: { ':deliveredAt': { S: now.toISOString() }, ':eventId': { S: eventId } },
        }),
      );
    } catch (error) {
      // The claim is gone or someone else's: nothing of ours to mark, and no retry of ours will re-own it.
      if (isConditionFailure(error)) return;
      throw new DedupStoreError(`marking ${key} delivered failed`, { cause: error });
    }
  }

  async release(key: string, eventId: string): Promise<void> {
    try {
      await this.client.send(
        new DeleteItemCommand({
          TableName: this.tableName,
          Key: { fingerprint: { S: key } },
          ConditionExpression: OWNED_BY_CONDITION,
          ExpressionAttributeValues: { ':eventId': { S: eventId } },
        }),
      );
    } catch (error) {
      if (isConditionFailure(error)) return;
      throw new DedupStoreError(`releasing ${key} failed`, { cause: error });
    }
  }
}

/** By class, and by name in case two copies of the SDK package are loaded (the class would then differ). */
function isConditionFailure(error: unknown): boolean {
  return (
    error instanceof ConditionalCheckFailedException ||
    (error instanceof Error && error.name === 'ConditionalCheckFailedException')
  );
}

function epochSeconds(date: Date): number {
  return Math.floor(date.getTime() / 1000);
}
