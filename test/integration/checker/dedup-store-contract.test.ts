import fc from 'fast-check';
import { checkBatch } from '../../../lambda/checker/check-batch';
import type { ClaimRequest, DedupStore, DeliveredClaim, RecordSink, StreamRecord } from '../../../lambda/checker/ports';
import { contentFingerprint } from '../../../lambda/shared/fingerprint';
import {
  fingerprintsOf,
  InMemoryDedupStore,
  InMemorySink,
  RecordingTelemetry,
  runLikeEventSourceMapping,
} from '../../support/checker-harness';
import { aCtr, sequenceNumberAt } from '../../support/ctr-factory';
import { dedupStoreFixtures } from '../../support/dedup-store-fixtures';

/**
 * The DedupStore contract (docs/CONTRACTS.md), one suite run against every store on a real local server: the
 * DynamoDB adapter on dynalite and DynamoDB Local, the Valkey adapter on redis-server. The same requests must get
 * the same answers and leave the same claims; the checker on top must deliver through retries and crashes.
 */

const NOW = new Date(Date.now() + 60_000);
const NOW_SECONDS = Math.floor(NOW.getTime() / 1000);
const LEASE = NOW.getTime() + 125_000;
const EXPIRES = NOW_SECONDS + 7200;
const EVENT_ID = 'shardId-000000000000:49650000000000000000000000000000000000000000000000001';
const OTHER_ID = 'shardId-000000000001:49650000000000000000000000000000000000000000000000777';
const SETTINGS = { ttlHours: 24, keyStrategy: 'content' } as const;

function aClaim(overrides: Partial<ClaimRequest> = {}): ClaimRequest {
  return { key: 'fp-1', eventId: EVENT_ID, now: NOW, expiresAt: EXPIRES, leaseUntil: LEASE, ...overrides };
}

function delivered(key: string, eventId = EVENT_ID): DeliveredClaim {
  return { key, eventId, claimedAt: NOW, expiresAt: EXPIRES, leaseUntil: LEASE };
}

function records(ctrs: readonly object[], shard = 0): StreamRecord[] {
  return ctrs.map((ctr, i) => ({
    eventId: `shardId-00000000000${shard}:${sequenceNumberAt(i)}`,
    sequenceNumber: sequenceNumberAt(i),
    data: Buffer.from(JSON.stringify(ctr)).toString('base64'),
  }));
}

