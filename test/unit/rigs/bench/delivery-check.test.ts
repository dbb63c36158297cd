import { benchStream } from '../../../../rigs/bench/bench-stream';
import { checkDelivery, deliveryProblem, expectedFingerprints } from '../../../../rigs/bench/delivery-check';
import type { DeliveredStream } from '../../../../rigs/bench/firehose-counting-sink';

function aDelivery(copies: Record<string, number>, quarantined = 0): DeliveredStream {
  const fingerprints = new Map(Object.entries(copies));
  const records = [...fingerprints.values()].reduce((a, b) => a + b, 0) + quarantined;
  return { fingerprints, quarantined, records, requests: 1 };
}

describe('checkDelivery', () => {
  const expected = new Set(['a', 'b', 'c']);

  it('accepts every distinct CTR once, and nothing else', () => {
    const figures = checkDelivery(aDelivery({ a: 1, b: 1, c: 1 }), expected);
    expect(figures).toEqual({
      records: 3,
      distinct: 3,
      extraCopies: 0,
      missing: 0,
      unexpected: 0,
      sameUniqueSet: true,
    });
    expect(deliveryProblem(figures, { allowExtraCopies: false })).toBeUndefined();
  });

  it('counts duplicates that got through, allowed only where asked', () => {
    const figures = checkDelivery(aDelivery({ a: 3, b: 1, c: 2 }), expected);
    expect(figures).toMatchObject({ extraCopies: 3, sameUniqueSet: true });
    expect(deliveryProblem(figures, { allowExtraCopies: false })).toBe('3 duplicates delivered');
    expect(deliveryProblem(figures, { allowExtraCopies: true })).toBeUndefined();
  });

  it('tells a lost CTR and a record that is not one of the stream`s apart', () => {
    const figures = checkDelivery(aDelivery({ a: 1, b: 1, z: 1 }, 2), expected);
    expect(figures).toMatchObject({ missing: 1, unexpected: 3, sameUniqueSet: false });
    expect(deliveryProblem(figures, { allowExtraCopies: true })).toBe(
      "1 distinct CTRs missing, 3 records that are not the stream's CTRs",
    );
  });
});

describe('expectedFingerprints', () => {
  it('holds one fingerprint per distinct CTR of the stream, re-serialised copies included', () => {
    const stream = benchStream({ seed: 7, records: 200, batchSize: 50, duplicateRate: 0.3, reorderedShare: 1 });
    expect(expectedFingerprints(stream).size).toBe(stream.unique);
  });
});
