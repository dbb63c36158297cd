/**
 * The duplicate checker's core: one Kinesis batch in, each distinct CTR out to Firehose once, and the sequence
 * number Lambda must retry from when something failed. Pure: it talks to a DedupStore, a RecordSink and telemetry
 * through ports.ts and never imports the AWS SDK. docs/CONTRACTS.md states what it guarantees and every way a CTR can
 * still be stored twice.
 *
 * ## The dedup protocol (per invocation: one batch, one shard, in sequence-number order)
 * 0. Time: the invocation's deadline (the Lambda context) is split by time-budget.ts into work, bookkeeping and
 *    answer. No claim, wait or Firehose attempt starts after the work time, and requests in flight then are aborted;
 *    whatever was not done counts as failed. A timeout would be a crash, which leaves claims behind.
 * 1. Decode each record (decode-record.ts). Anything that cannot be a lake row (not UTF-8, not JSON, not a CTR, a
 *    number past the double range, an InitiationTimestamp with no partition, too large) is quarantined: forwarded as
 *    a QuarantinedEnvelope with its reason, no DynamoDB call, never blocking the shard.
 * 2. Valid CTRs get fingerprint = SHA-256 of the RFC 8785 canonical form, and key = dedupKey(strategy).
 * 3. In-batch duplicates are dropped in memory: the first record per key is kept, no DynamoDB call for the others.
 * 4. Cross-batch duplicates this container can vouch for are dropped in memory too (delivered-keys.ts, optional):
 *    a kept record whose key the warm container's DeliveredKeys cache holds, unexpired, is a stored duplicate, with
 *    no DynamoDB call. The cache holds only keys whose record THIS container delivered (Firehose accepted it), each
 *    until its claim's expiresAt. That is safe because a delivered record's claim is marked delivered (step 8) and
 *    is then never released nor taken over, so the table would refuse the key too; if the mark failed, the cache
 *    still rightly drops what the table would let through again. Never cached: keys seen as stored duplicates,
 *    failed or deferred records. Losing the cache (cold start, eviction) only costs requests.
 * 5. Each remaining kept key is claimed with ONE conditional PutItem, owned by the record's Kinesis eventID and
 *    carrying a lease (the claiming invocation's deadline plus a margin):
 *    `attribute_not_exists(fingerprint) OR expiresAt < :now OR (attribute_not_exists(deliveredAt) AND (claimedBy = :eventId OR leaseUntil < :nowMs))`.
 *    Success → owned (a redelivery of the same record re-owns its undelivered claim; a stale claim, undelivered
 *    after its holder's lease, is taken over). A failed condition returns the claim it met (ALL_OLD), and
 *    claim-holder.ts decides: marked delivered → stored duplicate, dropped; an earlier record of this shard that
 *    never marked it (its invocation is over: Lambda goes in order) → taken over; another shard's claim in progress
 *    → wait (poll) for its mark or release, up to HOLDER_WAIT_MS, then the record FAILS and Lambda retries it, so a
 *    copy is never dropped behind a claim whose record may yet be given up. Any other error → the record FAILED,
 *    and since DynamoDB may have applied it, its claim is released in step 8. No read-then-write race: the write
 *    is the check.
 * 6. F = lowest failed sequence number. Records after F are not delivered now: Lambda redelivers from F and they
 *    re-own their claims then (step 8 releases them meanwhile).
 * 7. Owned CTRs and quarantined records before F go to Firehose in PutRecordBatch calls (≤ 500 records, ≤ 4 MiB);
 *    failed entries and failed calls are retried with jittered backoff; what still fails FAILED. The keys of the
 *    CTRs Firehose accepted go into the cache of step 4.
 * 8. Bookkeeping (settle-claims.ts), on every invocation: each CTR Firehose accepted has its claim marked
 *    `deliveredAt` (BatchWriteItem, 25 a request: 0.04 requests per delivered record); on the failure path, with
 *    F' = lowest failed sequence number overall, every claim this invocation may hold for a record it did not
 *    deliver is released (DeleteItem, condition: still this eventID's and not delivered), those whose claim call
 *    failed included. Released even when Firehose may hold the record (a call that timed out): keeping such a claim
 *    would hold every copy back, and if Lambda then gave the record up the CTR would be lost. Releasing costs at
 *    most a raw duplicate, which `ctr_latest` absorbs and `duplicates_audit` shows. Errors there are logged and
 *    counted (BookkeepingErrors), never thrown.
 * 9. Return `batchItemFailures: [{ itemIdentifier: F' }]`, or none. Per-record problems never throw.
 *
 * Cost on the happy path: one DynamoDB PutItem per kept record the cache does not hold and one BatchWriteItem per 25
 * delivered records (1.04 requests, 2 write units per distinct CTR), none per in-batch duplicate, cached key or
 * quarantined record, one PutRecordBatch per ≤ 500 records. A copy that meets a marked claim costs one refused
 * PutItem; one that waits for a claim in progress costs a PutItem per poll.
 *
 * ## Given up, not lost
 * Lambda gives a record up after its retries; the on-failure queue then holds its range, and the redrive puts the
 * range back on the stream after releasing the given-up records' own undelivered claims. A copy of its CTR on the
 * stream is never dropped behind its claim meanwhile (step 5: it waits, takes over, or is retried), so a distinct CTR
 * is lost only if every record carrying it was given up and none was redriven while the stream still held it.
 *
 * ## Duplicates (CONTRACTS.md lists them): all of the same kind, a CTR Firehose may already hold delivered again
 * - a crash (timeout, out of memory) after Firehose accepted records and before they were marked: Lambda
 *   redelivers them with the same eventIDs, which re-own their undelivered claims; or a copy takes the stale claim
 *   over after its lease;
 * - an ambiguous Firehose failure (a call that timed out after Firehose stored the records), released in step 8;
 * - a failed delivered mark (BookkeepingErrors), as a crash after delivery;
 * - two concurrent invocations of the same batch (Lambda may rarely run one twice) that both claim before either
 *   marks: both own the claims (same eventIDs);
 * - a copy arriving after the claim's TTL expired.
 * Quarantined records after F' that were forwarded are forwarded again on the retry: they hold no claim.
 */
