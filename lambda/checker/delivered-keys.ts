/**
 * Step 4 of the dedup protocol (check-batch.ts): the dedup keys this container delivered recently, so a copy
 * arriving in a later batch is dropped without a DynamoDB request. Pure and in memory: it lives as long as the
 * warm Lambda container and is lost with it, which only costs a DynamoDB request per key again, never correctness.
 *
 * Bounded: at most `capacity` keys, the least recently used evicted first. A Map iterates in insertion order, so
 * re-inserting a key on every use keeps the least recently used entry first: an LRU with O(1) operations and no
 * extra structure. Each entry expires at its claim's `expiresAt`, when the table stops refusing the key too.
 */

export const DEFAULT_DELIVERED_KEYS_CAPACITY = 100_000;

export class DeliveredKeys {
  /** Key → the claim's expiresAt (epoch seconds). Map order = recency, least recently used first. */
  private readonly entries = new Map<string, number>();
  private oldest: MapIterator<string> = this.entries.keys();

  constructor(readonly capacity: number = DEFAULT_DELIVERED_KEYS_CAPACITY) {
    if (!Number.isInteger(capacity) || capacity < 1) {
      throw new RangeError(`DeliveredKeys capacity must be a positive integer, received ${capacity}`);
    }
  }

  /** Keys held, expired ones not yet noticed included. */
  get size(): number {
    return this.entries.size;
  }

  /**
   * Whether `key` was delivered by this container and its claim still holds at `now`. Mirrors the claim condition
   * `expiresAt < :now` (absent) with the same whole-second clock, so the cache never refuses a key the table would
   * accept. A hit counts as a use; an expired entry is dropped.
   */
  has(key: string, now: Date): boolean {
    const expiresAt = this.entries.get(key);
    if (expiresAt === undefined) return false;
    this.entries.delete(key);
    if (expiresAt < Math.floor(now.getTime() / 1000)) return false;
    this.entries.set(key, expiresAt);
    return true;
  }

  /** Records that this container delivered `key` under a claim lasting until `expiresAt` (epoch seconds). */
  remember(key: string, expiresAt: number): void {
    this.entries.delete(key);
    this.entries.set(key, expiresAt);
    while (this.entries.size > this.capacity) this.evictOldest();
  }

  /**
   * Evicts the first (least recently used) entry through one long-lived iterator. A fresh `keys()` iterator per
   * eviction would walk past every entry deleted since V8 last compacted the table (up to half the capacity), which
   * made a full cache 1,000 times slower. A Map iterator stays valid across deletes and rehashes and sees entries
   * added later, and everything it has passed was evicted, so its next key is always the oldest live one.
   */
  private evictOldest(): void {
    let next = this.oldest.next();
    if (next.done) {
      // Only if it ran dry when the Map was empty: start over, the Map holds entries again.
      this.oldest = this.entries.keys();
      next = this.oldest.next();
    }
    if (!next.done) this.entries.delete(next.value);
  }
}
