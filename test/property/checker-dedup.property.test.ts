import fc from 'fast-check';
import { checkBatch } from '../../lambda/checker/check-batch';
import { DEFAULT_DELIVERED_KEYS_CAPACITY, DeliveredKeys } from '../../lambda/checker/delivered-keys';
import type { RecordSink, StreamRecord } from '../../lambda/checker/ports';
import type { Envelope } from '../../lambda/shared/envelope';
import { contentFingerprint } from '../../lambda/shared/fingerprint';
import {
  InMemoryDedupStore,
  InMemorySink,
  RecordingTelemetry,
  runLikeEventSourceMapping,
  runShardsLikeEventSourceMapping,
  type EventSourceMappingRun,
} from '../support/checker-harness';
import { aCtr, sequenceNumberAt } from '../support/ctr-factory';

/**
 * The checker against Lambda's retry loop: random streams of CTRs with duplicates (re-serialised copies too) and a
 * few bad records, random batch sizes, and random failures of claims, Firehose entries and bookkeeping writes, in
 * memory with the same claim semantics as DynamoDB. Each list of injected failures is finite, so every run ends.
 * Most runs share one cache of delivered keys across all their invocations, as a warm container does, sized from
 * one key (evicting all the time) to the default; the rest run without it, as after a cold start per batch.
 */

type Form = 'compact' | 'reordered' | 'pretty' | 'garbage';
type Crash = 'none' | 'before-delivery' | 'after-delivery';

const pick = fc.record({
  which: fc.nat({ max: 11 }),
  form: fc.constantFrom<Form>('compact', 'compact', 'reordered', 'pretty', 'compact', 'garbage'),
});

const scenario = fc.record({
  distinct: fc.integer({ min: 1, max: 12 }),
  picks: fc.array(pick, { minLength: 1, maxLength: 50 }),
  batchSizes: fc.array(fc.integer({ min: 1, max: 12 }), { minLength: 1, maxLength: 8 }),
  claimFailures: fc.array(fc.boolean(), { maxLength: 40 }),
  deliveryFailures: fc.array(fc.boolean(), { maxLength: 40 }),
  releaseFailures: fc.array(fc.boolean(), { maxLength: 10 }),
  /** 0: no cache. */
  cacheCapacity: fc.constantFrom(0, 1, 3, DEFAULT_DELIVERED_KEYS_CAPACITY),
});

type Scenario = typeof scenario extends fc.Arbitrary<infer T> ? T : never;

interface Stream {
  readonly records: StreamRecord[];
  /** Fingerprint of each distinct CTR that appears in the stream. */
  readonly fingerprints: Set<string>;
  /** Sequence numbers of the records that are not CTRs. */
  readonly garbage: Set<string>;
}

function buildStream(s: Scenario): Stream {
  const ctrs = Array.from({ length: s.distinct }, () => aCtr());
  const fingerprints = new Set<string>();
  const garbage = new Set<string>();
  const records = s.picks.map(({ which, form }, i): StreamRecord => {
    const ctr = ctrs[which % ctrs.length] as object;
    const sequenceNumber = sequenceNumberAt(i);
    let text: string;
    if (form === 'garbage') {
      text = `{"ContactId": broken ${i}`;
      garbage.add(sequenceNumber);
    } else {
      fingerprints.add(contentFingerprint(ctr));
      text =
        form === 'reordered'
          ? JSON.stringify(Object.fromEntries(Object.entries(ctr).reverse()))
          : JSON.stringify(ctr, null, form === 'pretty' ? 2 : undefined);
    }
    return {
      eventId: `shardId-000000000000:${sequenceNumber}`,
      sequenceNumber,
      data: Buffer.from(text).toString('base64'),
    };
  });
  return { records, fingerprints, garbage };
}

/** Wires the injected failures into the fakes; each list is consumed once, then calls succeed. */
function faultyWorld(s: Scenario, extra: { markDeliveredFailures?: boolean[] } = {}) {
  const queues = {
    claim: [...s.claimFailures],
    release: [...s.releaseFailures],
    markDelivered: [...(extra.markDeliveredFailures ?? [])],
    delivery: [...s.deliveryFailures],
  };
  const store = new InMemoryDedupStore();
  store.failWhen = (op) => queues[op].shift() ?? false;
  const sink = new InMemorySink();
  sink.failWhen = () => queues.delivery.shift() ?? false;
  return { store, sink };
}