import { abortableSleep } from '../shared/backoff';
import type { DedupKeyStrategy } from '../shared/fingerprint';
import { MetricName } from '../shared/observability';
import { claimRecords, type ClaimFate } from './claim-records';
import { decodeRecord, type DecodedCtr, type DecodedRecord } from './decode-record';
import type { DeliveredKeys } from './delivered-keys';
import { dedupWithinBatch } from './in-batch-dedup';
import { describeCtr } from './log-fields';
import {
  HELD_CLAIMS_METRIC,
  TAKEOVERS_METRIC,
  type CheckerTelemetry,
  type DeliveryReport,
  type DedupStore,
  type RecordSink,
  type StreamRecord,
} from './ports';
import { isAfter, lowestSequenceNumber } from './sequence-number';
import { settleClaims } from './settle-claims';
import { defaultTimeLeft, TimeBudget } from './time-budget';

export interface CheckBatchSettings {
  readonly ttlHours: number;
  readonly keyStrategy: DedupKeyStrategy;
  /** Claims (and bookkeeping writes) in flight at once. @default 16 */
  readonly claimConcurrency?: number;
  /** Longest a record waits for another shard's claim in progress. @default HOLDER_WAIT_MS (claim-records.ts) */
  readonly holderWaitMs?: number;
}

export interface CheckBatchDeps {
  readonly store: DedupStore;
  readonly sink: RecordSink;
  readonly telemetry: CheckerTelemetry;
  /** The claims' clock (claimedAt, expiresAt, leases). @default () => new Date() */
  readonly clock?: () => Date;
  /**
   * Milliseconds left in the invocation, as the Lambda context's getRemainingTimeInMillis says.
   * @default the function's timeout (CHECKER_TIMEOUT_SECONDS) from the start of the call
   */
  readonly timeLeft?: () => number;
  /** Waits between polls of a claim in progress; ends early when the signal aborts. @default a real timer */
  readonly sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  /**
   * Step 4's cache of keys this container delivered: pass the same instance to every invocation of a warm
   * container. @default none (every kept record is claimed in DynamoDB)
   */
  readonly deliveredKeys?: DeliveredKeys;
}