for (const fixture of dedupStoreFixtures()) {
  fixture.describe(`DedupStore contract on ${fixture.name}`, () => {
    let store: DedupStore;

    beforeAll(() => fixture.start());

    afterAll(() => fixture.stop());

    beforeEach(async () => {
      store = await fixture.fresh();
    });

    describe('claim', () => {
      it('owns an absent key, and stores the claim with its TTL and lease', async () => {
        // Act
        const result = await store.claim(aClaim());

        // Assert
        expect(result).toEqual({ outcome: 'owned' });
        expect(await fixture.getClaim('fp-1')).toEqual({
          claimedBy: EVENT_ID,
          claimedAt: NOW.toISOString(),
          expiresAt: EXPIRES,
          leaseUntil: LEASE,
        });
      });

      it('lets the same eventID re-own its undelivered claim (a redelivery), answering the claim it replaced', async () => {
        // Arrange
        await store.claim(aClaim());

        // Act
        const result = await store.claim(aClaim());

        // Assert
        expect(result).toEqual({
          outcome: 'owned',
          replaced: { claimedBy: EVENT_ID, expiresAt: EXPIRES, leaseUntil: LEASE, delivered: false },
        });
      });

      it("answers held with another record's live claim", async () => {
        // Arrange
        await store.claim(aClaim({ eventId: OTHER_ID }));

        // Act
        const result = await store.claim(aClaim());

        // Assert
        expect(result).toEqual({
          outcome: 'held',
          holder: { claimedBy: OTHER_ID, expiresAt: EXPIRES, leaseUntil: LEASE, delivered: false },
        });
      });

      it('takes over a claim whose lease ran out', async () => {
        // Arrange
        await store.claim(aClaim({ eventId: OTHER_ID, leaseUntil: NOW.getTime() - 1 }));

        // Act
        const result = await store.claim(aClaim());

        // Assert
        expect(result).toEqual({
          outcome: 'owned',
          replaced: { claimedBy: OTHER_ID, expiresAt: EXPIRES, leaseUntil: NOW.getTime() - 1, delivered: false },
        });
        expect((await fixture.getClaim('fp-1'))?.claimedBy).toBe(EVENT_ID);
      });

      it('takes over the named takeOverFrom claim although its lease runs on, and no other', async () => {
        // Arrange
        await store.claim(aClaim({ eventId: OTHER_ID }));

        // Act
        const wrongName = await store.claim(aClaim({ takeOverFrom: 'shardId-000000000001:1' }));
        const named = await store.claim(aClaim({ takeOverFrom: OTHER_ID }));

        // Assert
        expect(wrongName.outcome).toBe('held');
        expect(named).toMatchObject({ outcome: 'owned', replaced: { claimedBy: OTHER_ID } });
      });

      it('never re-owns or takes over a delivered claim, even its own or with its lease long over', async () => {
        // Arrange
        await store.claim(aClaim({ leaseUntil: NOW.getTime() - 1 }));
        expect(await store.markDelivered([delivered('fp-1')], NOW)).toEqual([]);

        // Act
        const same = await store.claim(aClaim());
        const other = await store.claim(aClaim({ eventId: OTHER_ID, takeOverFrom: EVENT_ID }));

        // Assert
        expect(same).toEqual({
          outcome: 'held',
          holder: { claimedBy: EVENT_ID, expiresAt: EXPIRES, leaseUntil: LEASE, delivered: true },
        });
        expect(other.outcome).toBe('held');
      });

      it('treats a claim expired by the request clock as absent', async () => {
        // Arrange
        await store.claim(aClaim({ eventId: OTHER_ID }));

        // Act
        const later = new Date((EXPIRES + 1) * 1000);
        const result = await store.claim(aClaim({ now: later, expiresAt: EXPIRES + 7200 }));

        // Assert
        expect(result.outcome).toBe('owned');
      });

      it('treats a claim past its expiresAt as absent, and reads a claim without a lease as never stale', async () => {
        // Arrange
        const now = Math.floor(Date.now() / 1000);
        await fixture.putClaim('expired', { claimedBy: OTHER_ID, claimedAt: NOW.toISOString(), expiresAt: now - 60 });
        await fixture.putClaim('legacy', { claimedBy: OTHER_ID, claimedAt: NOW.toISOString(), expiresAt: now + 600 });

        // Act
        const expired = await store.claim(aClaim({ key: 'expired', now: new Date() }));
        const legacy = await store.claim(aClaim({ key: 'legacy', now: new Date(Date.now() + 300_000) }));

        // Assert
        expect(expired.outcome).toBe('owned');
        expect(legacy).toEqual({
          outcome: 'held',
          holder: { claimedBy: OTHER_ID, expiresAt: now + 600, delivered: false },
        });
      });
    });

    describe('markDelivered', () => {
      it('marks every claim of a batch, whoever holds the key, and answers no key', async () => {
        // Arrange
        await store.claim(aClaim({ key: 'a' }));
        await store.claim(aClaim({ key: 'b', eventId: OTHER_ID }));

        // Act
        const failed = await store.markDelivered([delivered('a'), delivered('b'), delivered('c')], NOW);

        // Assert
        expect(failed).toEqual([]);
        for (const key of ['a', 'b', 'c']) {
          expect(await fixture.getClaim(key)).toEqual({
            claimedBy: EVENT_ID,
            claimedAt: NOW.toISOString(),
            expiresAt: EXPIRES,
            leaseUntil: LEASE,
            deliveredAt: NOW.toISOString(),
          });
        }
      });

      it('starts nothing once the signal has aborted, answering every key', async () => {
        // Arrange
        const controller = new AbortController();
        controller.abort();

        // Act
        const failed = await store.markDelivered([delivered('a'), delivered('b')], NOW, controller.signal);

        // Assert
        expect(failed).toEqual(['a', 'b']);
        expect(await fixture.getClaim('a')).toBeUndefined();
      });
    });

    describe('release', () => {
      it("drops the owner's undelivered claim, answering true", async () => {
        // Arrange
        await store.claim(aClaim());

        // Act
        const released = await store.release('fp-1', EVENT_ID);

        // Assert
        expect(released).toBe(true);
        expect(await fixture.getClaim('fp-1')).toBeUndefined();
      });

      it("leaves another record's claim, a delivered claim and an absent key alone, answering false", async () => {
        // Arrange
        await store.claim(aClaim({ key: 'theirs', eventId: OTHER_ID }));
        await store.claim(aClaim({ key: 'delivered' }));
        await store.markDelivered([delivered('delivered')], NOW);

        // Act
        const answers = await Promise.all([
          store.release('theirs', EVENT_ID),
          store.release('delivered', EVENT_ID),
          store.release('absent', EVENT_ID),
        ]);

        // Assert
        expect(answers).toEqual([false, false, false]);
        expect((await fixture.getClaim('theirs'))?.claimedBy).toBe(OTHER_ID);
        expect((await fixture.getClaim('delivered'))?.deliveredAt).toBe(NOW.toISOString());
      });
    });

    describe('the checker on it', () => {
      function check(batch: readonly StreamRecord[], sink: RecordSink, on: DedupStore = store) {
        return checkBatch(batch, SETTINGS, { store: on, sink, telemetry: new RecordingTelemetry() });
      }

      it('retries from the reported failure point without delivering anything twice', async () => {
        // Arrange: Firehose refuses one record during the first invocation only
        const ctrs = [aCtr(), aCtr(), aCtr(), aCtr(), aCtr()];
        const stream = records([...ctrs, ctrs[0] as object, ctrs[3] as object]);
        const refused = contentFingerprint(ctrs[1]);
        const sink = new InMemorySink();
        let invocation = 0;
        sink.failWhen = (envelope) => invocation === 1 && envelope.kind === 'ctr' && envelope.fingerprint === refused;

        // Act
        const run = await runLikeEventSourceMapping(stream, {
          batchSize: 100,
          sequenceNumberOf: (r) => r.sequenceNumber,
          invoke: (batch) => {
            invocation++;
            return check(batch, sink);
          },
        });

        // Assert
        expect(run.batches).toEqual([7, 6]);
        expect([...fingerprintsOf(sink.delivered)].sort()).toEqual(ctrs.map(contentFingerprint).sort());
      });

      it('replays a batch whose invocation crashed before delivering: every record delivered once', async () => {
        // Arrange
        const ctrs = [aCtr(), aCtr(), aCtr()];
        const batch = records(ctrs);
        const crash: RecordSink = { deliver: () => Promise.reject(new Error('Runtime exited')) };
        await expect(check(batch, crash)).rejects.toThrow('Runtime exited');
        const sink = new InMemorySink();

        // Act: Lambda redelivers the whole batch, to another container
        const result = await check(batch, sink, fixture.another());

        // Assert
        expect(result.batchItemFailures).toEqual([]);
        expect(fingerprintsOf(sink.delivered)).toEqual(ctrs.map(contentFingerprint));
      });

      it('replays a batch whose invocation crashed after delivering: the documented raw duplicate, nothing lost', async () => {
        // Arrange
        const ctrs = [aCtr(), aCtr()];
        const batch = records(ctrs);
        const sink = new InMemorySink();
        const crash: RecordSink = {
          deliver: async (envelopes) => {
            await sink.deliver(envelopes);
            throw new Error('Task timed out');
          },
        };
        await expect(check(batch, crash)).rejects.toThrow('Task timed out');

        // Act
        const result = await check(batch, sink);

        // Assert: the same eventIDs re-own their unmarked claims
        expect(result.batchItemFailures).toEqual([]);
        const fingerprints = ctrs.map(contentFingerprint);
        expect(fingerprintsOf(sink.delivered)).toEqual([...fingerprints, ...fingerprints]);
      });

      it('treats an expired claim as absent, and an unexpired one of another record as a duplicate', async () => {
        // Arrange
        const [expired, live] = [aCtr(), aCtr()];
        const now = Math.floor(Date.now() / 1000);
        for (const [ctr, expiresAt] of [
          [expired, now - 60],
          [live, now + 3600],
        ] as const) {
          await fixture.putClaim(contentFingerprint(ctr), {
            claimedBy: 'shardId-000000000009:1',
            claimedAt: new Date((expiresAt - 86_400) * 1000).toISOString(),
            expiresAt,
          });
        }
        const batch = records([expired, live]);
        const sink = new InMemorySink();

        // Act
        const result = await check(batch, sink);

        // Assert
        expect(result.batchItemFailures).toEqual([]);
        expect(fingerprintsOf(sink.delivered)).toEqual([contentFingerprint(expired)]);
        expect((await fixture.getClaim(contentFingerprint(expired)))?.claimedBy).toBe(batch[0]?.eventId);
      });
    });

    describe('against the in-memory model (property)', () => {
      const op = fc.oneof(
        fc.record({
          kind: fc.constant('claim' as const),
          key: fc.nat({ max: 2 }),
          who: fc.nat({ max: 2 }),
          clock: fc.nat({ max: 4 }),
          lease: fc.nat({ max: 4 }),
          takeOver: fc.option(fc.nat({ max: 2 })),
        }),
        fc.record({
          kind: fc.constant('mark' as const),
          keys: fc.array(fc.nat({ max: 2 }), { maxLength: 3 }),
          who: fc.nat({ max: 2 }),
        }),
        fc.record({ kind: fc.constant('release' as const), key: fc.nat({ max: 2 }), who: fc.nat({ max: 2 }) }),
      );
      let run = 0;

      it('answers every sequence of claims, marks and releases exactly as the model of docs/CONTRACTS.md', async () => {
        await fc.assert(
          fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 12 }), async (ops) => {
            // Arrange: fresh keys per run; minutes apart on a clock from now on, leases a minute or two long
            const model = new InMemoryDedupStore();
            const prefix = `run-${++run}-`;
            const base = Date.now() + 60_000;
            const at = (step: number): Date => new Date(base + step * 60_000);
            const who = (n: number): string => `shardId-00000000000${n}:${sequenceNumberAt(n)}`;

            // Act / Assert: each answer equal to the model's
            for (const o of ops) {
              if (o.kind === 'claim') {
                const now = at(o.clock);
                const request: ClaimRequest = {
                  key: `${prefix}${o.key}`,
                  eventId: who(o.who),
                  now,
                  expiresAt: Math.floor(base / 1000) + 86_400,
                  leaseUntil: now.getTime() + o.lease * 30_000,
                  ...(o.takeOver === null ? {} : { takeOverFrom: who(o.takeOver) }),
                };
                expect(await store.claim(request)).toEqual(await model.claim(request));
              } else if (o.kind === 'mark') {
                const marks = [...new Set(o.keys)].map((key) => ({
                  ...delivered(`${prefix}${key}`, who(o.who)),
                  expiresAt: Math.floor(base / 1000) + 86_400,
                }));
                expect(await store.markDelivered(marks, NOW)).toEqual(await model.markDelivered(marks, NOW));
              } else {
                const key = `${prefix}${o.key}`;
                expect(await store.release(key, who(o.who))).toBe(await model.release(key, who(o.who)));
              }
            }
          }),
          { numRuns: 40 },
        );
      });
    });
  });
}
