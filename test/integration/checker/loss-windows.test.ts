import type { KinesisStreamEvent } from 'aws-lambda';
import { checkBatch, type BatchResult, type CheckBatchDeps } from '../../../lambda/checker/check-batch';
import { toStreamRecords } from '../../../lambda/checker/handler';
import type { DedupStore, RecordSink } from '../../../lambda/checker/ports';
import { DedupStoreError } from '../../../lambda/shared/errors';
import { contentFingerprint } from '../../../lambda/shared/fingerprint';
import { fingerprintsOf, InMemorySink, RecordingTelemetry } from '../../support/checker-harness';
import { aCtr, kinesisEvent, sequenceNumberAt } from '../../support/ctr-factory';
import { dedupStoreFixtures } from '../../support/dedup-store-fixtures';

/**
 * The loss windows of issue 17, each against a real dedup store adapter on a local server (part of the shared
 * contract suite: the DynamoDB adapter on its emulators, the Valkey adapter on redis-server): a distinct CTR may be
 * lost only if every record carrying it was given up by Lambda and none was replayed. Here no record is ever
 * replayed, and the record holding the claim is the only one given up: its copies must still get through.
 */

const SHARD_A = 'shardId-000000000001';
const SHARD_B = 'shardId-000000000002';
const SETTINGS = { ttlHours: 24, keyStrategy: 'content' } as const;

