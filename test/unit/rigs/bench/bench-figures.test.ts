import { encodeEnvelope } from '../../../../lambda/checker/firehose-batches';
import { contentFingerprint } from '../../../../lambda/shared/fingerprint';
import { BENCH_FIGURES } from '../../../../lib/cost/bench-figures';
import { benchStream } from '../../../../rigs/bench/bench-stream';

/**
 * `npm run cost` prices a volume from figures the bench measured (lib/cost/bench-figures.ts). The byte figures are
 * deterministic for the bench's seed: this keeps the recorded ones equal to what the bench's stream gives today.
 */
describe('the bench figures npm run cost uses', () => {
  const stream = benchStream({ seed: 20260302, records: 10_000, batchSize: 100, duplicateRate: 0.3 });
  const records = stream.batches.flat();
  const mean = (values: readonly number[]): number => values.reduce((a, b) => a + b, 0) / values.length;

  it("record the mean CTR size of the bench's stream", () => {
    const ctrBytes = mean(records.map((record) => Buffer.byteLength(record.text, 'utf8')));

    expect(Math.abs(ctrBytes / BENCH_FIGURES.ctrBytes - 1)).toBeLessThan(0.005);
  });

  it('record the envelope bytes per CTR byte the checker sends to Firehose', () => {
    const originals = records.filter((record) => record.kind === 'original');
    const envelopes = originals.map(
      (record, i) =>
        encodeEnvelope({
          kind: 'ctr',
          fingerprint: contentFingerprint(JSON.parse(record.text)),
          sequenceNumber: String(49_650_000_000_000_000_000_000_000_000_000_000_000n + BigInt(i) * 1000n),
          raw: record.text,
        }).length,
    );
    const ratio = mean(envelopes) / mean(originals.map((record) => Buffer.byteLength(record.text, 'utf8')));

    expect(Math.abs(ratio / BENCH_FIGURES.envelopeBytesPerCtrByte - 1)).toBeLessThan(0.005);
  });
});
