import { contentFingerprint } from '../../../../lambda/shared/fingerprint';
import {
  benchStream,
  spread,
  syntheticCtrs,
  toKinesisEvents,
  withoutKind,
  type BenchRecord,
} from '../../../../rigs/bench/bench-stream';

const OPTIONS = { seed: 7, records: 1000, batchSize: 100, duplicateRate: 0.3 };

describe('spread', () => {
  it('splits a total into near-equal integer parts that sum to it', () => {
    const parts = spread(1500, 99);
    expect(parts.reduce((a, b) => a + b, 0)).toBe(1500);
    expect(Math.max(...parts) - Math.min(...parts)).toBeLessThanOrEqual(1);
  });
});

describe('benchStream', () => {
  const stream = benchStream(OPTIONS);
  const all = stream.batches.flat();
  const ofKind = (kind: BenchRecord['kind']): BenchRecord[] => all.filter((r) => r.kind === kind);

  it('holds exactly the records, batches and duplicate split asked for', () => {
    expect(stream.batches).toHaveLength(10);
    expect(stream.batches.every((batch) => batch.length === 100)).toBe(true);
    expect(ofKind('original')).toHaveLength(700);
    expect(ofKind('inBatchDuplicate')).toHaveLength(150);
    expect(ofKind('crossBatchDuplicate')).toHaveLength(150);
    expect(stream.batches[0]?.some((r) => r.kind === 'crossBatchDuplicate')).toBe(false);
  });

  it('puts each in-batch duplicate after its original in the same batch, each cross-batch one in a later batch', () => {
    for (const [b, batch] of stream.batches.entries()) {
      batch.forEach((record, position) => {
        const original = batch.findIndex((r) => r.kind === 'original' && r.sourceIndex === record.sourceIndex);
        if (record.kind === 'inBatchDuplicate') expect(original).toBeGreaterThanOrEqual(0);
        if (record.kind === 'inBatchDuplicate') expect(original).toBeLessThan(position);
        if (record.kind === 'crossBatchDuplicate') {
          expect(original).toBe(-1);
          const home = stream.batches.findIndex((other) =>
            other.some((r) => r.kind === 'original' && r.sourceIndex === record.sourceIndex),
          );
          expect(home).toBeLessThan(b);
        }
      });
    }
  });

  it('makes every copy carry the same CTR as its original, some of them with their keys reordered', () => {
    const originals = new Map(ofKind('original').map((r) => [r.sourceIndex, r.text]));
    const copies = all.filter((r) => r.kind !== 'original');
    for (const copy of copies) {
      expect(contentFingerprint(JSON.parse(copy.text))).toBe(
        contentFingerprint(JSON.parse(originals.get(copy.sourceIndex)!)),
      );
    }
    expect(copies.some((copy) => copy.text !== originals.get(copy.sourceIndex))).toBe(true);
    expect(new Set(ofKind('original').map((r) => contentFingerprint(JSON.parse(r.text)))).size).toBe(stream.unique);
  });

  it('is the same stream for the same seed', () => {
    expect(benchStream(OPTIONS).batches).toEqual(stream.batches);
  });

  it('drops one kind of duplicate and keeps the batch boundaries', () => {
    const lean = withoutKind(stream, 'inBatchDuplicate');
    expect(lean.batches).toHaveLength(10);
    expect(lean.records).toBe(850);
    expect(lean.inBatchDuplicates).toBe(0);
    expect(lean.batches.flat().some((r) => r.kind === 'inBatchDuplicate')).toBe(false);
  });

  it('becomes one Kinesis event per batch with increasing sequence numbers', () => {
    const events = toKinesisEvents(stream);
    const sequence = events.flatMap((e) => e.Records.map((r) => BigInt(r.kinesis.sequenceNumber)));
    expect(events).toHaveLength(10);
    expect(sequence.every((s, i) => i === 0 || s > sequence[i - 1]!)).toBe(true);
    expect(Buffer.from(events[0]!.Records[0]!.kinesis.data, 'base64').toString('utf8')).toBe(
      stream.batches[0]![0]!.text,
    );
  });
});

describe('syntheticCtrs', () => {
  it('returns exactly the count asked for, spread over the days asked for', () => {
    const ctrs = syntheticCtrs(3000, { seed: 3, days: 30 });
    const days = new Set(ctrs.map((c) => String(c.InitiationTimestamp).slice(0, 10)));
    expect(ctrs).toHaveLength(3000);
    expect(days.size).toBeGreaterThanOrEqual(29);
  });
});
