/**
 * The duplicate checker's core: one Kinesis batch in, each distinct CTR out to Firehose once, and the sequence
 * number Lambda must retry from when something failed. Pure: it talks to a DedupStore, a RecordSink and telemetry
 * through ports.ts and never imports the AWS SDK.
 *
 * ## The dedup protocol (per invocation: one batch, one shard, in sequence-number order)
 * 1. Decode each record (decode-record.ts). Anything that cannot be a lake row (not UTF-8, not JSON, not a CTR, too
 *    large, no canonical form) is quarantined: forwarded as a QuarantinedEnvelope with its reason, no DynamoDB call,
 *    never blocking the shard.
 * 2. Valid CTRs get fingerprint = SHA-256 of the RFC 8785 canonical form, and key = dedupKey(strategy).
 * 3. In-batch duplicates are dropped in memory: the first record per key is kept, no DynamoDB call for the others.
 * 4. Cross-batch duplicates this container can vouch for are dropped in memory too (delivered-keys.ts, optional):
 *    a kept record whose key the warm container's DeliveredKeys cache holds, unexpired, is a stored duplicate, with
 *    no DynamoDB call. The cache holds only keys whose record THIS container delivered (fate 'delivered': claim
 *    owned and Firehose accepted it), each until its claim's expiresAt (the same TTL), at most N keys (least
 *    recently used evicted). That is safe because a delivered claim stays in the table until its TTL: only
 *    undelivered claims are ever released (step 8). So the claim of step 5 would have been refused too, or, for a
 *    redelivery of that very record (same eventID: its markDelivered write failed, or the invocation's answer was
 *    lost after its work was done), would have re-owned the claim and delivered the record again, which the cache
 *    rightly prevents. Never cached: keys seen as stored duplicates (their holder may still release its claim, and
 *    then the next copy must be able to claim it), failed and deferred records (not delivered). An expired entry
 *    is dropped and the key goes back to the table, exactly as without the cache; losing the cache (cold start,
 *    eviction) only costs requests again.
 * 5. Each remaining kept key is claimed with ONE conditional PutItem, owned by the record's Kinesis eventID:
 *    `attribute_not_exists(fingerprint) OR expiresAt < :now OR (claimedBy = :eventId AND attribute_not_exists(deliveredAt))`.
 *    Success → owned. Condition failed → stored duplicate, dropped. Any other error (after the SDK's retries) →
 *    the record FAILED. No read-then-write race: the write is the check. An expired item counts as absent because
 *    DynamoDB's TTL deletes lazily. A redelivery of the same record (same eventID) re-owns its claim, so a retry
 *    never mistakes a record for a duplicate of itself.
 * 6. F = lowest failed sequence number. Records after F are not delivered now: Lambda redelivers from F and they
 *    re-own their claims then. That is what keeps "retry from F" from delivering anything twice.
 * 7. Owned CTRs and quarantined records before F go to Firehose in PutRecordBatch calls (≤ 500 records, ≤ 4 MiB);
 *    failed entries and failed calls are retried with jittered backoff; what still fails FAILED. The keys of the
 *    CTRs Firehose accepted go into the cache of step 4.
 * 8. Failure path only, with F' = lowest failed sequence number overall: every CTR after F' that WAS delivered is
 *    marked `deliveredAt` (condition claimedBy = :eventId), so on the retry its own eventID no longer re-owns the
 *    claim and it is dropped as a duplicate; every owned CTR that was not delivered releases its claim (DeleteItem,
 *    condition claimedBy = :eventId) so another copy is not blocked for the TTL if Lambda abandons this record.
 *    Released even when Firehose may hold the record (a call that timed out) or an earlier, crashed invocation may
 *    have delivered it: keeping such a claim would drop every copy until the TTL, and if Lambda then gave the record
 *    up (retries exhausted), the CTR would be lost with its copies. Releasing costs at most a raw duplicate, which
 *    `ctr_latest` absorbs and `duplicates_audit` shows; a loss could not be repaired. Copies that share the record's
 *    partition key (the emulator's is ContactId) sit behind it on its shard, so they reach the checker only once the
 *    record is delivered or given up, and the duplicate needs a copy on another shard checked meanwhile.
 *    Errors there are logged and counted (BookkeepingErrors), never thrown.
 * 9. Return `batchItemFailures: [{ itemIdentifier: F' }]`, or none. Per-record problems never throw.
 *
 * Cost on the happy path: one DynamoDB request per kept record the cache does not hold, none per in-batch
 * duplicate, cached key or quarantined record, one PutRecordBatch per ≤ 500 records. In a warm container whose
 * cache is big enough, that is one DynamoDB request per distinct key per TTL.
 *
 * ## The one way a duplicate reaches Firehose: a crash
 * If the invocation dies after Firehose accepted records and before it returns (timeout, out of memory), Lambda
 * redelivers the whole batch. The claims are owned by the same eventIDs and not marked delivered, so those records
 * are delivered again. Nothing is lost, and the lake's `ctr_latest` view and the `duplicates_audit` query absorb the
 * raw-file duplicate. A crash before delivery costs nothing: the records re-own their claims and go out once.
 * The same holds for an ambiguous Firehose failure (a call that timed out after Firehose stored the records), and
 * for a failed markDelivered write. Where the container lives on and the invocation had Firehose's answer (a failed
 * markDelivered write, an answer lost after the work was done), the cache of step 4 drops the redelivered records
 * instead. Quarantined records after F' that were forwarded are forwarded again on the retry: they hold no claim
 * (quarantine costs no DynamoDB call), so the error prefix may hold them twice.
 */
