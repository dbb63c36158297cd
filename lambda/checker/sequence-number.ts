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

/** A Kinesis record's place on the stream, as its Lambda eventID (`shardId-…:<sequenceNumber>`) carries it. */
export interface StreamPosition {
  readonly shardId: string;
  readonly sequenceNumber: string;
}

/**
 * The eventID Lambda's Kinesis event source gives a record: `<shardId>:<sequenceNumber>`. The dedup table's
 * `claimedBy` holds it, and the redrive rebuilds it from an on-failure message's range to release the claims of the
 * records Lambda gave up.
 */
export function eventIdOf(position: StreamPosition): string {
  return `${position.shardId}:${position.sequenceNumber}`;
}

/** The shard and sequence number of an eventID, or undefined when it is not in Lambda's format. */
export function parseEventId(eventId: string): StreamPosition | undefined {
  const colon = eventId.lastIndexOf(':');
  if (colon <= 0) return undefined;
  const sequenceNumber = eventId.slice(colon + 1);
  if (!/^\d+$/.test(sequenceNumber)) return undefined;
  return { shardId: eventId.slice(0, colon), sequenceNumber };
}
