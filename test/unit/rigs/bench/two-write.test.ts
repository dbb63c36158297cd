import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { TWO_WRITE_KEY_PREFIX, TwoWriteChecker } from '../../../../rigs/bench/baselines/two-write';
import { createBenchClients, createDesignTable } from '../../../../rigs/bench/designs';
import { RequestCounter } from '../../../../rigs/bench/request-counter';
import { aDuplicatedStream, aTableName, useDesignServers } from './bench-fixtures';

const { servers, admin, aDesignWorld } = useDesignServers();

async function aChecker(): Promise<{ checker: TwoWriteChecker; counter: RequestCounter; tableName: string }> {
  const { tableName, counter, wiring } = await aDesignWorld('twoWrite');
  return { checker: new TwoWriteChecker(wiring), counter, tableName };
}

describe('TwoWriteChecker (baseline b) against dynalite', () => {
  it('delivers every distinct CTR exactly once and leaves each key COMPLETED', async () => {
    // Arrange
    const { checker, tableName } = await aChecker();
    const input = aDuplicatedStream();

    // Act
    for (const batch of input.batches) await checker.checkBatch(batch);

    // Assert
    const delivered = servers().sink.stream(tableName).fingerprints;
    expect(new Set(delivered.keys())).toEqual(input.uniqueFingerprints);
    expect([...delivered.values()].every((copies) => copies === 1)).toBe(true);
    const [someFingerprint] = input.uniqueFingerprints;
    const { Item } = await admin().send(
      new GetItemCommand({ TableName: tableName, Key: { id: { S: `${TWO_WRITE_KEY_PREFIX}${someFingerprint}` } } }),
    );
    expect(Item?.status?.S).toBe('COMPLETED');
  });

  it('pays a conditional claim per record, an UpdateItem and a PutRecord per distinct CTR', async () => {
    // Arrange
    const { checker, counter } = await aChecker();
    const input = aDuplicatedStream();

    // Act
    for (const batch of input.batches) await checker.checkBatch(batch);

    // Assert
    const unique = input.uniqueFingerprints.size;
    const duplicates = input.inBatchDuplicates + input.crossBatchDuplicates;
    expect(counter.tally()).toEqual([
      { service: 'dynamodb', operation: 'PutItem', outcome: 'ConditionalCheckFailedException', count: duplicates },
      { service: 'dynamodb', operation: 'PutItem', outcome: 'ok', count: unique },
      { service: 'dynamodb', operation: 'UpdateItem', outcome: 'ok', count: unique },
      { service: 'firehose', operation: 'PutRecord', outcome: 'ok', count: unique },
    ]);
  });

  it('lets a copy through once an IN_PROGRESS claim has outlived its Lambda', async () => {
    // Arrange: a claim made an hour and a half ago and never completed (the first Lambda timed out)
    const tableName = aTableName('two-write');
    await createDesignTable(admin(), 'twoWrite', tableName);
    const clients = createBenchClients(
      { dynamoDb: servers().dynalite.endpoint, firehose: servers().sink.endpoint },
      new RequestCounter(),
    );
    const [batch] = aDuplicatedStream().batches;
    const first = batch?.Records[0];
    if (!first) throw new Error('fixture has no records');
    let now = new Date(Date.now() - 90 * 60_000);
    const checker = new TwoWriteChecker({ ...clients, tableName, deliveryStreamName: tableName, clock: () => now });
    const stuck = new TwoWriteChecker({
      ...clients,
      tableName,
      deliveryStreamName: `${tableName}-stuck`,
      clock: () => now,
    });
    await stuck.checkBatch({ Records: [first] });

    // Act
    now = new Date();
    await checker.checkBatch({ Records: [first] });

    // Assert
    expect(servers().sink.stream(tableName).records).toBe(1);
  });
});
