import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CheckThenWriteChecker } from '../../../local/bench/baselines/check-then-write';
import { createBenchClients, createDesignTable } from '../../../local/bench/designs';
import { RequestCounter } from '../../../local/bench/request-counter';
import { LOCAL_CLIENT_CONFIG } from '../../../local/servers';
import { aDuplicatedStream, aTableName, startBenchServers } from './bench-fixtures';

let servers: Awaited<ReturnType<typeof startBenchServers>>;
let admin: DynamoDBClient;

beforeAll(async () => {
  servers = await startBenchServers();
  admin = new DynamoDBClient({ ...LOCAL_CLIENT_CONFIG, endpoint: servers.dynalite.endpoint });
});

afterAll(async () => {
  admin.destroy();
  await servers.stop();
});

async function aChecker(): Promise<{ checker: CheckThenWriteChecker; counter: RequestCounter; stream: string }> {
  const tableName = aTableName('check-then-write');
  await createDesignTable(admin, 'checkThenWrite', tableName);
  const counter = new RequestCounter();
  const clients = createBenchClients({ dynamoDb: servers.dynalite.endpoint, firehose: servers.sink.endpoint }, counter);
  return {
    checker: new CheckThenWriteChecker({ ...clients, tableName, deliveryStreamName: tableName }),
    counter,
    stream: tableName,
  };
}

describe('CheckThenWriteChecker (baseline a) against dynalite', () => {
  it('delivers every distinct CTR exactly once, dropping duplicates inside and across batches', async () => {
    // Arrange
    const { checker, stream } = await aChecker();
    const input = aDuplicatedStream();

    // Act
    for (const batch of input.batches) await checker.checkBatch(batch);

    // Assert
    const delivered = servers.sink.stream(stream).fingerprints;
    expect(new Set(delivered.keys())).toEqual(input.uniqueFingerprints);
    expect([...delivered.values()].every((copies) => copies === 1)).toBe(true);
  });

  it('pays a GSI Query per record and a PutItem and a Firehose PutRecord per distinct CTR, one by one', async () => {
    // Arrange
    const { checker, counter } = await aChecker();
    const input = aDuplicatedStream();

    // Act
    for (const batch of input.batches) await checker.checkBatch(batch);

    // Assert
    const unique = input.uniqueFingerprints.size;
    expect(counter.tally()).toEqual([
      { service: 'dynamodb', operation: 'PutItem', outcome: 'ok', count: unique },
      { service: 'dynamodb', operation: 'Query', outcome: 'ok', count: input.inputRecords },
      { service: 'firehose', operation: 'PutRecord', outcome: 'ok', count: unique },
    ]);
  });
});
