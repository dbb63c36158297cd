import {
  BatchWriteItemCommand,
  ConditionalCheckFailedException,
  DeleteItemCommand,
  DynamoDBClient,
  InternalServerError,
  PutItemCommand,
  ProvisionedThroughputExceededException,
  type BatchWriteItemCommandInput,
} from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import {
  CLAIM_CONDITION,
  DynamoDbDedupStore,
  MAX_MARKS_PER_REQUEST,
  RELEASE_CONDITION,
} from '../../../lambda/checker/adapters/dynamodb-dedup-store';
import type { ClaimRequest, DeliveredClaim } from '../../../lambda/checker/ports';
import { DedupStoreError } from '../../../lambda/shared/errors';
import { LOCAL_CLIENT_CONFIG } from '../../../local-aws/servers';

const ddb = mockClient(DynamoDBClient);
const NOW = new Date('2026-03-04T09:00:00.250Z');
const NOW_SECONDS = Math.floor(NOW.getTime() / 1000);
const LEASE = NOW.getTime() + 125_000;
const EVENT_ID = 'shardId-000000000000:49650000000000000000000000000000000000000000000000000';
const OTHER_ID = 'shardId-000000000001:49650000000000000000000000000000000000000000000000777';

function aStore(): DynamoDbDedupStore {
  return new DynamoDbDedupStore('ctr-dedup', new DynamoDBClient(LOCAL_CLIENT_CONFIG));
}

function aClaim(overrides: Partial<ClaimRequest> = {}): ClaimRequest {
  return { key: 'fp-1', eventId: EVENT_ID, now: NOW, expiresAt: NOW_SECONDS + 7200, leaseUntil: LEASE, ...overrides };
}

function conditionFailed(item?: ConditionalCheckFailedException['Item']): ConditionalCheckFailedException {
  return new ConditionalCheckFailedException({
    message: 'The conditional request failed',
    $metadata: {},
    ...(item ? { Item: item } : {}),
  });
}

beforeEach(() => ddb.reset());

describe('DynamoDbDedupStore.claim', () => {
  it('writes one conditional PutItem owned by the eventID, with the TTL, the lease and the contract condition', async () => {
    // Arrange
    ddb.on(PutItemCommand).resolves({});

    // Act
    const result = await aStore().claim(aClaim());

    // Assert
    expect(result).toEqual({ outcome: 'owned' });
    expect(ddb).toHaveReceivedCommandTimes(PutItemCommand, 1);
    expect(ddb).toHaveReceivedCommandWith(PutItemCommand, {
      TableName: 'ctr-dedup',
      Item: {
        fingerprint: { S: 'fp-1' },
        claimedBy: { S: EVENT_ID },
        claimedAt: { S: '2026-03-04T09:00:00.250Z' },
        expiresAt: { N: String(NOW_SECONDS + 7200) },
        leaseUntil: { N: String(LEASE) },
      },
      ConditionExpression:
        'attribute_not_exists(fingerprint) OR expiresAt < :now OR (attribute_not_exists(deliveredAt) AND (claimedBy = :eventId OR leaseUntil < :nowMs))',
      ExpressionAttributeValues: {
        ':now': { N: String(NOW_SECONDS) },
        ':nowMs': { N: String(NOW.getTime()) },
        ':eventId': { S: EVENT_ID },
      },
      ReturnValues: 'ALL_OLD',
      ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
    });
  });

  it('adds the take-over branch for a named stale holder', async () => {
    // Arrange
    ddb.on(PutItemCommand).resolves({});

    // Act
    await aStore().claim(aClaim({ takeOverFrom: OTHER_ID }));

    // Assert
    const input = ddb.commandCalls(PutItemCommand)[0]?.args[0].input;
    expect(input?.ConditionExpression).toBe(
      `${CLAIM_CONDITION} OR (attribute_not_exists(deliveredAt) AND claimedBy = :staleHolder)`,
    );
    expect(input?.ExpressionAttributeValues?.[':staleHolder']).toEqual({ S: OTHER_ID });
  });

  it('answers the claim it replaced, from ALL_OLD', async () => {
    // Arrange
    ddb.on(PutItemCommand).resolves({
      Attributes: {
        fingerprint: { S: 'fp-1' },
        claimedBy: { S: OTHER_ID },
        expiresAt: { N: '5' },
        leaseUntil: { N: '9' },
      },
    });

    // Act
    const result = await aStore().claim(aClaim());

    // Assert
    expect(result).toEqual({
      outcome: 'owned',
      replaced: { claimedBy: OTHER_ID, expiresAt: 5, leaseUntil: 9, delivered: false },
    });
  });

  it('answers held with the claim it met when the condition fails', async () => {
    // Arrange
    ddb.on(PutItemCommand).rejects(
      conditionFailed({
        fingerprint: { S: 'fp-1' },
        claimedBy: { S: OTHER_ID },
        expiresAt: { N: String(NOW_SECONDS + 60) },
        leaseUntil: { N: String(LEASE) },
        deliveredAt: { S: NOW.toISOString() },
      }),
    );

    // Act
    const result = await aStore().claim(aClaim());

    // Assert
    expect(result).toEqual({
      outcome: 'held',
      holder: { claimedBy: OTHER_ID, expiresAt: NOW_SECONDS + 60, leaseUntil: LEASE, delivered: true },
    });
  });

  it('answers held with no holder when the server did not return the item it met', async () => {
    // Arrange
    ddb.on(PutItemCommand).rejects(conditionFailed());

    // Act / Assert
    await expect(aStore().claim(aClaim())).resolves.toEqual({ outcome: 'held', holder: undefined });
  });

  it.each([
    ['throttling', new ProvisionedThroughputExceededException({ message: 'slow down', $metadata: {} })],
    ['a server error', new InternalServerError({ message: 'boom', $metadata: {} })],
  ])('rejects with a DedupStoreError carrying the cause on %s', async (_, cause) => {
    // Arrange
    ddb.on(PutItemCommand).rejects(cause);

    // Act
    const claim = aStore().claim(aClaim());

    // Assert
    await expect(claim).rejects.toBeInstanceOf(DedupStoreError);
    await expect(claim).rejects.toMatchObject({ cause });
  });
});

