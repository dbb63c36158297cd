import { OurChecker } from '../../../../rigs/bench/our-checker';
import { aDuplicatedStream, useDesignServers } from './bench-fixtures';

// The checker logs and publishes EMF on stdout, as in Lambda: keep the test output readable.
beforeAll(() => {
  process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
  process.env.POWERTOOLS_METRICS_DISABLED = 'true';
});

const { servers, aDesignWorld } = useDesignServers();

describe('OurChecker (the real checker core and adapters) against dynalite', () => {
  async function runStream(options: { cacheSize?: number } = {}) {
    const { tableName, counter, wiring } = await aDesignWorld('ours');
    const checker = new OurChecker({ ...wiring, ...options });
    const input = aDuplicatedStream();
    try {
      for (const batch of input.batches) await checker.checkBatch(batch);
    } finally {
      wiring.dynamoDb.destroy();
      wiring.firehose.destroy();
    }
    return { input, tally: counter.tally(), delivered: servers().sink.stream(tableName).fingerprints };
  }

  it('runs with the cache of delivered keys on, as deployed: one claim per distinct CTR and none per duplicate', async () => {
    // Arrange: a shell setting that the stack does not set must not change what the bench measures.
    process.env.DEDUP_CACHE_SIZE = '0';

    // Act
    const { input, tally, delivered } = await runStream().finally(() => delete process.env.DEDUP_CACHE_SIZE);

    // Assert
    expect(input.crossBatchDuplicates).toBeGreaterThan(0);
    expect(new Set(delivered.keys())).toEqual(input.uniqueFingerprints);
    expect([...delivered.values()].every((copies) => copies === 1)).toBe(true);
    expect(tally).toEqual([
      ...deliveredMarks(input),
      { service: 'dynamodb', operation: 'PutItem', outcome: 'ok', count: input.uniqueFingerprints.size },
      { service: 'firehose', operation: 'PutRecordBatch', outcome: 'ok', count: input.batches.length },
    ]);
  });

  it('without the cache, pays one refused claim per cross-batch duplicate', async () => {
    // Act
    const { input, tally, delivered } = await runStream({ cacheSize: 0 });

    // Assert
    expect(new Set(delivered.keys())).toEqual(input.uniqueFingerprints);
    expect([...delivered.values()].every((copies) => copies === 1)).toBe(true);
    expect(tally).toEqual([
      ...deliveredMarks(input),
      {
        service: 'dynamodb',
        operation: 'PutItem',
        outcome: 'ConditionalCheckFailedException',
        count: input.crossBatchDuplicates,
      },
      { service: 'dynamodb', operation: 'PutItem', outcome: 'ok', count: input.uniqueFingerprints.size },
      { service: 'firehose', operation: 'PutRecordBatch', outcome: 'ok', count: input.batches.length },
    ]);
  });
});

/**
 * The delivered marks (issue 17): one BatchWriteItem per batch that delivered anything (at most 25 marks a request,
 * and these batches deliver fewer), writing one item per distinct CTR.
 */
function deliveredMarks(input: {
  readonly batches: readonly unknown[];
  readonly uniqueFingerprints: ReadonlySet<string>;
}) {
  return [
    { service: 'dynamodb', operation: 'BatchWriteItem', outcome: 'ok', count: input.batches.length },
    { service: 'dynamodb', operation: 'BatchWriteItem:items', outcome: 'ok', count: input.uniqueFingerprints.size },
  ];
}
