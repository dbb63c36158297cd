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
  /**
   * Epoch milliseconds by which the claiming invocation is certainly over (its deadline, plus a margin): after it, a
   * claim still not marked delivered is stale, and another record may take it over.
   */
  readonly leaseUntil: number;
  /**
   * The eventID of a claim to take over although its lease has not run out: its holder is known to be done (an
   * earlier record of the same shard, which Lambda processes in order) and never marked it delivered.
   */
  readonly takeOverFrom?: string;
  /** Aborts the request: the invocation's time is up. */
  readonly signal?: AbortSignal;
}

/** A claim as the table holds it: what a refused claim met, or what a successful one replaced. */
export interface ClaimHolder {
  readonly claimedBy: string;
  /** Epoch seconds (the TTL attribute). */
  readonly expiresAt: number;
  /** Absent on claims written before leases existed. */
  readonly leaseUntil?: number;
  /** The holder's record is in Firehose (`deliveredAt` is set). */
  readonly delivered: boolean;
}

/**
 * `owned`: this record holds the claim and may deliver; `replaced` is the claim it overwrote, if any (an expired
 * one, its own from an earlier attempt, or a stale one taken over). `held`: another claim holds the key; `holder`
 * says which (undefined when the store could not tell, which counts as delivered).
 */
export type ClaimResult =
  | { readonly outcome: 'owned'; readonly replaced?: ClaimHolder }
  | { readonly outcome: 'held'; readonly holder: ClaimHolder | undefined };

/** A claim this invocation owns and whose record Firehose accepted. */
export interface DeliveredClaim {
  readonly key: string;
  readonly eventId: string;
  readonly claimedAt: Date;
  readonly expiresAt: number;
  readonly leaseUntil: number;
}

/** The "seen" marks. Claims and releases are conditional writes; none reads first. */
export interface DedupStore {
  /**
   * Claims a key with one atomic conditional write: succeeds when the key is absent, expired, claimed by this same
   * eventID and not delivered, or claimed by another record, not delivered, and stale (its lease ran out, or it is
   * `takeOverFrom`). Otherwise answers `held` with the claim it met. Rejects (with a DedupStoreError) on anything but
   * the condition failing: the write may then have been applied or not.
   */
  claim(request: ClaimRequest): Promise<ClaimResult>;
  /**
   * Records that these claims' records are in Firehose (`deliveredAt`), so that neither a redelivery of the same
   * record nor a copy re-owns or takes the key over. Resolves with the keys it could not mark; never rejects.
   */
  markDelivered(claims: readonly DeliveredClaim[], now: Date, signal?: AbortSignal): Promise<readonly string[]>;
  /**
   * Drops this eventID's claim unless it was marked delivered, so another copy is not blocked if this record is
   * abandoned. Resolves true when it dropped a claim; nothing to release (gone, someone else's, delivered) is false,
   * not an error.
   */
  release(key: string, eventId: string, signal?: AbortSignal): Promise<boolean>;
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
  /**
   * Once `signal` aborts, no further attempt starts and a call in flight is abandoned: its records get failed
   * outcomes (Firehose may hold them: an ambiguous failure).
   */
  deliver(records: readonly Envelope[], options?: { readonly signal?: AbortSignal }): Promise<DeliveryReport>;
}

/** Fields a checker log line may carry: identifiers and reasons, never a CTR's content (it holds phone numbers). */
export interface LogFields {
  readonly contactId?: string;
  readonly fingerprint?: string;
  readonly sequenceNumber?: string;
  /** The eventID holding a claim this record met. */
  readonly holder?: string;
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
 * A checker metric beyond the shared list: bookkeeping writes (delivered marks, releases) that failed or could not
 * start before the deadline. A missing mark lets a redelivery or a late copy store the CTR again (a raw duplicate); a
 * missing release holds a copy back until the claim's lease runs out. Worth an alarm.
 */
export const BOOKKEEPING_ERRORS_METRIC = 'BookkeepingErrors';
/**
 * Claims taken over from a record that never marked them delivered (crashed, given up, or its mark failed): each
 * delivers a CTR that may already be in Firehose, so `duplicates_audit` may show it.
 */
export const TAKEOVERS_METRIC = 'ClaimTakeovers';
/** Records that met a claim still in progress on another shard and gave up waiting: Lambda retries them. */
export const HELD_CLAIMS_METRIC = 'HeldClaims';
export type CheckerOnlyMetric = typeof BOOKKEEPING_ERRORS_METRIC | typeof TAKEOVERS_METRIC | typeof HELD_CLAIMS_METRIC;
