import { computeBackoffMs } from '../shared/backoff';
import { judgeHolder } from './claim-holder';
import { mapWithConcurrency } from './concurrency';
import type { DecodedCtr } from './decode-record';
import { describeCtr, errorMessage } from './log-fields';
import type { CheckerTelemetry, ClaimHolder, DedupStore } from './ports';
import type { TimeBudget } from './time-budget';

/**
 * Step 5's outcome per record:
 * - `owned`: the claim is this record's; it may deliver (`tookOver`: in place of a stale claim, see claim-holder.ts);
 * - `duplicate`: the CTR is in Firehose already (or the claim predates delivered marks): drop this copy;
 * - `held`: a claim in progress on another shard held the key for as long as this invocation could wait: no claim
 *   held, Lambda retries the record;
 * - `failed`: the claim call failed (after the SDK's retries, or aborted at the deadline): DynamoDB may have applied
 *   it, so the failure path releases it;
 * - `not-started`: the work time ran out before this claim started: no claim held.
 */
export type ClaimFate =
  | { readonly kind: 'owned'; readonly tookOver: boolean }
  | { readonly kind: 'duplicate' | 'held' | 'failed' | 'not-started' };

export interface ClaimStepOptions {
  readonly store: DedupStore;
  readonly telemetry: CheckerTelemetry;
  readonly budget: TimeBudget;
  readonly clock: () => Date;
  readonly sleep: (ms: number, signal: AbortSignal) => Promise<void>;
  readonly expiresAt: number;
  readonly leaseUntil: number;
  readonly concurrency: number;
  /** Longest a record waits, in one invocation, for a claim in progress. @default HOLDER_WAIT_MS */
  readonly holderWaitMs?: number;
}

/**
 * Within one invocation, a record waits at most this long for a claim in progress on another shard (polling with
 * jittered backoff from 50 ms to 1 s): a healthy holder marks its record delivered within its own invocation, well
 * under a second after claiming. Past it, the record fails and Lambda retries it, so a holder stuck in a slow
 * Firehose never holds this invocation's other records for long.
 */
export const HOLDER_WAIT_MS = 10_000;
const POLL_BACKOFF = { baseMs: 50, maxMs: 1_000 };
/** A claim refused again and again with a take-over verdict means the table changes under it: stop and retry later. */
const MAX_TAKEOVER_ATTEMPTS = 3;

/** Step 5: claims each record's key, waiting for claims in progress and taking over stale ones. */
export function claimRecords(records: readonly DecodedCtr[], options: ClaimStepOptions): Promise<ClaimFate[]> {
  return mapWithConcurrency(records, options.concurrency, (record) => claimOne(record, options));
}

async function claimOne(record: DecodedCtr, options: ClaimStepOptions): Promise<ClaimFate> {
  const { store, telemetry, budget, clock } = options;
  const { key, record: source } = record;
  const holderWaitMs = options.holderWaitMs ?? HOLDER_WAIT_MS;
  let takeOverFrom: string | undefined;
  let takeOvers = 0;
  let waited = 0;
  for (let poll = 0; ;) {
    if (budget.workLeft() <= 0) return poll === 0 && takeOvers === 0 ? { kind: 'not-started' } : { kind: 'held' };
    let result;
    try {
      result = await store.claim({
        key,
        eventId: source.eventId,
        now: clock(),
        expiresAt: options.expiresAt,
        leaseUntil: options.leaseUntil,
        ...(takeOverFrom === undefined ? {} : { takeOverFrom }),
        signal: budget.work,
      });
    } catch (error) {
      telemetry.log('error', 'claim failed; the record will be retried and its claim released', {
        ...describeCtr(record),
        error: errorMessage(error),
      });
      return { kind: 'failed' };
    }
    if (result.outcome === 'owned') {
      const tookOver = isTakeOver(result.replaced, source.eventId, clock());
      if (tookOver) {
        telemetry.log('warn', 'stale claim taken over: its holder never marked it delivered', {
          ...describeCtr(record),
          holder: result.replaced?.claimedBy ?? '',
        });
      }
      return { kind: 'owned', tookOver };
    }
    const holder = result.holder;
    const verdict = judgeHolder(holder, source.eventId, clock().getTime());
    if (verdict === 'duplicate') return { kind: 'duplicate' };
    if (verdict === 'take-over') {
      if (++takeOvers > MAX_TAKEOVER_ATTEMPTS) return { kind: 'held' };
      takeOverFrom = holder?.claimedBy;
      continue;
    }
    const delayMs = computeBackoffMs(poll++, POLL_BACKOFF);
    if (waited + delayMs > holderWaitMs || delayMs >= budget.workLeft()) {
      telemetry.log('warn', 'claim in progress elsewhere; the record will be retried', {
        ...describeCtr(record),
        holder: holder?.claimedBy ?? '',
      });
      return { kind: 'held' };
    }
    await options.sleep(delayMs, budget.work);
    waited += delayMs;
  }
}

/** A claim replaced while another record held it, unexpired and not delivered: what ClaimTakeovers counts. */
function isTakeOver(replaced: ClaimHolder | undefined, eventId: string, now: Date): boolean {
  return (
    replaced !== undefined &&
    replaced.claimedBy !== eventId &&
    !replaced.delivered &&
    replaced.expiresAt >= Math.floor(now.getTime() / 1000)
  );
}
