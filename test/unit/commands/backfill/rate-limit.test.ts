import { RateLimiter } from '../../../../commands/backfill/rate-limit';

function fakeTime(): { now: () => number; sleep: (ms: number) => Promise<void>; slept: number[] } {
  let now = 1_000;
  const slept: number[] = [];
  return {
    now: () => now,
    sleep: async (ms) => {
      slept.push(ms);
      now += ms;
    },
    slept,
  };
}

describe('RateLimiter', () => {
  it('lets the first request go at once and spaces the next ones by their share of a second', async () => {
    // Arrange
    const time = fakeTime();
    const limiter = new RateLimiter({ recordsPerSecond: 1000 }, time.now, time.sleep);

    // Act
    await limiter.take(500, 0);
    await limiter.take(500, 0);
    await limiter.take(250, 0);

    // Assert
    expect(time.slept).toEqual([500, 500]);
  });

  it('waits for the byte rate when bytes are what limits', async () => {
    // Arrange
    const time = fakeTime();
    const limiter = new RateLimiter({ recordsPerSecond: 1000, bytesPerSecond: 1024 * 1024 }, time.now, time.sleep);

    // Act
    await limiter.take(10, 2 * 1024 * 1024);
    await limiter.take(10, 0);

    // Assert
    expect(time.slept).toEqual([2000]);
  });

  it('does not make up for time spent elsewhere by sending faster later', async () => {
    // Arrange: the caller is slower than the rate on its own.
    let now = 0;
    const slept: number[] = [];
    const limiter = new RateLimiter(
      { recordsPerSecond: 100 },
      () => now,
      async (ms) => void slept.push(ms),
    );

    // Act
    await limiter.take(100, 0);
    now += 5_000;
    await limiter.take(100, 0);

    // Assert
    expect(slept).toEqual([]);
  });

  it('never waits without a rate', async () => {
    // Arrange
    const time = fakeTime();
    const limiter = new RateLimiter(undefined, time.now, time.sleep);

    // Act
    await limiter.take(1_000_000, 1_000_000_000);
    await limiter.take(1_000_000, 1_000_000_000);

    // Assert
    expect(time.slept).toEqual([]);
  });
});
