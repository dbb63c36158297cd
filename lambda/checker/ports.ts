import type { Envelope } from '../shared/envelope';
import type { MetricNameValue } from '../shared/observability';

/**
 * The small interfaces the checker core talks to. The core never imports the AWS SDK: DynamoDB, Firehose and
 * Powertools sit behind these ports (adapters/), and tests swap in in-memory fakes with the same semantics.
 */

/** One Kinesis record as the checker needs it, taken from the Lambda event. */
export interface StreamRecord {
  /** The event source mapping's `eventID` (`shardId-…:<sequenceNumber>`): the same on every redelivery. */
  readonly eventId: string;
  /** Kinesis sequence number: a decimal string that orders records within the shard. */
  readonly sequenceNumber: string;
  /** The record's data blob, base64 as Lambda delivers it. */
  readonly data: string;
}

export interface ClaimRequest {
  /** The dedup key (`dedupKey()`), the table's partition key `fingerprint`. */
  readonly key: string;
  /** The Kinesis eventID that claims the key: a redelivery of this very record may claim it again. */
  readonly eventId: string;
  readonly now: Date;
  /** Epoch seconds after which the claim counts as absent (the table's TTL attribute). */
  readonly expiresAt: number;
}

/** `owned`: this record holds the claim and may deliver. `duplicate`: someone else holds it (or it was delivered). */
export type ClaimOutcome = 'owned' | 'duplicate';

/** The "seen" marks. Every method is one conditional write; none reads first. */
export interface DedupStore {
  /**
   * Claims a key with one atomic conditional write: succeeds when the key is absent, expired, or claimed by this
   * same eventID and not marked delivered. Rejects (with a DedupStoreError) on anything but the condition failing.
   */
  claim(request: ClaimRequest): Promise<ClaimOutcome>;
  /** Failure path only: records that this eventID's claim was delivered, so a redelivery of it is a duplicate. */
  markDelivered(key: string, eventId: string, now: Date): Promise<void>;
  /** Failure path only: drops this eventID's claim so another copy is not blocked if this record is abandoned. */
  release(key: string, eventId: string): Promise<void>;
}

export type DeliveryOutcome = { readonly delivered: true } | { readonly delivered: false; readonly reason: string };

export interface DeliveryReport {
  /** One outcome per input record, same order. */
  readonly outcomes: readonly DeliveryOutcome[];
  /** Records sent again after a partial or whole-call failure. */
  readonly retries: number;
}

/**
 * Where envelopes go (Firehose). Service errors never reject: every record gets an outcome. A rejection means
 * something unexpected (a bug, a crash) and fails the whole invocation, which Lambda then redelivers.
 */
export interface RecordSink {
  deliver(records: readonly Envelope[]): Promise<DeliveryReport>;
}

/** Fields a checker log line may carry: identifiers and reasons, never a CTR's content (it holds phone numbers). */
export interface LogFields {
  readonly contactId?: string;
  readonly fingerprint?: string;
  readonly sequenceNumber?: string;
  readonly reason?: string;
  readonly error?: string;
  readonly count?: number;
}

/** Metrics and structured logs, as the core needs them (Powertools behind it in the handler). */
export interface CheckerTelemetry {
  count(metric: MetricNameValue | CheckerOnlyMetric, value: number): void;
  log(level: 'debug' | 'info' | 'warn' | 'error', message: string, fields?: LogFields): void;
}

/**
 * A checker metric beyond the shared list: failure-path bookkeeping writes (markDelivered/release) that failed.
 * Each one can let a record be delivered twice on the retry or block a copy until the claim expires, so it is worth
 * an alarm.
 */
export const BOOKKEEPING_ERRORS_METRIC = 'BookkeepingErrors';
export type CheckerOnlyMetric = typeof BOOKKEEPING_ERRORS_METRIC;