for (const fixture of dedupStoreFixtures()) {
  fixture.describe(`loss windows of the dedup protocol, dedup store on ${fixture.name}`, () => {
    let store: DedupStore;

    beforeAll(() => fixture.start());

    afterAll(() => fixture.stop());

    beforeEach(async () => {
      store = await fixture.fresh();
    });

    function check(
      event: KinesisStreamEvent,
      sink: RecordSink,
      deps: Partial<CheckBatchDeps> = {},
      on: DedupStore = store,
    ): Promise<BatchResult> {
      return checkBatch(toStreamRecords(event), SETTINGS, {
        store: on,
        sink,
        telemetry: new RecordingTelemetry(),
        ...deps,
      });
    }

    it('1a: a copy on another shard meeting a claim whose holder is still delivering waits, and delivers once the holder fails and releases', async () => {
      // Arrange: shard A's Firehose call is slow, then fails; Lambda will give A's record up (never replayed here)
      const x = aCtr();
      let answerHolder!: () => void;
      const holderAnswers = new Promise<void>((resolve) => (answerHolder = resolve));
      let holderDelivering!: () => void;
      const delivering = new Promise<void>((resolve) => (holderDelivering = resolve));
      const holderSink = new InMemorySink();
      holderSink.failWhen = () => true;
      holderSink.before = () => {
        holderDelivering();
        return holderAnswers;
      };
      const holder = check(kinesisEvent([x], { shardId: SHARD_A }), holderSink);
      await delivering;
      const copySink = new InMemorySink();

      // Act: shard B's copy meets A's claim meanwhile; while it waits, A's call fails and A settles
      const copy = check(kinesisEvent([x], { shardId: SHARD_B }), copySink, {
        sleep: async () => {
          answerHolder();
          await holder;
        },
      });
      const copyResult = await copy;
      answerHolder();
      const holderResult = await holder;

      // Assert
      expect(holderResult.batchItemFailures).toEqual([{ itemIdentifier: sequenceNumberAt(0) }]);
      expect(holderSink.delivered).toEqual([]);
      expect(copyResult.fates).toEqual(['delivered']);
      expect(fingerprintsOf(copySink.delivered)).toEqual([contentFingerprint(x)]);
    });

    it('1b: after an invocation crashed holding a claim and Lambda gave its record up, a later copy on the same shard is delivered', async () => {
      // Arrange: the invocation dies in its Firehose call (a timeout): no release, no answer
      const x = aCtr();
      const crashing: RecordSink = { deliver: () => Promise.reject(new Error('Task timed out after 120.00 seconds')) };
      await expect(check(kinesisEvent([x], { shardId: SHARD_A }), crashing)).rejects.toThrow('Task timed out');
      const sink = new InMemorySink();

      // Act: the shard moved on past the given-up record; a copy comes later on it
      const copy = await check(kinesisEvent([x], { shardId: SHARD_A, firstIndex: 5 }), sink);

      // Assert
      expect(copy.fates).toEqual(['delivered']);
      expect(fingerprintsOf(sink.delivered)).toEqual([contentFingerprint(x)]);
    });

    it('1b: a copy on another shard is delivered once the crashed holder’s invocation is certainly over', async () => {
      // Arrange
      const x = aCtr();
      const crashing: RecordSink = { deliver: () => Promise.reject(new Error('Task timed out after 120.00 seconds')) };
      await expect(check(kinesisEvent([x], { shardId: SHARD_A }), crashing)).rejects.toThrow('Task timed out');
      const sink = new InMemorySink();
      const muchLater = new Date(Date.now() + 30 * 60_000);

      // Act
      const copy = await check(kinesisEvent([x], { shardId: SHARD_B }), sink, { clock: () => muchLater });

      // Assert
      expect(copy.fates).toEqual(['delivered']);
      expect(fingerprintsOf(sink.delivered)).toEqual([contentFingerprint(x)]);
    });

    it('1b: a copy on another shard meeting a crashed holder’s claim too early fails (Lambda retries it) instead of being dropped', async () => {
      // Arrange
      const x = aCtr();
      const crashing: RecordSink = { deliver: () => Promise.reject(new Error('Task timed out after 120.00 seconds')) };
      await expect(check(kinesisEvent([x], { shardId: SHARD_A }), crashing)).rejects.toThrow('Task timed out');
      const sink = new InMemorySink();
      let left = 20_000;

      // Act: the copy's invocation has 20 s; every wait spends them
      const copy = await check(kinesisEvent([x], { shardId: SHARD_B }), sink, {
        timeLeft: () => left,
        sleep: async (ms) => {
          left -= ms;
        },
      });

      // Assert
      expect(copy.fates).toEqual(['failed']);
      expect(copy.batchItemFailures).toEqual([{ itemIdentifier: sequenceNumberAt(0) }]);
      expect(sink.delivered).toEqual([]);
    });

    it('1c: a claim the store applied but whose answer was lost is released on the failure path, so a copy gets through', async () => {
      // Arrange: the first claim is applied, then its answer is lost after the client's retries (a timeout, say)
      const x = aCtr();
      const inner = fixture.another();
      let lost = 0;
      const lossy: DedupStore = {
        claim: async (request) => {
          const result = await inner.claim(request);
          if (lost++ === 0) {
            throw new DedupStoreError(`claim of ${request.key} failed`, {
              cause: Object.assign(new Error('Connection timed out after the request was sent'), {
                name: 'TimeoutError',
              }),
            });
          }
          return result;
        },
        markDelivered: (claims, now, signal) => inner.markDelivered(claims, now, signal),
        release: (key, eventId, signal) => inner.release(key, eventId, signal),
      };
      const first = await check(kinesisEvent([x], { shardId: SHARD_A }), new InMemorySink(), {}, lossy);
      const sink = new InMemorySink();

      // Act: Lambda gave the record up; a copy comes on another shard
      const copy = await check(kinesisEvent([x], { shardId: SHARD_B }), sink);

      // Assert
      expect(first.fates).toEqual(['failed']);
      expect(copy.fates).toEqual(['delivered']);
      expect(fingerprintsOf(sink.delivered)).toEqual([contentFingerprint(x)]);
    });

    it('never takes over a claim whose holder delivered: a copy is a stored duplicate even long after', async () => {
      // Arrange
      const x = aCtr();
      await check(kinesisEvent([x], { shardId: SHARD_A }), new InMemorySink());
      const sink = new InMemorySink();
      const muchLater = new Date(Date.now() + 30 * 60_000);

      // Act
      const sameShard = await check(kinesisEvent([x], { shardId: SHARD_A, firstIndex: 5 }), sink);
      const otherShard = await check(kinesisEvent([x], { shardId: SHARD_B }), sink, { clock: () => muchLater });

      // Assert
      expect([...sameShard.fates, ...otherShard.fates]).toEqual(['stored-duplicate', 'stored-duplicate']);
      expect(sink.delivered).toEqual([]);
      expect(await fixture.getClaim(contentFingerprint(x))).toMatchObject({ deliveredAt: expect.any(String) });
    });

    it('reads a claim written before leases existed (no leaseUntil) as delivered, as that protocol did', async () => {
      // Arrange
      const x = aCtr();
      await fixture.putClaim(contentFingerprint(x), {
        claimedBy: `${SHARD_B}:${sequenceNumberAt(0)}`,
        claimedAt: new Date().toISOString(),
        expiresAt: Math.floor(Date.now() / 1000) + 3600,
      });
      const sink = new InMemorySink();

      // Act
      const copy = await check(kinesisEvent([x], { shardId: SHARD_A, firstIndex: 3 }), sink);

      // Assert
      expect(copy.fates).toEqual(['stored-duplicate']);
    });
  });
}