describe('DynamoDbDedupStore.markDelivered', () => {
  const claims = (n: number): DeliveredClaim[] =>
    Array.from({ length: n }, (_, i) => ({
      key: `fp-${i}`,
      eventId: EVENT_ID,
      claimedAt: NOW,
      expiresAt: NOW_SECONDS + 7200,
      leaseUntil: LEASE,
    }));

  it('puts each whole claim with deliveredAt, 25 to a BatchWriteItem', async () => {
    // Arrange
    ddb.on(BatchWriteItemCommand).resolves({});

    // Act
    const failed = await aStore().markDelivered(claims(MAX_MARKS_PER_REQUEST + 1), NOW);

    // Assert
    expect(failed).toEqual([]);
    const requests = ddb
      .commandCalls(BatchWriteItemCommand)
      .map((call) => call.args[0].input.RequestItems?.['ctr-dedup']);
    expect(requests.map((r) => r?.length)).toEqual([25, 1]);
    expect(requests[1]?.[0]).toEqual({
      PutRequest: {
        Item: {
          fingerprint: { S: 'fp-25' },
          claimedBy: { S: EVENT_ID },
          claimedAt: { S: NOW.toISOString() },
          expiresAt: { N: String(NOW_SECONDS + 7200) },
          leaseUntil: { N: String(LEASE) },
          deliveredAt: { S: NOW.toISOString() },
        },
      },
    });
  });

  it('resends what DynamoDB left unprocessed, and answers the keys it could not mark', async () => {
    // Arrange: fp-1 comes back unprocessed every time
    ddb.on(BatchWriteItemCommand).callsFake((input: BatchWriteItemCommandInput) => ({
      UnprocessedItems: {
        'ctr-dedup': (input.RequestItems?.['ctr-dedup'] ?? []).filter(
          (request) => request.PutRequest?.Item?.fingerprint?.S === 'fp-1',
        ),
      },
    }));

    // Act
    const failed = await aStore().markDelivered(claims(3), NOW);

    // Assert
    expect(failed).toEqual(['fp-1']);
    const sizes = ddb
      .commandCalls(BatchWriteItemCommand)
      .map((c) => c.args[0].input.RequestItems?.['ctr-dedup']?.length);
    expect(sizes).toEqual([3, 1, 1, 1]);
  });

  it('answers every key of a chunk whose calls failed, without throwing', async () => {
    // Arrange
    ddb.on(BatchWriteItemCommand).rejects(new InternalServerError({ message: 'x', $metadata: {} }));

    // Act / Assert
    await expect(aStore().markDelivered(claims(2), NOW)).resolves.toEqual(['fp-0', 'fp-1']);
  });

  it('starts no call once the signal has aborted', async () => {
    // Arrange
    const controller = new AbortController();
    controller.abort();

    // Act
    const failed = await aStore().markDelivered(claims(2), NOW, controller.signal);

    // Assert
    expect(failed).toEqual(['fp-0', 'fp-1']);
    expect(ddb).toHaveReceivedCommandTimes(BatchWriteItemCommand, 0);
  });
});

describe('DynamoDbDedupStore.release', () => {
  it('deletes the claim only if this eventID holds it and it was not delivered', async () => {
    // Arrange
    ddb.on(DeleteItemCommand).resolves({});

    // Act
    const released = await aStore().release('fp-1', EVENT_ID);

    // Assert
    expect(released).toBe(false);
    expect(ddb).toHaveReceivedCommandWith(DeleteItemCommand, {
      TableName: 'ctr-dedup',
      Key: { fingerprint: { S: 'fp-1' } },
      ConditionExpression: 'claimedBy = :eventId AND attribute_not_exists(deliveredAt)',
      ExpressionAttributeValues: { ':eventId': { S: EVENT_ID } },
      ReturnValues: 'ALL_OLD',
    });
    expect(RELEASE_CONDITION).toBe('claimedBy = :eventId AND attribute_not_exists(deliveredAt)');
  });

  it('answers true when it dropped a claim (the item it deleted)', async () => {
    // Arrange
    ddb.on(DeleteItemCommand).resolves({ Attributes: { fingerprint: { S: 'fp-1' }, claimedBy: { S: EVENT_ID } } });

    // Act / Assert
    await expect(aStore().release('fp-1', EVENT_ID)).resolves.toBe(true);
  });

  it('treats a claim held by someone else, or delivered, as nothing to release', async () => {
    // Arrange
    ddb.on(DeleteItemCommand).rejects(conditionFailed());

    // Act / Assert
    await expect(aStore().release('fp-1', EVENT_ID)).resolves.toBe(false);
  });

  it('rejects with a DedupStoreError when DynamoDB fails', async () => {
    // Arrange
    ddb.on(DeleteItemCommand).rejects(new InternalServerError({ message: 'x', $metadata: {} }));

    // Act / Assert
    await expect(aStore().release('fp-1', EVENT_ID)).rejects.toBeInstanceOf(DedupStoreError);
  });
});
