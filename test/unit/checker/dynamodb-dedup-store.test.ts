import {
  ConditionalCheckFailedException,
  DeleteItemCommand,
  DynamoDBClient,
  InternalServerError,
  PutItemCommand,
  ProvisionedThroughputExceededException,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { DynamoDbDedupStore } from '../../../lambda/checker/adapters/dynamodb-dedup-store';
import { DedupStoreError } from '../../../lambda/shared/errors';
import { LOCAL_CLIENT_CONFIG } from '../../../local-aws/servers';

const ddb = mockClient(DynamoDBClient);
const NOW = new Date('2026-03-04T09:00:00.250Z');
const NOW_SECONDS = Math.floor(NOW.getTime() / 1000);
const EVENT_ID = 'shardId-000000000000:49650000000000000000000000000000000000000000000000000';

function aStore(): DynamoDbDedupStore {
  return new DynamoDbDedupStore('ctr-dedup', new DynamoDBClient(LOCAL_CLIENT_CONFIG));
}

function conditionFailed(): ConditionalCheckFailedException {
  return new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} });
}

beforeEach(() => ddb.reset());

describe('DynamoDbDedupStore.claim', () => {
  it('writes one conditional PutItem owned by the eventID, with the TTL and the contract condition', async () => {
    // Arrange
    ddb.on(PutItemCommand).resolves({});

    // Act
    const outcome = await aStore().claim({ key: 'fp-1', eventId: EVENT_ID, now: NOW, expiresAt: NOW_SECONDS + 7200 });

    // Assert
    expect(outcome).toBe('owned');
    expect(ddb).toHaveReceivedCommandTimes(PutItemCommand, 1);
    expect(ddb).toHaveReceivedCommandWith(PutItemCommand, {
      TableName: 'ctr-dedup',
      Item: {
        fingerprint: { S: 'fp-1' },
        claimedBy: { S: EVENT_ID },
        claimedAt: { S: '2026-03-04T09:00:00.250Z' },
        expiresAt: { N: String(NOW_SECONDS + 7200) },
      },
      ConditionExpression:
        'attribute_not_exists(fingerprint) OR expiresAt < :now OR (claimedBy = :eventId AND attribute_not_exists(deliveredAt))',
      ExpressionAttributeValues: { ':now': { N: String(NOW_SECONDS) }, ':eventId': { S: EVENT_ID } },
    });
    expect(ddb.commandCalls(PutItemCommand)[0]?.args[0].input.ReturnValuesOnConditionCheckFailure).toBeUndefined();
  });

  it('answers duplicate when the condition fails', async () => {
    // Arrange
    ddb.on(PutItemCommand).rejects(conditionFailed());

    // Act
    const outcome = await aStore().claim({ key: 'fp-1', eventId: EVENT_ID, now: NOW, expiresAt: NOW_SECONDS + 1 });

    // Assert
    expect(outcome).toBe('duplicate');
  });

  it.each([
    ['throttling', new ProvisionedThroughputExceededException({ message: 'slow down', $metadata: {} })],
    ['a server error', new InternalServerError({ message: 'boom', $metadata: {} })],
  ])('rejects with a DedupStoreError carrying the cause on %s', async (_, cause) => {
    // Arrange
    ddb.on(PutItemCommand).rejects(cause);

    // Act
    const claim = aStore().claim({ key: 'fp-1', eventId: EVENT_ID, now: NOW, expiresAt: NOW_SECONDS + 1 });

    // Assert
    await expect(claim).rejects.toBeInstanceOf(DedupStoreError);
    await expect(claim).rejects.toMatchObject({ cause });
  });
});

describe('DynamoDbDedupStore.markDelivered', () => {
  it('sets deliveredAt only on a claim this eventID holds', async () => {
    // Arrange
    ddb.on(UpdateItemCommand).resolves({});

    // Act
    await aStore().markDelivered('fp-1', EVENT_ID, NOW);

    // Assert
    expect(ddb).toHaveReceivedCommandWith(UpdateItemCommand, {
      TableName: 'ctr-dedup',
      Key: { fingerprint: { S: 'fp-1' } },
      UpdateExpression: 'SET deliveredAt = :deliveredAt',
      ConditionExpression: 'claimedBy = :eventId',
      ExpressionAttributeValues: { ':deliveredAt': { S: NOW.toISOString() }, ':eventId': { S: EVENT_ID } },
    });
  });

  it('treats a claim held by someone else as nothing to do', async () => {
    // Arrange
    ddb.on(UpdateItemCommand).rejects(conditionFailed());

    // Act / Assert
    await expect(aStore().markDelivered('fp-1', EVENT_ID, NOW)).resolves.toBeUndefined();
  });

  it('rejects with a DedupStoreError when DynamoDB fails', async () => {
    // Arrange
    ddb.on(UpdateItemCommand).rejects(new ProvisionedThroughputExceededException({ message: 'x', $metadata: {} }));

    // Act / Assert
    await expect(aStore().markDelivered('fp-1', EVENT_ID, NOW)).rejects.toBeInstanceOf(DedupStoreError);
  });
});

describe('DynamoDbDedupStore.release', () => {
  it('deletes the claim only if this eventID holds it', async () => {
    // Arrange
    ddb.on(DeleteItemCommand).resolves({});

    // Act
    await aStore().release('fp-1', EVENT_ID);

    // Assert
    expect(ddb).toHaveReceivedCommandWith(DeleteItemCommand, {
      TableName: 'ctr-dedup',
      Key: { fingerprint: { S: 'fp-1' } },
      ConditionExpression: 'claimedBy = :eventId',
      ExpressionAttributeValues: { ':eventId': { S: EVENT_ID } },
    });
  });

  it('treats a claim held by someone else as released already', async () => {
    // Arrange
    ddb.on(DeleteItemCommand).rejects(conditionFailed());

    // Act / Assert
    await expect(aStore().release('fp-1', EVENT_ID)).resolves.toBeUndefined();
  });

  it('rejects with a DedupStoreError when DynamoDB fails', async () => {
    // Arrange
    ddb.on(DeleteItemCommand).rejects(new InternalServerError({ message: 'x', $metadata: {} }));

    // Act / Assert
    await expect(aStore().release('fp-1', EVENT_ID)).rejects.toBeInstanceOf(DedupStoreError);
  });
});
