import { setMaxListeners } from 'node:events';
import { CHECKER_TIMEOUT_SECONDS } from './config';

/**
 * How an invocation spends its time, so that it never outlives its function (a timeout is a crash: claims left
 * unreleased, records delivered and not marked). From the time left at the start (the Lambda context's
 * getRemainingTimeInMillis):
 * - the work (claims, waits for claims in progress, Firehose) must stop `settleMs + returnMs` before the end: no
 *   claim or delivery attempt starts after that, and requests still in flight are aborted (`work` signal);
 * - the bookkeeping writes (delivered marks, releases) get the next `settleMs` (`settle` signal);
 * - the last `returnMs` are left for the answer and the metrics flush.
 * Reserves are shares of the time, capped, so a 2-minute invocation keeps 15 s for bookkeeping and 1 s to return,
 * and a short test deadline still has work time.
 */
export class TimeBudget {
  /** Aborts when the work must stop. */
  readonly work: AbortSignal;
  /** Aborts when the bookkeeping writes must stop. */
  readonly settle: AbortSignal;
  /** The time the invocation had at its start, in ms. */
  readonly total: number;
  private readonly settleMs: number;
  private readonly returnMs: number;
  private readonly timers: NodeJS.Timeout[] = [];

  constructor(private readonly timeLeft: () => number) {
    this.total = Math.max(0, timeLeft());
    this.returnMs = Math.min(RETURN_MAX_MS, this.total * RETURN_SHARE);
    this.settleMs = Math.min(SETTLE_MAX_MS, this.total * SETTLE_SHARE);
    this.work = this.abortAfter(this.total - this.settleMs - this.returnMs);
    this.settle = this.abortAfter(this.total - this.returnMs);
  }

  /** Milliseconds the work may still take (≤ 0: stop). */
  workLeft(): number {
    return this.work.aborted ? 0 : this.timeLeft() - this.settleMs - this.returnMs;
  }

  /** Milliseconds the bookkeeping writes may still take (≤ 0: stop). */
  settleLeft(): number {
    return this.settle.aborted ? 0 : this.timeLeft() - this.returnMs;
  }

  /**
   * The lease of a claim made at `claimedAt` (epoch ms, the claim clock): when this invocation is certainly over, with
   * a margin for clock skew between hosts and requests still on the network. A claim not marked delivered by then
   * is stale, and another record takes it over.
   */
  leaseUntil(claimedAt: number): number {
    return claimedAt + this.total + LEASE_MARGIN_MS;
  }

  dispose(): void {
    for (const timer of this.timers.splice(0)) clearTimeout(timer);
  }

  private abortAfter(ms: number): AbortSignal {
    const controller = new AbortController();
    // Every request of the invocation listens to this one signal (a batch of 100 claims is 100 listeners): Node's
    // warning at 11 would be noise on every large batch, not a leak, so the limit is lifted for this signal only.
    setMaxListeners(0, controller.signal);
    if (ms <= 0) controller.abort(new Error('the invocation is out of time'));
    else {
      const timer = setTimeout(() => controller.abort(new Error('the invocation is out of time')), ms);
      // A pending deadline must not keep a process alive (local runs, tests): dispose() clears it anyway.
      timer.unref();
      this.timers.push(timer);
    }
    return controller.signal;
  }
}

/** The time left when no Lambda context says it: the function's timeout, counted from now. */
export function defaultTimeLeft(): () => number {
  const deadline = Date.now() + CHECKER_TIMEOUT_SECONDS * 1000;
  return () => deadline - Date.now();
}

const SETTLE_SHARE = 0.15;
const SETTLE_MAX_MS = 15_000;
const RETURN_SHARE = 0.05;
const RETURN_MAX_MS = 1_000;
/** Clock skew between Lambda hosts is milliseconds; requests abandoned at the deadline may land a little later. */
export const LEASE_MARGIN_MS = 5_000;
