import type { JsonObject, JsonValue } from './ctr-builder';
import { mulberry32, randomInt, shuffled, type Random } from './prng';

/**
 * Turns distinct CTRs into what a Kinesis stream would carry under at-least-once delivery: every record once, plus
 * duplicates at an exact rate, each landing a little after its original. A duplicate is either an exact
 * redelivery (the same bytes) or a key-reordered copy (the same content serialized with its keys in another
 * order, as a re-serializing producer would send): both must come out of the checker as one row.
 */
export interface DeliveryOptions {
  readonly seed: number;
  /** Share of delivered records that are duplicates, in [0, 1). 0.3 means 30 of every 100 records are copies. */
  readonly duplicateRate: number;
  /** Share of duplicates that are key-reordered rather than byte-identical. @default 0.5 */
  readonly reorderedShare?: number;
  /** A duplicate lands 1 to `maxDelay` originals after its source. @default 50 */
  readonly maxDelay?: number;
}

export type DeliveryKind = 'original' | 'redelivery' | 'reordered';

export interface Delivery {
  /** The record's bytes on the stream, compact JSON. */
  readonly text: string;
  readonly kind: DeliveryKind;
  /** Position of the source record in the input: deliveries with the same sourceIndex carry the same CTR. */
  readonly sourceIndex: number;
  readonly contactId: string;
}

export function deliveryStream(ctrs: readonly JsonObject[], options: DeliveryOptions): Delivery[] {
  return Array.from(iterateDeliveries(ctrs, options));
}

/**
 * Streams deliveries. The number of duplicates is exact, not sampled: after n originals,
 * floor(n * rate / (1 - rate)) duplicates have been scheduled, so the final rate is within one record of the target.
 * Which original each duplicate copies, its kind and its delay are drawn from the seeded PRNG.
 */
export function* iterateDeliveries(ctrs: Iterable<JsonObject>, options: DeliveryOptions): Generator<Delivery> {
  const { duplicateRate } = options;
  if (!(duplicateRate >= 0 && duplicateRate < 1)) {
    throw new RangeError(`duplicateRate must be in [0, 1), received ${duplicateRate}`);
  }
  const random = mulberry32(options.seed);
  const reorderedShare = options.reorderedShare ?? 0.5;
  const maxDelay = options.maxDelay ?? 50;
  const duplicatesPerOriginal = duplicateRate / (1 - duplicateRate);

  // Recent originals a duplicate may copy, and duplicates waiting for their turn (due = originals seen).
  const recent: Array<{ ctr: JsonObject; sourceIndex: number }> = [];
  const pending: Array<{ due: number; delivery: Delivery }> = [];
  let originals = 0;
  let scheduled = 0;

  for (const ctr of ctrs) {
    const sourceIndex = originals;
    yield { text: JSON.stringify(ctr), kind: 'original', sourceIndex, contactId: contactIdOf(ctr) };
    originals += 1;
    recent.push({ ctr, sourceIndex });
    if (recent.length > maxDelay) recent.shift();

    while (scheduled < Math.floor(originals * duplicatesPerOriginal + 1e-9)) {
      const source = recent[Math.floor(random() * recent.length)]!;
      const reordered = random() < reorderedShare;
      pending.push({
        due: originals + randomInt(random, 0, maxDelay - 1),
        delivery: {
          text: JSON.stringify(reordered ? reorderKeys(random, source.ctr) : source.ctr),
          kind: reordered ? 'reordered' : 'redelivery',
          sourceIndex: source.sourceIndex,
          contactId: contactIdOf(source.ctr),
        },
      });
      scheduled += 1;
    }
    yield* takeDue(pending, originals);
  }
  yield* takeDue(pending, Number.POSITIVE_INFINITY);
}

function* takeDue(pending: Array<{ due: number; delivery: Delivery }>, now: number): Generator<Delivery> {
  // Stable: duplicates due at the same time come out in the order they were scheduled.
  const ready = pending.filter((p) => p.due <= now);
  if (ready.length === 0) return;
  const waiting = pending.filter((p) => p.due > now);
  pending.splice(0, pending.length, ...waiting);
  for (const p of ready.sort((a, b) => a.due - b.due)) yield p.delivery;
}

/** The same JSON value with object keys shuffled at every level (guaranteed different at the top when possible). */
export function reorderKeys(random: Random, value: JsonObject): JsonObject {
  const keys = Object.keys(value);
  let order = shuffled(random, keys);
  if (keys.length > 1 && order.every((k, i) => k === keys[i])) order = [...keys].reverse();
  const result: JsonObject = {};
  for (const key of order) result[key] = reorderValue(random, value[key] as JsonValue);
  return result;
}

function reorderValue(random: Random, value: JsonValue): JsonValue {
  if (Array.isArray(value)) return value.map((v) => reorderValue(random, v));
  if (value !== null && typeof value === 'object') return reorderKeys(random, value);
  return value;
}

function contactIdOf(ctr: JsonObject): string {
  return typeof ctr.ContactId === 'string' ? ctr.ContactId : '';
}

/** Duplicate share of a delivery stream: what the bench reports next to the target rate. */
export function measuredDuplicateRate(deliveries: readonly Delivery[]): number {
  if (deliveries.length === 0) return 0;
  return deliveries.filter((d) => d.kind !== 'original').length / deliveries.length;
}
