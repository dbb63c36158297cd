import { CheckThenWriteChecker } from '../../../../rigs/bench/baselines/check-then-write';
import type { RequestCounter } from '../../../../rigs/bench/request-counter';
import { aDuplicatedStream, useDesignServers } from './bench-fixtures';

const { servers, aDesignWorld } = useDesignServers();

async function aChecker(): Promise<{ checker: CheckThenWriteChecker; counter: RequestCounter; stream: string }> {
  const { tableName, counter, wiring } = await aDesignWorld('checkThenWrite');
  return { checker: new CheckThenWriteChecker(wiring), counter, stream: tableName };
}

describe('CheckThenWriteChecker (baseline a) against dynalite', () => {
  it('delivers every distinct CTR exactly once, dropping duplicates inside and across batches', async () => {
    // Arrange
    const { checker, stream } = await aChecker();
    const input = aDuplicatedStream();

    // Act
    for (const batch of input.batches) await checker.checkBatch(batch);

    // Assert
    const delivered = servers().sink.stream(stream).fingerprints;
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
