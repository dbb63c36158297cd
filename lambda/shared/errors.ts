/**
 * Typed error hierarchy shared by the handlers. Every error carries a stable `code` so that metrics,
 * quarantine reasons and tests can match on it without parsing messages, and keeps its `cause`.
 */
export abstract class CtrLakeError extends Error {
  abstract readonly code: string;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** Input that can never become a lake row: it is quarantined with this reason, never retried. */
export class InvalidRecordError extends CtrLakeError {
  readonly code: QuarantineReason;

  constructor(reason: QuarantineReason, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = reason;
  }
}

/** A whole emulator event was refused before anything was sent. */
export class InvalidEventError extends CtrLakeError {
  readonly code = 'INVALID_EVENT';

  constructor(
    message: string,
    /** Index of the offending record in the event, when one record is at fault. */
    readonly index?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** A downstream service refused or failed a write after all retries. Retrying the batch later may succeed. */
export class DeliveryError extends CtrLakeError {
  readonly code = 'DELIVERY_FAILED';
}

/** The dedup store could not be reached or refused a request for a reason other than the condition. */
export class DedupStoreError extends CtrLakeError {
  readonly code = 'DEDUP_STORE_FAILED';
}

/** Missing or malformed handler environment: a deployment error, fail fast at cold start. */
export class ConfigurationError extends CtrLakeError {
  readonly code = 'CONFIGURATION';
}

/** Why a record was quarantined. Stable strings: they appear in the error prefix and in metrics. */
export type QuarantineReason =
  | 'NOT_UTF8'
  | 'INVALID_JSON'
  | 'NOT_AN_OBJECT'
  | 'MISSING_CONTACT_ID'
  | 'INVALID_FIELD'
  | 'RECORD_TOO_LARGE'
  | 'INVALID_ENVELOPE'
  /** InitiationTimestamp's UTC year lies outside the `ctr` table's partition projection: the row could never be read. */
  | 'OUTSIDE_PARTITION_PROJECTION';
