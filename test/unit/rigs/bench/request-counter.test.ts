import {
  BatchWriteItemCommand,
  ConditionalCheckFailedException,
  DynamoDBClient,
  PutItemCommand,
} from '@aws-sdk/client-dynamodb';
import { createServer } from 'node:http';
import { RequestCounter } from '../../../../rigs/bench/request-counter';
import { listenOnLoopback, LOCAL_CLIENT_CONFIG, type LocalServer } from '../../../../local-aws/servers';

/**
 * A DynamoDB endpoint scripted per request: each answer is [status, error type or undefined]. It lets the test see
 * what the counter makes of retries and of a failed condition without depending on an emulator's behaviour.
 */
async function aScriptedDynamoDb(answers: Array<[number, string | undefined]>): Promise<LocalServer> {
  let next = 0;
  const server = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      const [status, errorType] = answers[Math.min(next++, answers.length - 1)] ?? [200, undefined];
      const body = errorType
        ? JSON.stringify({ __type: `com.amazonaws.dynamodb.v20120810#${errorType}`, message: errorType })
        : '{}';
      response.writeHead(status, { 'content-type': 'application/x-amz-json-1.0' });
      response.end(body);
    });
  });
  return listenOnLoopback('scripted-dynamodb', server);
}

const aPut = (): PutItemCommand => new PutItemCommand({ TableName: 't', Item: { fingerprint: { S: 'fp' } } });

describe('RequestCounter', () => {
  it('counts every attempt of a retried call, with the outcome of each', async () => {
    // Arrange
    const server = await aScriptedDynamoDb([
      [500, 'InternalServerError'],
      [200, undefined],
    ]);
    const counter = new RequestCounter();
    const client = new DynamoDBClient({ ...LOCAL_CLIENT_CONFIG, endpoint: server.endpoint, maxAttempts: 3 });
    counter.attach(client, 'dynamodb');

    // Act
    await client.send(aPut());

    // Assert
    expect(counter.tally()).toEqual([
      { service: 'dynamodb', operation: 'PutItem', outcome: 'InternalServerError', count: 1 },
      { service: 'dynamodb', operation: 'PutItem', outcome: 'ok', count: 1 },
    ]);
    expect(counter.total()).toBe(2);
    client.destroy();
    await server.stop();
  });

  it('names a refused condition by its modelled exception and still lets the caller see it', async () => {
    // Arrange
    const server = await aScriptedDynamoDb([[400, 'ConditionalCheckFailedException']]);
    const counter = new RequestCounter();
    const client = new DynamoDBClient({ ...LOCAL_CLIENT_CONFIG, endpoint: server.endpoint });
    counter.attach(client, 'dynamodb');

    // Act
    const outcome = client.send(aPut());

    // Assert
    await expect(outcome).rejects.toBeInstanceOf(ConditionalCheckFailedException);
    expect(counter.tally()).toEqual([
      { service: 'dynamodb', operation: 'PutItem', outcome: 'ConditionalCheckFailedException', count: 1 },
    ]);
    client.destroy();
    await server.stop();
  });

  it('counts the items a BatchWriteItem wrote apart from the request, less those left unprocessed', async () => {
    // Arrange: DynamoDB leaves one of the three puts unprocessed.
    const unprocessed = { t: [{ PutRequest: { Item: { fingerprint: { S: 'c' } } } }] };
    const server = await listenOnLoopback(
      'batch-dynamodb',
      createServer((request, response) => {
        request.resume();
        request.on('end', () => {
          response.writeHead(200, { 'content-type': 'application/x-amz-json-1.0' });
          response.end(JSON.stringify({ UnprocessedItems: unprocessed }));
        });
      }),
    );
    const counter = new RequestCounter();
    const client = new DynamoDBClient({ ...LOCAL_CLIENT_CONFIG, endpoint: server.endpoint });
    counter.attach(client, 'dynamodb');
    const put = (fingerprint: string) => ({ PutRequest: { Item: { fingerprint: { S: fingerprint } } } });

    // Act
    await client.send(new BatchWriteItemCommand({ RequestItems: { t: [put('a'), put('b'), put('c')] } }));

    // Assert
    expect(counter.tally()).toEqual([
      { service: 'dynamodb', operation: 'BatchWriteItem', outcome: 'ok', count: 1 },
      { service: 'dynamodb', operation: 'BatchWriteItem:items', outcome: 'ok', count: 2 },
    ]);
    expect(counter.total('dynamodb')).toBe(1);
    client.destroy();
    await server.stop();
  });

  it('keeps services apart in totals and forgets everything on reset', () => {
    // Arrange
    const counter = new RequestCounter();
    counter.record('dynamodb', 'PutItem', 'ok', 3);
    counter.record('firehose', 'PutRecordBatch', 'ok');

    // Act
    const before = { dynamodb: counter.total('dynamodb'), firehose: counter.total('firehose'), all: counter.total() };
    counter.reset();

    // Assert
    expect(before).toEqual({ dynamodb: 3, firehose: 1, all: 4 });
    expect(counter.total()).toBe(0);
  });
});
