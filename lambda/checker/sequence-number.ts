/**
 * Kinesis sequence numbers are decimal strings of up to 128 bits: longer than a double holds exactly, and not
 * comparable as strings when lengths differ. Compare them as BigInt.
 */
export function compareSequenceNumbers(a: string, b: string): number {
  const x = BigInt(a);
  const y = BigInt(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** The lowest of some sequence numbers, or undefined when there are none. */
export function lowestSequenceNumber(sequenceNumbers: Iterable<string>): string | undefined {
  let lowest: string | undefined;
  for (const s of sequenceNumbers) {
    if (lowest === undefined || compareSequenceNumbers(s, lowest) < 0) lowest = s;
  }
  return lowest;
}

/** Whether `s` comes after the failure point `f`; with no failure point (undefined) nothing does. */
export function isAfter(s: string, f: string | undefined): boolean {
  return f !== undefined && compareSequenceNumbers(s, f) > 0;
}
