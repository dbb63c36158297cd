import { mapWithConcurrency } from './concurrency';
import type { DecodedCtr } from './decode-record';
import { describeCtr, errorMessage } from './log-fields';
import { BOOKKEEPING_ERRORS_METRIC, type CheckerTelemetry, type DedupStore } from './ports';
import type { TimeBudget } from './time-budget';

export interface SettleOptions {
  readonly store: DedupStore;
  readonly telemetry: CheckerTelemetry;
  readonly budget: TimeBudget;
  readonly now: Date;
  readonly expiresAt: number;
  readonly leaseUntil: number;
  readonly concurrency: number;
}

/**
 * Step 8: the bookkeeping writes, within the settle time (time-budget.ts).
 * - Every record whose CTR Firehose accepted gets its claim marked delivered (batched, 25 a request): from then on
 *   neither a redelivery of the same record nor a copy re-owns or takes over the key.
 * - Every claim this invocation may hold for a record that was not delivered is released (condition: still this
 *   record's and not delivered), so a copy is not held back if Lambda gives the record up: claims it owns, and claims
 *   whose claim call failed, which DynamoDB may have applied all the same.
 * A write that fails or cannot start in time is logged and counted (BookkeepingErrors), never thrown.
 */
export async function settleClaims(
  delivered: readonly DecodedCtr[],
  toRelease: readonly DecodedCtr[],
  options: SettleOptions,
): Promise<void> {
  const { store, telemetry, budget } = options;
  const [unmarked, unreleased] = await Promise.all([
    delivered.length === 0 || budget.settleLeft() <= 0
      ? delivered.map((record) => record.key)
      : store.markDelivered(
          delivered.map((record) => ({
            key: record.key,
            eventId: record.record.eventId,
            claimedAt: options.now,
            expiresAt: options.expiresAt,
            leaseUntil: options.leaseUntil,
          })),
          options.now,
          budget.settle,
        ),
    mapWithConcurrency(toRelease, options.concurrency, async (record): Promise<number> => {
      if (budget.settleLeft() <= 0) return 1;
      try {
        await store.release(record.key, record.record.eventId, budget.settle);
        return 0;
      } catch (error) {
        telemetry.log('error', 'release failed', { ...describeCtr(record), error: errorMessage(error) });
        return 1;
      }
    }),
  ]);
  if (unmarked.length > 0) {
    telemetry.log('error', 'marking delivered failed', { count: unmarked.length });
  }
  const notReleased = unreleased.reduce((sum, n) => sum + n, 0);
  if (notReleased > 0) telemetry.log('error', 'claims left unreleased', { count: notReleased });
  telemetry.count(BOOKKEEPING_ERRORS_METRIC, unmarked.length + notReleased);
}