/** What happened to one record of the batch. */
export type RecordFate =
  | 'delivered'
  | 'quarantined'
  | 'in-batch-duplicate'
  | 'stored-duplicate'
  | 'failed'
  /** Owned or quarantined, after the failure point: left for Lambda's retry. */
  | 'deferred';

export interface BatchResult {
  /** Lambda's ReportBatchItemFailures answer: the lowest failed record, from which Lambda retries. */
  readonly batchItemFailures: ReadonlyArray<{ readonly itemIdentifier: string }>;
  /** Per input record, in input order. */
  readonly fates: readonly RecordFate[];
}

export const DEFAULT_CLAIM_CONCURRENCY = 16;

export async function checkBatch(
  records: readonly StreamRecord[],
  settings: CheckBatchSettings,
  deps: CheckBatchDeps,
): Promise<BatchResult> {
  const budget = new TimeBudget(deps.timeLeft ?? defaultTimeLeft());
  try {
    return await checkWithin(budget, records, settings, deps);
  } finally {
    budget.dispose();
  }
}

async function checkWithin(
  budget: TimeBudget,
  records: readonly StreamRecord[],
  settings: CheckBatchSettings,
  deps: CheckBatchDeps,
): Promise<BatchResult> {
  const { store, sink, telemetry, deliveredKeys } = deps;
  const clock = deps.clock ?? (() => new Date());
  const now = clock();
  const concurrency = settings.claimConcurrency ?? DEFAULT_CLAIM_CONCURRENCY;
  telemetry.count(MetricName.RecordsIn, records.length);

  // Steps 1-3.
  const decoded = records.map((record) => decodeRecord(record, settings.keyStrategy));
  const fates = new Map<DecodedRecord, RecordFate>();
  for (const record of decoded) {
    if (record.kind === 'quarantine') {
      telemetry.log('warn', 'record quarantined', {
        sequenceNumber: record.record.sequenceNumber,
        reason: record.reason,
      });
    }
  }
  const { kept, duplicates } = dedupWithinBatch(decoded.filter((r): r is DecodedCtr => r.kind === 'ctr'));
  for (const duplicate of duplicates) {
    fates.set(duplicate, 'in-batch-duplicate');
    telemetry.log('debug', 'in-batch duplicate dropped', describeCtr(duplicate));
  }

  // Step 4.
  const toClaim: DecodedCtr[] = [];
  for (const record of kept) {
    if (deliveredKeys?.has(record.key, now)) {
      fates.set(record, 'stored-duplicate');
      telemetry.log('info', 'stored duplicate dropped', {
        ...describeCtr(record),
        reason: 'delivered by this container',
      });
    } else {
      toClaim.push(record);
    }
  }

  // Step 5.
  const expiresAt = Math.floor(now.getTime() / 1000 + settings.ttlHours * 3600);
  const leaseUntil = budget.leaseUntil(now.getTime());
  const claims = await claimRecords(toClaim, {
    store,
    telemetry,
    budget,
    clock,
    sleep: deps.sleep ?? abortableSleep,
    expiresAt,
    leaseUntil,
    concurrency,
    ...(settings.holderWaitMs === undefined ? {} : { holderWaitMs: settings.holderWaitMs }),
  });
  const claimOf = new Map<DecodedCtr, ClaimFate>(toClaim.map((record, i) => [record, claims[i]!]));
  for (const [record, claim] of claimOf) {
    if (claim.kind === 'duplicate') {
      fates.set(record, 'stored-duplicate');
      telemetry.log('info', 'stored duplicate dropped', describeCtr(record));
    } else if (claim.kind !== 'owned') {
      fates.set(record, 'failed');
    }
  }

  // Step 6.
  const claimFailurePoint = lowestSequenceNumber(
    toClaim.filter((record) => fates.get(record) === 'failed').map((record) => record.record.sequenceNumber),
  );
  const toDeliver: DecodedRecord[] = [];
  for (const record of decoded) {
    if (fates.has(record)) continue;
    if (isAfter(record.record.sequenceNumber, claimFailurePoint)) fates.set(record, 'deferred');
    else toDeliver.push(record);
  }

  // Step 7.
  const report = await deliver(toDeliver, sink, budget);
  toDeliver.forEach((record, i) => {
    const outcome = report.outcomes[i];
    if (outcome?.delivered) {
      fates.set(record, record.kind === 'ctr' ? 'delivered' : 'quarantined');
      if (record.kind === 'ctr') {
        deliveredKeys?.remember(record.key, expiresAt);
        telemetry.log('debug', 'delivered', describeCtr(record));
      }
    } else {
      fates.set(record, 'failed');
      telemetry.log('error', 'delivery failed; the record will be retried', {
        ...(record.kind === 'ctr' ? describeCtr(record) : { sequenceNumber: record.record.sequenceNumber }),
        error: outcome?.reason ?? 'no outcome',
      });
    }
  });

  // Step 8.
  const failurePoint = lowestSequenceNumber(
    decoded.filter((record) => fates.get(record) === 'failed').map((record) => record.record.sequenceNumber),
  );
  const delivered = toClaim.filter((record) => fates.get(record) === 'delivered');
  const toRelease = toClaim.filter((record) => {
    const claim = claimOf.get(record)?.kind;
    return (claim === 'owned' || claim === 'failed') && fates.get(record) !== 'delivered';
  });
  await settleClaims(delivered, toRelease, { store, telemetry, budget, now, expiresAt, leaseUntil, concurrency });

  // Step 9 and metrics.
  const tally = (fate: RecordFate): number => decoded.filter((record) => fates.get(record) === fate).length;
  const claimTally = (test: (claim: ClaimFate) => boolean): number => claims.filter(test).length;
  telemetry.count(MetricName.InBatchDuplicates, tally('in-batch-duplicate'));
  telemetry.count(MetricName.StoredDuplicates, tally('stored-duplicate'));
  telemetry.count(MetricName.Delivered, tally('delivered'));
  telemetry.count(MetricName.Quarantined, tally('quarantined'));
  telemetry.count(MetricName.DeliveryRetries, report.retries);
  telemetry.count(MetricName.FailedRecords, tally('failed'));
  telemetry.count(
    TAKEOVERS_METRIC,
    claimTally((claim) => claim.kind === 'owned' && claim.tookOver),
  );
  telemetry.count(
    HELD_CLAIMS_METRIC,
    claimTally((claim) => claim.kind === 'held'),
  );
  telemetry.log('info', 'batch checked', {
    count: records.length,
    ...(failurePoint ? { sequenceNumber: failurePoint } : {}),
  });

  return {
    batchItemFailures: failurePoint === undefined ? [] : [{ itemIdentifier: failurePoint }],
    fates: decoded.map((record) => fates.get(record) ?? 'failed'),
  };
}

/** Step 7: nothing starts once the work time is over; what is not sent then fails. */
async function deliver(
  records: readonly DecodedRecord[],
  sink: RecordSink,
  budget: TimeBudget,
): Promise<DeliveryReport> {
  if (records.length === 0) return { outcomes: [], retries: 0 };
  if (budget.workLeft() <= 0) {
    return {
      outcomes: records.map(() => ({ delivered: false, reason: 'the invocation ran out of time' })),
      retries: 0,
    };
  }
  const report = await sink.deliver(
    records.map((record) => record.envelope),
    { signal: budget.work },
  );
  if (report.outcomes.length !== records.length) {
    throw new Error(`sink returned ${report.outcomes.length} outcomes for ${records.length} records`);
  }
  return report;
}
