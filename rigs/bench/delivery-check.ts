import { contentFingerprint } from '../../lambda/shared/fingerprint';
import type { BenchStream } from './bench-stream';
import type { DeliveredStream } from './firehose-counting-sink';

/** What one design delivered to Firehose, against the distinct CTRs of the stream it was fed. */
export interface DeliveryFigures {
  /** Records Firehose received. */
  readonly records: number;
  /** Distinct CTRs among them (by content fingerprint). */
  readonly distinct: number;
  /** Copies beyond the first of a CTR: duplicates that got through. */
  readonly extraCopies: number;
  /** Distinct CTRs of the stream that never arrived. */
  readonly missing: number;
  /** Records that are not one of the stream's CTRs (quarantined, or a fingerprint the stream does not hold). */
  readonly unexpected: number;
  /** Every distinct CTR of the stream arrived, and nothing else did (copies aside). */
  readonly sameUniqueSet: boolean;
}

/** The content fingerprints of the stream's distinct CTRs: the set every design must deliver. */
export function expectedFingerprints(stream: BenchStream): Set<string> {
  const fingerprints = new Set<string>();
  for (const batch of stream.batches) {
    for (const record of batch)
      if (record.kind === 'original') fingerprints.add(contentFingerprint(JSON.parse(record.text)));
  }
  return fingerprints;
}

export function checkDelivery(delivered: DeliveredStream, expected: ReadonlySet<string>): DeliveryFigures {
  let extraCopies = 0;
  let unexpected = delivered.quarantined;
  for (const [fingerprint, copies] of delivered.fingerprints) {
    if (expected.has(fingerprint)) extraCopies += copies - 1;
    else unexpected += copies;
  }
  let missing = 0;
  for (const fingerprint of expected) if (!delivered.fingerprints.has(fingerprint)) missing++;
  return {
    records: delivered.records,
    distinct: delivered.fingerprints.size,
    extraCopies,
    missing,
    unexpected,
    sameUniqueSet: missing === 0 && unexpected === 0,
  };
}

/** One line saying what went wrong, for a design that must deliver every distinct CTR exactly once. */
export function deliveryProblem(figures: DeliveryFigures, options: { allowExtraCopies: boolean }): string | undefined {
  const problems = [
    figures.missing > 0 ? `${figures.missing} distinct CTRs missing` : '',
    figures.unexpected > 0 ? `${figures.unexpected} records that are not the stream's CTRs` : '',
    !options.allowExtraCopies && figures.extraCopies > 0 ? `${figures.extraCopies} duplicates delivered` : '',
  ].filter((problem) => problem !== '');
  return problems.length > 0 ? problems.join(', ') : undefined;
}
