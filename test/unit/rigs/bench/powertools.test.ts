import type { KinesisStreamEvent } from 'aws-lambda';
import { PowertoolsChecker, type PowertoolsVariant } from '../../../../rigs/bench/baselines/powertools';
import { deliverBatch } from '../../../../rigs/bench/redelivery';
import type { RequestTally } from '../../../../rigs/bench/request-counter';
import { aVoiceCtr, kinesisEvent } from '../../../support/ctr-factory';
import { aDuplicatedStream, useDesignServers } from './bench-fixtures';

// The library's refused claim brings the stored item back (ReturnValuesOnConditionCheckFailure), which dynalite
// ignores: these tests run on DynamoDB Local, as the bench does.
const { servers, aDesignWorld } = useDesignServers('dynamodb-local');

async function runStream(variant: PowertoolsVariant, batches: readonly KinesisStreamEvent[]) {
  const { tableName, counter, wiring } = await aDesignWorld(variant);
  const checker = new PowertoolsChecker({ ...wiring, variant });
  let invocations = 0;
  try {
    for (const batch of batches) invocations += (await deliverBatch(checker, batch)).invocations;
  } finally {
    wiring.dynamoDb.destroy();
    wiring.firehose.destroy();
  }
  return { invocations, tally: counter.tally(), delivered: servers().sink.stream(tableName).fingerprints };
}

function count(tally: readonly RequestTally[], operation: string, outcome: string): number {
  return tally.find((line) => line.operation === operation && line.outcome === outcome)?.count ?? 0;
}

describe('PowertoolsChecker (the published idempotency and batch utilities) against DynamoDB Local', () => {
  it('in its default parallel mode, delivers every distinct CTR exactly once once Lambda redelivers', async () => {
    // Arrange
    const input = aDuplicatedStream();

    // Act
    const { invocations, tally, delivered } = await runStream('powertools', input.batches);

    // Assert: the in-batch copies raced their twins and failed, so their batches were redelivered
    expect(new Set(delivered.keys())).toEqual(input.uniqueFingerprints);
    expect([...delivered.values()].every((copies) => copies === 1)).toBe(true);
    expect(invocations).toBeGreaterThan(input.batches.length);
    expect(count(tally, 'PutItem', 'ok')).toBe(input.uniqueFingerprints.size);
    expect(count(tally, 'UpdateItem', 'ok')).toBe(input.uniqueFingerprints.size);
    expect(count(tally, 'GetItem', 'ok')).toBe(0);
  });

  it('in sequential mode, pays a claim per record and a completion and a PutRecord per distinct CTR, no retry', async () => {
    // Arrange
    const input = aDuplicatedStream();

    // Act
    const { invocations, tally, delivered } = await runStream('powertoolsSequential', input.batches);

    // Assert
    const unique = input.uniqueFingerprints.size;
    const duplicates = input.inBatchDuplicates + input.crossBatchDuplicates;
    expect(new Set(delivered.keys())).toEqual(input.uniqueFingerprints);
    expect(invocations).toBe(input.batches.length);
    expect(tally).toEqual([
      { service: 'dynamodb', operation: 'PutItem', outcome: 'ConditionalCheckFailedException', count: duplicates },
      { service: 'dynamodb', operation: 'PutItem', outcome: 'ok', count: unique },
      { service: 'dynamodb', operation: 'UpdateItem', outcome: 'ok', count: unique },
      { service: 'firehose', operation: 'PutRecord', outcome: 'ok', count: unique },
    ]);
  });

  it('keyed on the decoded record, drops a copy with its keys reordered; keyed on the raw bytes, delivers it', async () => {
    // Arrange: the same CTR twice, the second re-serialised with its keys in reverse order
    const ctr = aVoiceCtr();
    const reordered = Object.fromEntries(Object.entries(ctr).reverse());
    const batches = [kinesisEvent([ctr]), kinesisEvent([JSON.stringify(reordered)], { firstIndex: 1 })];

    // Act
    const decodedKey = await runStream('powertoolsSequential', batches);
    const rawKey = await runStream('powertoolsRawKey', batches);

    // Assert
    expect([...decodedKey.delivered.values()]).toEqual([1]);
    expect([...rawKey.delivered.values()]).toEqual([2]);
  });
});
