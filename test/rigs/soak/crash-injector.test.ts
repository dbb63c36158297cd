import { InvocationCrashedError, type CrashPoint } from '../../../rigs/faults/crash-injector';
import { aCtr, kinesisEvent } from '../../support/ctr-factory';
import { startCheckerRig, type CheckerRig } from './checker-rig';

/**
 * Crash injection against the real checker: dynalite and a recording Firehose, each behind a fault proxy, and the
 * checker's own SDK clients tagged per invocation. Each test crashes the first invocation at one point and then
 * redelivers the same batch, as the event source does after a function error.
 */
describe('crash injector', () => {
  const BATCH_SIZE = 5;
  const rigs: CheckerRig[] = [];

  afterAll(async () => {
    await Promise.all(rigs.map((rig) => rig.stop()));
  });

  async function rigCrashingOnceAt(point: CrashPoint): Promise<CheckerRig> {
    const rig = await startCheckerRig({ crashes: { crashRate: 1, seed: 1, points: [point], maxCrashes: 1 } });
    rigs.push(rig);
    return rig;
  }

  const aBatch = () => kinesisEvent(Array.from({ length: BATCH_SIZE }, () => aCtr()));

  function fingerprints(rig: CheckerRig): string[] {
    return rig.firehose.envelopes.map((envelope) => (envelope.kind === 'ctr' ? envelope.fingerprint : envelope.reason));
  }

  it('after-claim: the claims are written, nothing reaches Firehose, and the redelivery delivers each record once', async () => {
    // Arrange
    const rig = await rigCrashingOnceAt('after-claim');
    const event = aBatch();

    // Act
    await expect(rig.invoke(event)).rejects.toBeInstanceOf(InvocationCrashedError);
    await rig.injector.settle();
    const deliveredByCrashed = rig.firehose.envelopes.length;
    const claimsAfterCrash = await rig.claims();
    const retry = await rig.invoke(event);

    // Assert
    expect(deliveredByCrashed).toBe(0);
    expect(claimsAfterCrash).toBe(BATCH_SIZE);
    expect(retry.batchItemFailures).toEqual([]);
    expect(fingerprints(rig)).toHaveLength(BATCH_SIZE);
    expect(new Set(fingerprints(rig)).size).toBe(BATCH_SIZE);
    expect(rig.injector.crashes).toEqual({ 'after-claim': 1, 'after-delivery': 0, 'before-return': 0 });
    expect(rig.injector.coldStarts).toBe(2); // the crashed environment was thrown away
    expect(rig.ledger.explain().deliveredBeforeCrash).toBe(0);
  });

  it('before-return: the records were marked delivered, so the redelivery drops them all: no raw duplicate', async () => {
    // Arrange
    const rig = await rigCrashingOnceAt('before-return');
    const event = aBatch();

    // Act
    await expect(rig.invoke(event)).rejects.toMatchObject({ point: 'before-return' });
    await rig.injector.settle();
    const retry = await rig.invoke(event);

    // Assert
    expect(retry.batchItemFailures).toEqual([]);
    expect(fingerprints(rig)).toHaveLength(BATCH_SIZE);
    expect(new Set(fingerprints(rig)).size).toBe(BATCH_SIZE);
    expect(rig.injector.crashes['before-return']).toBe(1);
  });

  it.each<[CrashPoint]>([['after-delivery']])(
    '%s: the redelivery delivers the batch again, and the raw duplicates are exactly what the crash explains',
    async (point) => {
      // Arrange
      const rig = await rigCrashingOnceAt(point);
      const event = aBatch();

      // Act
      await expect(rig.invoke(event)).rejects.toMatchObject({ point });
      await rig.injector.settle();
      const deliveredByCrashed = rig.firehose.envelopes.length;
      const retry = await rig.invoke(event);

      // Assert
      expect(deliveredByCrashed).toBe(BATCH_SIZE);
      expect(retry.batchItemFailures).toEqual([]);
      expect(fingerprints(rig)).toHaveLength(2 * BATCH_SIZE);
      expect(new Set(fingerprints(rig)).size).toBe(BATCH_SIZE);
      expect(rig.injector.crashes[point]).toBe(1);
      expect(rig.ledger.explain().deliveredBeforeCrash).toBe(BATCH_SIZE);
    },
  );

  it('shuts a dead invocation out: its leftover requests never reach DynamoDB', async () => {
    // Arrange
    const rig = await rigCrashingOnceAt('after-claim');

    // Act
    await expect(rig.invoke(aBatch())).rejects.toBeInstanceOf(InvocationCrashedError);
    await rig.injector.settle();

    // Assert: the checker's failure path released its undelivered claims, but those requests were never applied.
    expect(rig.dynamoProxy.requests.DeleteItem ?? 0).toBeGreaterThanOrEqual(BATCH_SIZE);
    expect(await rig.claims()).toBe(BATCH_SIZE);
  });

  it('plans the same crashes for the same seed', async () => {
    // Arrange
    const plans = async (seed: number): Promise<string[]> => {
      const rig = await startCheckerRig({ crashes: { crashRate: 0.5, seed, points: ['before-return'] } });
      rigs.push(rig);
      const outcomes: string[] = [];
      for (let i = 0; i < 12; i++) {
        outcomes.push(
          await rig.invoke(kinesisEvent([aCtr()])).then(
            () => 'ok',
            (error: Error) => error.name,
          ),
        );
      }
      return outcomes;
    };

    // Act
    const first = await plans(9);
    const second = await plans(9);

    // Assert
    expect(second).toEqual(first);
    expect(new Set(first)).toEqual(new Set(['ok', 'InvocationCrashedError']));
  });
});