function crashingSink(sink: RecordSink, crashes: Crash[]): RecordSink {
  return {
    async deliver(envelopes) {
      const crash = crashes.shift() ?? 'none';
      if (crash === 'before-delivery') throw new Error('crash before delivery');
      const report = await sink.deliver(envelopes);
      if (crash === 'after-delivery') throw new Error('crash after delivery');
      return report;
    },
  };
}

function deliveredCounts(envelopes: readonly Envelope[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const e of envelopes) {
    const key = e.kind === 'ctr' ? e.fingerprint : `q:${e.sequenceNumber}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

async function drain(
  stream: Stream,
  s: Scenario,
  sink: RecordSink,
  store: InMemoryDedupStore,
): Promise<EventSourceMappingRun> {
  const clock = () => new Date('2026-03-04T09:00:00Z');
  // One per run: the warm container the whole stream goes through.
  const deliveredKeys = s.cacheCapacity > 0 ? new DeliveredKeys(s.cacheCapacity) : undefined;
  return runLikeEventSourceMapping(stream.records, {
    batchSize: (invocation) => s.batchSizes[invocation % s.batchSizes.length] ?? 1,
    sequenceNumberOf: (r) => r.sequenceNumber,
    invoke: (batch) =>
      checkBatch(
        batch,
        { ttlHours: 24, keyStrategy: 'content', claimConcurrency: 4 },
        { store, sink, telemetry: new RecordingTelemetry(), clock, ...(deliveredKeys ? { deliveredKeys } : {}) },
      ),
  });
}

describe('checker dedup under Lambda retries (property)', () => {
  it('without crashes, delivers every distinct CTR exactly once and forwards every bad record', async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async (s) => {
        // Arrange
        const stream = buildStream(s);
        const { store, sink } = faultyWorld(s);

        // Act
        await drain(stream, s, sink, store);

        // Assert
        const counts = deliveredCounts(sink.delivered);
        for (const fingerprint of stream.fingerprints) expect(counts.get(fingerprint)).toBe(1);
        for (const sequenceNumber of stream.garbage)
          expect(counts.get(`q:${sequenceNumber}`)).toBeGreaterThanOrEqual(1);
        expect(sink.delivered.filter((e) => e.kind === 'ctr')).toHaveLength(stream.fingerprints.size);
      }),
      { numRuns: 300 },
    );
  });

  it('with crashes and failed bookkeeping writes too, still delivers every distinct CTR at least once', async () => {
    await fc.assert(
      fc.asyncProperty(
        scenario,
        fc.array(fc.constantFrom<Crash>('none', 'before-delivery', 'after-delivery'), { maxLength: 6 }),
        fc.array(fc.boolean(), { maxLength: 10 }),
        async (s, crashes, markDeliveredFailures) => {
          // Arrange
          const stream = buildStream(s);
          const { store, sink } = faultyWorld(s, { markDeliveredFailures });

          // Act
          await drain(stream, s, crashingSink(sink, [...crashes]), store);

          // Assert
          const counts = deliveredCounts(sink.delivered);
          for (const fingerprint of stream.fingerprints) expect(counts.get(fingerprint)).toBeGreaterThanOrEqual(1);
          for (const sequenceNumber of stream.garbage)
            expect(counts.get(`q:${sequenceNumber}`)).toBeGreaterThanOrEqual(1);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('loses a distinct CTR only if every record carrying it was given up, across shards, crashes and lost answers', async () => {
    await fc.assert(
      fc.asyncProperty(
        scenario,
        fc.record({
          shardOf: fc.array(fc.nat({ max: 2 }), { minLength: 50, maxLength: 50 }),
          crashes: fc.array(fc.constantFrom<Crash>('none', 'none', 'before-delivery', 'after-delivery'), {
            maxLength: 8,
          }),
          lostAnswers: fc.array(fc.boolean(), { maxLength: 20 }),
          markDeliveredFailures: fc.array(fc.boolean(), { maxLength: 10 }),
          maxRetryAttempts: fc.integer({ min: 0, max: 3 }),
        }),
        async (s, world) => {
          // Arrange: records spread over up to three shards; Lambda gives a batch up after a few retries
          const stream = buildStream(s);
          const shards: StreamRecord[][] = [[], [], []];
          stream.records.forEach((record, i) => {
            const shard = world.shardOf[i % world.shardOf.length] ?? 0;
            shards[shard]!.push({ ...record, eventId: `shardId-00000000000${shard}:${record.sequenceNumber}` });
          });
          const { store, sink } = faultyWorld(s, { markDeliveredFailures: world.markDeliveredFailures });
          const lost = [...world.lostAnswers];
          store.loseAnswerWhen = () => lost.shift() ?? false;
          const crashing = crashingSink(sink, [...world.crashes]);
          let invocations = 0;

          // Act: each invocation 30 s after the previous one, so that leases (2 min) run out along the way
          const run = await runShardsLikeEventSourceMapping(shards, {
            batchSize: (invocation) => s.batchSizes[invocation % s.batchSizes.length] ?? 1,
            sequenceNumberOf: (r) => r.sequenceNumber,
            maxRetryAttempts: world.maxRetryAttempts,
            invoke: (batch) => {
              const now = new Date(Date.parse('2026-03-04T09:00:00Z') + 30_000 * invocations++);
              let left = 120_000;
              return checkBatch(
                batch,
                { ttlHours: 24, keyStrategy: 'content', claimConcurrency: 4 },
                {
                  store,
                  sink: crashing,
                  telemetry: new RecordingTelemetry(),
                  clock: () => now,
                  timeLeft: () => left,
                  sleep: async (ms) => {
                    left -= ms;
                  },
                },
              );
            },
          });

          // Assert
          const counts = deliveredCounts(sink.delivered);
          const givenUp = new Set(run.givenUp.map((record) => record.eventId));
          for (const record of shards.flat()) {
            const text = Buffer.from(record.data, 'base64').toString('utf8');
            if (givenUp.has(record.eventId) || stream.garbage.has(record.sequenceNumber)) continue;
            expect(counts.get(contentFingerprint(JSON.parse(text)))).toBeGreaterThanOrEqual(1);
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it('on the happy path claims each record that is first of its key in its batch, minus the keys the cache held', async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async (s) => {
        // Arrange
        const stream = buildStream(s);
        const store = new InMemoryDedupStore();
        const sink = new InMemorySink();
        let firstsInBatch = 0;
        const sizeOf = (invocation: number): number => s.batchSizes[invocation % s.batchSizes.length] ?? 1;
        for (let start = 0, invocation = 0; start < stream.records.length; start += sizeOf(invocation++)) {
          const batch = stream.records.slice(start, start + sizeOf(invocation));
          const keys = batch
            .map((r) => Buffer.from(r.data, 'base64').toString('utf8'))
            .filter((text) => !text.includes('broken'))
            .map((text) => contentFingerprint(JSON.parse(text)));
          firstsInBatch += new Set(keys).size;
        }

        // Act
        const run = await drain(stream, s, sink, store);

        // Assert: one claim per kept record the cache did not hold (with room for every key: one per distinct CTR),
        // one delivered mark per distinct CTR, no release, at most one sink call per invocation
        const claims = store.calls.filter((c) => c.op === 'claim').length;
        if (s.cacheCapacity === 0) expect(claims).toBe(firstsInBatch);
        else if (s.cacheCapacity >= stream.fingerprints.size) expect(claims).toBe(stream.fingerprints.size);
        else {
          expect(claims).toBeGreaterThanOrEqual(stream.fingerprints.size);
          expect(claims).toBeLessThanOrEqual(firstsInBatch);
        }
        expect(store.calls.filter((c) => c.op === 'markDelivered')).toHaveLength(stream.fingerprints.size);
        expect(store.calls.some((c) => c.op === 'release')).toBe(false);
        expect(sink.calls.length).toBeLessThanOrEqual(run.invocations);
      }),
      { numRuns: 100 },
    );
  });
});