import type { DedupKeyStrategy } from '../shared/fingerprint';
import { MetricName } from '../shared/observability';
import { mapWithConcurrency } from '../shared/concurrency';
import { decodeRecord, type DecodedCtr, type DecodedRecord } from './decode-record';
import type { DeliveredKeys } from './delivered-keys';
import { dedupWithinBatch } from './in-batch-dedup';
import {
  BOOKKEEPING_ERRORS_METRIC,
  type CheckerTelemetry,
  type ClaimOutcome,
  type DedupStore,
  type RecordSink,
  type StreamRecord,
} from './ports';
import { isAfter, lowestSequenceNumber } from './sequence-number';

export interface CheckBatchSettings {
  readonly ttlHours: number;
  readonly keyStrategy: DedupKeyStrategy;
  /** Claims in flight at once. @default 16 */
  readonly claimConcurrency?: number;
}

export interface CheckBatchDeps {
  readonly store: DedupStore;
  readonly sink: RecordSink;
  readonly telemetry: CheckerTelemetry;
  /** @default () => new Date() */
  readonly clock?: () => Date;
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

type ClaimResult = ClaimOutcome | 'failed';

export async function checkBatch(
  records: readonly StreamRecord[],
  settings: CheckBatchSettings,
  deps: CheckBatchDeps,
): Promise<BatchResult> {
  const { store, sink, telemetry, deliveredKeys } = deps;
  const now = (deps.clock ?? (() => new Date()))();
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
  const claims = await mapWithConcurrency(toClaim, concurrency, async (record): Promise<ClaimResult> => {
    try {
      return await store.claim({ key: record.key, eventId: record.record.eventId, now, expiresAt });
    } catch (error) {
      telemetry.log('error', 'claim failed; the record will be retried', {
        ...describeCtr(record),
        error: message(error),
      });
      return 'failed';
    }
  });
  toClaim.forEach((record, i) => {
    const claim = claims[i];
    if (claim === 'duplicate') {
      fates.set(record, 'stored-duplicate');
      telemetry.log('info', 'stored duplicate dropped', describeCtr(record));
    } else if (claim === 'failed') {
      fates.set(record, 'failed');
    }
  });

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
  const report =
    toDeliver.length > 0
      ? await sink.deliver(toDeliver.map((record) => record.envelope))
      : { outcomes: [], retries: 0 };
  if (report.outcomes.length !== toDeliver.length) {
    throw new Error(`sink returned ${report.outcomes.length} outcomes for ${toDeliver.length} records`);
  }
  toDeliver.forEach((record, i) => {
    const outcome = report.outcomes[i];
    if (outcome?.delivered) {
      fates.set(record, record.kind === 'ctr' ? 'delivered' : 'quarantined');
      if (record.kind === 'ctr') {
        // Only here: the claim is ours and Firehose holds the record, so the claim now stays until its TTL.
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
  if (failurePoint !== undefined) {
    const owned = toClaim.filter((_, i) => claims[i] === 'owned');
    await settleClaimsAfterFailure(owned, fates, failurePoint, now, store, telemetry, concurrency);
  }

  // Step 9 and metrics.
  const tally = (fate: RecordFate): number => decoded.filter((record) => fates.get(record) === fate).length;
  telemetry.count(MetricName.InBatchDuplicates, tally('in-batch-duplicate'));
  telemetry.count(MetricName.StoredDuplicates, tally('stored-duplicate'));
  telemetry.count(MetricName.Delivered, tally('delivered'));
  telemetry.count(MetricName.Quarantined, tally('quarantined'));
  telemetry.count(MetricName.DeliveryRetries, report.retries);
  telemetry.count(MetricName.FailedRecords, tally('failed'));
  telemetry.log('info', 'batch checked', {
    count: records.length,
    ...(failurePoint ? { sequenceNumber: failurePoint } : {}),
  });

  return {
    batchItemFailures: failurePoint === undefined ? [] : [{ itemIdentifier: failurePoint }],
    fates: decoded.map((record) => fates.get(record) ?? 'failed'),
  };
}

/**
 * Step 8: the extra writes that keep Lambda's retry from F' exact. Delivered records after F' come back with the
 * same eventID and would re-own their claims: mark them delivered. Owned records that were not delivered may never
 * come back (retries exhausted): release them.
 */
async function settleClaimsAfterFailure(
  owned: readonly DecodedCtr[],
  fates: ReadonlyMap<DecodedRecord, RecordFate>,
  failurePoint: string,
  now: Date,
  store: DedupStore,
  telemetry: CheckerTelemetry,
  concurrency: number,
): Promise<void> {
  type Write = { readonly record: DecodedCtr; readonly write: 'markDelivered' | 'release' };
  const writes = owned.flatMap((record): Write[] => {
    if (fates.get(record) !== 'delivered') return [{ record, write: 'release' }];
    if (isAfter(record.record.sequenceNumber, failurePoint)) return [{ record, write: 'markDelivered' }];
    return [];
  });
  let errors = 0;
  await mapWithConcurrency(writes, concurrency, async ({ record, write }) => {
    const { key, record: source } = record;
    try {
      if (write === 'markDelivered') await store.markDelivered(key, source.eventId, now);
      else await store.release(key, source.eventId);
    } catch (error) {
      errors++;
      telemetry.log('error', `${write} failed`, { ...describeCtr(record), error: message(error) });
    }
  });
  telemetry.count(BOOKKEEPING_ERRORS_METRIC, errors);
}

function describeCtr(record: DecodedCtr): { contactId: string; fingerprint: string; sequenceNumber: string } {
  return { contactId: record.contactId, fingerprint: record.fingerprint, sequenceNumber: record.record.sequenceNumber };
}

function message(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
