import {
  BatchWriteItemCommand,
  ConditionalCheckFailedException,
  DeleteItemCommand,
  DynamoDBClient,
  PutItemCommand,
  type AttributeValue,
  type WriteRequest,
} from '@aws-sdk/client-dynamodb';
import { abortableSleep, computeBackoffMs } from '../../shared/backoff';
import { DedupStoreError } from '../../shared/errors';
import { mapWithConcurrency } from '../concurrency';
import type { ClaimHolder, ClaimRequest, ClaimResult, DedupStore, DeliveredClaim } from '../ports';

/**
 * The claim condition (docs/CONTRACTS.md): the key is free; its claim expired (TTL deletes lazily, so an expired
 * item may still be there); or it is not marked delivered and either this same Kinesis record claimed it (a
 * redelivery) or its lease ran out (its invocation is over: a stale claim, taken over).
 */
export const CLAIM_CONDITION =
  'attribute_not_exists(fingerprint) OR expiresAt < :now OR (attribute_not_exists(deliveredAt) AND (claimedBy = :eventId OR leaseUntil < :nowMs))';
/** Added when the core knows the holder is done although its lease runs on (claim-holder.ts). */
export const TAKE_OVER_CONDITION = '(attribute_not_exists(deliveredAt) AND claimedBy = :staleHolder)';
/** A release only drops a claim this record still holds and never delivered. */
export const RELEASE_CONDITION = 'claimedBy = :eventId AND attribute_not_exists(deliveredAt)';
/** BatchWriteItem's limit. */
export const MAX_MARKS_PER_REQUEST = 25;
/** BatchWriteItem calls per chunk, the first included, while DynamoDB returns unprocessed items. */
const MARK_ATTEMPTS = 4;
const MARK_CONCURRENCY = 8;

/**
 * DedupStore on a DynamoDB table with partition key `fingerprint` (S) and TTL attribute `expiresAt`. Claims are
 * conditional PutItems that return the item they met when refused (ReturnValuesOnConditionCheckFailure ALL_OLD,
 * which costs no extra request) and the item they replaced when applied (ReturnValues ALL_OLD); marks are
 * BatchWriteItem puts of the whole claim with `deliveredAt`, unconditional because "this CTR is in Firehose" stays
 * true whoever holds the key; releases are conditional DeleteItems. The client is built with default config unless
 * injected, so AWS_ENDPOINT_URL_DYNAMODB points it at a local server; the SDK's own retries absorb brief throttling.
 */
export class DynamoDbDedupStore implements DedupStore {
  private readonly client: DynamoDBClient;

  constructor(
    private readonly tableName: string,
    client?: DynamoDBClient,
  ) {
    this.client = client ?? new DynamoDBClient({});
  }

