import { DEFAULT_DELIVERED_KEYS_CAPACITY, DeliveredKeys } from '../../../lambda/checker/delivered-keys';

const NOW = new Date('2026-03-04T09:30:00Z');
const NOW_SECONDS = NOW.getTime() / 1000;
const LATER = NOW_SECONDS + 3600;

/** A cache of `capacity` keys that remembered `keys` in this order, all expiring in an hour. */
function cacheOf(capacity: number, ...keys: string[]): DeliveredKeys {
  const cache = new DeliveredKeys(capacity);
  for (const key of keys) cache.remember(key, LATER);
  return cache;
}

function at(epochSeconds: number, milliseconds = 0): Date {
  return new Date(epochSeconds * 1000 + milliseconds);
}

describe('DeliveredKeys', () => {
  it('holds a remembered key and nothing else', () => {
    // Arrange
    const cache = new DeliveredKeys();

    // Act
    cache.remember('a', LATER);

    // Assert
    expect(cache.has('a', NOW)).toBe(true);
    expect(cache.has('b', NOW)).toBe(false);
  });

  it('holds a key until its expiresAt second, as the claim condition `expiresAt < :now` does', () => {
    // Arrange
    const cache = cacheOf(DEFAULT_DELIVERED_KEYS_CAPACITY, 'a', 'b');

    // Act
    const lastSecond = cache.has('a', at(LATER, 999));
    const afterIt = cache.has('b', at(LATER + 1));

    // Assert
    expect(lastSecond).toBe(true);
    expect(afterIt).toBe(false);
  });

  it('forgets an expired key when it sees it, and takes it again with a new expiry', () => {
    // Arrange
    const cache = new DeliveredKeys();
    cache.remember('a', LATER);

    // Act
    const expired = cache.has('a', at(LATER + 1));
    const sizeAfter = cache.size;
    cache.remember('a', LATER + 7200);

    // Assert
    expect(expired).toBe(false);
    expect(sizeAfter).toBe(0);
    expect(cache.has('a', at(LATER + 1))).toBe(true);
  });

  it('evicts the least recently used key beyond its capacity, a hit counting as a use', () => {
    // Arrange
    const cache = cacheOf(3, 'a', 'b', 'c');
    cache.has('a', NOW);

    // Act
    cache.remember('d', LATER);

    // Assert: b was the least recently used
    expect(['a', 'b', 'c', 'd'].filter((key) => cache.has(key, NOW))).toEqual(['a', 'c', 'd']);
    expect(cache.size).toBe(3);
  });

  it('counts remembering a key again as a use, without holding it twice', () => {
    // Arrange
    const cache = cacheOf(2, 'a', 'b');

    // Act
    cache.remember('a', LATER);
    cache.remember('c', LATER);

    // Assert
    expect(cache.has('a', NOW)).toBe(true);
    expect(cache.has('b', NOW)).toBe(false);
    expect(cache.size).toBe(2);
  });

  it('never holds more than its capacity, and keeps the most recent keys, over many evictions', () => {
    // Arrange
    const capacity = 1_000;
    const cache = new DeliveredKeys(capacity);

    // Act
    for (let i = 0; i < 50 * capacity; i++) {
      cache.remember(`k${i}`, LATER);
      if (i % 7 === 0) cache.has(`k${i - 500}`, NOW);
    }

    // Assert
    expect(cache.size).toBe(capacity);
    expect(cache.has(`k${50 * capacity - 1}`, NOW)).toBe(true);
    expect(cache.has(`k${49 * capacity - 1}`, NOW)).toBe(false);
  });

  it('evicts through one long-lived iterator on a full cache (a fresh iterator per eviction made this take a minute)', () => {
    // Arrange: a full cache; a fresh `keys()` iterator per eviction walks every entry deleted since V8 last
    // compacted the Map, which is what made evictions quadratic. Counting iterators keeps the test free of timing.
    const cache = new DeliveredKeys();
    for (let i = 0; i < DEFAULT_DELIVERED_KEYS_CAPACITY; i++) cache.remember(`old-${i}`, LATER);
    const keys = jest.spyOn(Map.prototype, 'keys');

    // Act
    try {
      for (let i = 0; i < 200_000; i++) cache.remember(`new-${i}`, LATER);
    } finally {
      keys.mockRestore();
    }

    // Assert: no new iterator, and the oldest entries went first
    expect(keys).not.toHaveBeenCalled();
    expect(cache.size).toBe(DEFAULT_DELIVERED_KEYS_CAPACITY);
    expect(cache.has(`new-${200_000 - DEFAULT_DELIVERED_KEYS_CAPACITY}`, NOW)).toBe(true);
    expect(cache.has(`new-${200_000 - DEFAULT_DELIVERED_KEYS_CAPACITY - 1}`, NOW)).toBe(false);
    expect(cache.has('old-0', NOW)).toBe(false);
  });

  it.each([0, -1, 1.5, Number.NaN])('refuses a capacity of %s', (capacity) => {
    expect(() => new DeliveredKeys(capacity)).toThrow(RangeError);
  });
});
