import { realSleep, type Sleep } from '../../lambda/shared/backoff';

/** How fast a backfill may put records on the stream. */
export interface Rate {
  readonly recordsPerSecond: number;
  /** @default no byte limit */
  readonly bytesPerSecond?: number;
}

/**
 * Paces requests to a rate: each `take` waits until the previous requests' share of time has passed, then books its
 * own (records / rate, or bytes / byte rate, whichever is longer). The first request goes at once; over any stretch
 * the average stays at or under the rate. Clock and sleep are injectable so that tests run instantly.
 */
export class RateLimiter {
  private readyAt: number | undefined;

  constructor(
    private readonly rate: Rate | undefined,
    private readonly clock: () => number = Date.now,
    private readonly sleep: Sleep = realSleep,
  ) {}

  async take(records: number, bytes: number): Promise<void> {
    const { rate } = this;
    if (!rate) return;
    const now = this.clock();
    const readyAt = Math.max(this.readyAt ?? now, now);
    if (readyAt > now) await this.sleep(readyAt - now);
    const seconds = Math.max(
      records / rate.recordsPerSecond,
      rate.bytesPerSecond !== undefined ? bytes / rate.bytesPerSecond : 0,
    );
    this.readyAt = readyAt + seconds * 1000;
  }
}