  async claim(request: ClaimRequest): Promise<ClaimResult> {
    const takeOver = request.takeOverFrom !== undefined;
    try {
      const output = await this.client.send(
        new PutItemCommand({
          TableName: this.tableName,
          Item: claimItem(request.key, request.eventId, request.now, request.expiresAt, request.leaseUntil),
          ConditionExpression: takeOver ? `${CLAIM_CONDITION} OR ${TAKE_OVER_CONDITION}` : CLAIM_CONDITION,
          ExpressionAttributeValues: {
            ':now': { N: String(epochSeconds(request.now)) },
            ':nowMs': { N: String(request.now.getTime()) },
            ':eventId': { S: request.eventId },
            ...(takeOver ? { ':staleHolder': { S: request.takeOverFrom ?? '' } } : {}),
          },
          ReturnValues: 'ALL_OLD',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
        withSignal(request.signal),
      );
      const replaced = holderOf(output.Attributes);
      return replaced === undefined ? { outcome: 'owned' } : { outcome: 'owned', replaced };
    } catch (error) {
      if (isConditionFailure(error)) return { outcome: 'held', holder: holderOf(error.Item) };
      throw new DedupStoreError(`claim of ${request.key} failed`, { cause: error });
    }
  }

  async markDelivered(claims: readonly DeliveredClaim[], now: Date, signal?: AbortSignal): Promise<readonly string[]> {
    const chunks: DeliveredClaim[][] = [];
    for (let i = 0; i < claims.length; i += MAX_MARKS_PER_REQUEST) {
      chunks.push(claims.slice(i, i + MAX_MARKS_PER_REQUEST));
    }
    const failed = await mapWithConcurrency(chunks, MARK_CONCURRENCY, (chunk) => this.markChunk(chunk, now, signal));
    return failed.flat();
  }

  async release(key: string, eventId: string, signal?: AbortSignal): Promise<boolean> {
    try {
      const output = await this.client.send(
        new DeleteItemCommand({
          TableName: this.tableName,
          Key: { fingerprint: { S: key } },
          ConditionExpression: RELEASE_CONDITION,
          ExpressionAttributeValues: { ':eventId': { S: eventId } },
          ReturnValues: 'ALL_OLD',
        }),
        withSignal(signal),
      );
      return output.Attributes !== undefined;
    } catch (error) {
      // Gone, someone else's, or delivered: nothing of ours to release.
      if (isConditionFailure(error)) return false;
      throw new DedupStoreError(`releasing ${key} failed`, { cause: error });
    }
  }

  /** One BatchWriteItem of ≤ 25 marks, resent while DynamoDB leaves items unprocessed; answers the keys not marked. */
  private async markChunk(chunk: readonly DeliveredClaim[], now: Date, signal?: AbortSignal): Promise<string[]> {
    let pending: WriteRequest[] = chunk.map((claim) => ({
      PutRequest: {
        Item: {
          ...claimItem(claim.key, claim.eventId, claim.claimedAt, claim.expiresAt, claim.leaseUntil),
          deliveredAt: { S: now.toISOString() },
        },
      },
    }));
    for (let attempt = 0; attempt < MARK_ATTEMPTS && pending.length > 0 && !signal?.aborted; attempt++) {
      if (attempt > 0) await abortableSleep(computeBackoffMs(attempt - 1), signal);
      try {
        const output = await this.client.send(
          new BatchWriteItemCommand({ RequestItems: { [this.tableName]: pending } }),
          withSignal(signal),
        );
        pending = output.UnprocessedItems?.[this.tableName] ?? [];
      } catch {
        // Throttled, failed or aborted as a whole: the SDK already retried what it could; try again while time lasts.
      }
    }
    return pending.map((request) => request.PutRequest?.Item?.fingerprint?.S ?? '');
  }
}

function claimItem(
  key: string,
  eventId: string,
  claimedAt: Date,
  expiresAt: number,
  leaseUntil: number,
): Record<string, AttributeValue> {
  return {
    fingerprint: { S: key },
    claimedBy: { S: eventId },
    claimedAt: { S: claimedAt.toISOString() },
    expiresAt: { N: String(expiresAt) },
    leaseUntil: { N: String(leaseUntil) },
  };
}

/** A claim item as DynamoDB returned it, or undefined when there was none (or it is not a claim). */
function holderOf(item: Record<string, AttributeValue> | undefined): ClaimHolder | undefined {
  const claimedBy = item?.claimedBy?.S;
  if (item === undefined || claimedBy === undefined) return undefined;
  const leaseUntil = item.leaseUntil?.N === undefined ? undefined : Number(item.leaseUntil.N);
  return {
    claimedBy,
    expiresAt: Number(item.expiresAt?.N ?? 0),
    ...(leaseUntil === undefined ? {} : { leaseUntil }),
    delivered: item.deliveredAt !== undefined,
  };
}

function withSignal(signal: AbortSignal | undefined): { abortSignal?: AbortSignal } {
  return signal === undefined ? {} : { abortSignal: signal };
}

/** By class, and by name in case two copies of the SDK package are loaded (the class would then differ). */
function isConditionFailure(error: unknown): error is ConditionalCheckFailedException {
  return (
    error instanceof ConditionalCheckFailedException ||
    (error instanceof Error && error.name === 'ConditionalCheckFailedException')
  );
}

function epochSeconds(date: Date): number {
  return Math.floor(date.getTime() / 1000);
}
