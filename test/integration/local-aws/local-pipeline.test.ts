import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Ctr } from '../../../lambda/shared/ctr';
import { runLocalPipeline } from '../../../local-aws/pipeline/run-pipeline';
import { faultProxiesFor } from '../../../rigs/faults/fault-proxy';
import { aChatCtr, aLaterVersion, aVoiceCtr, anAbandonedCtr } from '../../support/ctr-factory';
import { loadedMachineLimit } from '../../support/loaded-machine';
import { temporaryLakes } from '../../support/lake-fixture';

// The slowest test here runs twice on DynamoDB Local, each starting Java: 10 s unloaded.
jest.setTimeout(loadedMachineLimit(10));

/** Three distinct CTRs, each sent twice in a row, like the reference samples. */
function duplicatedCtrs(): Ctr[] {
  return [aVoiceCtr(), aChatCtr(), anAbandonedCtr()].flatMap((ctr) => [ctr, ctr]);
}

describe('runLocalPipeline with faults and options', () => {
  const { fresh: freshLake, removeAll } = temporaryLakes('ctr-lake-int');

  afterAll(removeAll);

  it('loses nothing and stores nothing twice when DynamoDB and Firehose throttle', async () => {
    // Act
    const summary = await runLocalPipeline({
      lakeDir: await freshLake(),
      events: [duplicatedCtrs()],
      queries: true,
      faults: {
        interpose: faultProxiesFor({
          dynamodb: { faultRate: 0.3, kinds: ['throttle'], seed: 7 },
          firehose: { faultRate: 0.3, kinds: ['throttle', 'partial'], seed: 11 },
        }),
      },
    });

    // Assert
    expect(summary).toMatchObject({ in: 6, delivered: 3, rows: 3, failed: 0 });
    expect(summary.queries.duplicates_audit).toEqual([]);
    expect(Object.values(summary.details.faultsInjected.dynamodb ?? {}).reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
  });

  it('retries a batch whose invocation failed after delivery without delivering anything twice from a warm container', async () => {
    // Arrange: the checker ran and delivered, then "crashed" before answering; the event source retries the batch.
    let crashed = false;

    // Act
    const summary = await runLocalPipeline({
      lakeDir: await freshLake(),
      events: [duplicatedCtrs()],
      faults: {
        checker: {
          after: () => {
            if (crashed) return;
            crashed = true;
            throw new Error('crash after delivery');
          },
        },
      },
    });

    // Assert: the event source bisects the failed batch (as the stack's mapping does) and retries both halves. The
    // function error left the execution environment warm, so the checker's cache of delivered keys drops the
    // redelivered records without asking DynamoDB (whose claims, owned by the same eventIDs, would let them through).
    // A crash that also loses the environment redelivers them: the soak's crash injection covers that case.
    expect(summary.details.checkerRetries).toBe(2);
    expect(summary.delivered).toBe(3);
    expect(summary.queries.duplicates_audit).toEqual([]);
    expect(summary.queries.ctr_latest).toHaveLength(3);
  });

  it('counts stored duplicates across batches and shards', async () => {
    // Act
    const summary = await runLocalPipeline({
      lakeDir: await freshLake(),
      events: [duplicatedCtrs()],
      batchSize: 1,
      shardCount: 2,
    });

    // Assert: one record per batch, so every second copy is a stored duplicate
    expect(summary).toMatchObject({ in: 6, inBatchDuplicates: 0, storedDuplicates: 3, delivered: 3, rows: 3 });
    expect(summary.details.checkerInvocations).toBe(6);
  });

  it('bisects a batch that keeps failing down to single records, and writes each to on-failure/', async () => {
    // Arrange
    const lake = await freshLake();

    // Act
    const summary = await runLocalPipeline({
      lakeDir: lake,
      events: [duplicatedCtrs()],
      maximumRetryAttempts: 1,
      faults: {
        checker: {
          before: () => {
            throw new Error('the function cannot be invoked');
          },
        },
      },
      queries: false,
    });

    // Assert
    expect(summary).toMatchObject({ in: 6, failed: 6, delivered: 0, rows: 0, queries: {} });
    expect(await readdir(join(lake, 'on-failure', 'kinesis'))).toHaveLength(6);
  });

  it("keeps the dedup table in AWS's DynamoDB Local, with TTL on, when asked", async () => {
    // Arrange
    const lake = await freshLake();
    const options = { lakeDir: lake, events: [duplicatedCtrs()], dynamoDb: 'dynamodb-local', queries: false } as const;

    // Act
    const first = await runLocalPipeline(options);
    const again = await runLocalPipeline(options);

    // Assert
    expect(first).toMatchObject({ in: 6, delivered: 3, rows: 3 });
    expect(first.details.dedupTtlEnabled).toBe(true);
    expect(again).toMatchObject({ delivered: 0, storedDuplicates: 3, rows: 3 });
    // The dedup state follows the lake: dynalite's empty table would deliver the same CTRs again, so that is refused.
    await expect(runLocalPipeline({ ...options, dynamoDb: 'dynalite' })).rejects.toThrow(
      /keeps its dedup state in DynamoDB Local \(\.state\/dynamodb-local\): run with --dynamodb-local as before/,
    );
  });

  it('quarantines records the checker cannot accept under the error prefix', async () => {
    // Arrange
    const lake = await freshLake();
    const notACtr = { ContactId: 'c-1', InitiationTimestamp: 'yesterday' };

    // Act
    const summary = await runLocalPipeline({ lakeDir: lake, events: [[notACtr]], queries: false });

    // Assert
    expect(summary).toMatchObject({ in: 1, delivered: 0, quarantined: 1, rows: 0 });
    expect(await readdir(join(lake, 'errors', 'processing-failed'), { recursive: true })).not.toHaveLength(0);
  });

  it('keeps each contact in order with ten concurrent batches per shard: every copy dropped, every version kept', async () => {
    // Arrange: 30 contacts, each a first version, its copy, a later version and that version's copy, one after the
    // other on one shard, in batches small enough that the ten lanes run side by side.
    const events = Array.from({ length: 30 }, () => {
      const first = aVoiceCtr();
      const later = aLaterVersion(first);
      return [first, first, later, later];
    });

    // Act
    const summary = await runLocalPipeline({
      lakeDir: await freshLake(),
      events,
      batchSize: 4,
      parallelizationFactor: 10,
    });

    // Assert
    expect(summary).toMatchObject({ in: 120, delivered: 60, rows: 60, failed: 0 });
    expect(summary.inBatchDuplicates + summary.storedDuplicates).toBe(60);
    expect(summary.queries.duplicates_audit).toEqual([]);
    expect(summary.queries.ctr_latest).toHaveLength(30);
  });
});
