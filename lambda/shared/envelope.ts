import type { QuarantineReason } from './errors';

/**
 * What the checker puts on Firehose, one JSON object per Firehose record. The transform turns an accepted envelope
 * into a lake row and a quarantined one into ProcessingFailed, so Firehose keeps it (with its reason, since the
 * error prefix stores the original record data) under the error prefix.
 */
export type Envelope = AcceptedEnvelope | QuarantinedEnvelope;

export interface AcceptedEnvelope {
  readonly kind: 'ctr';
  /** SHA-256 of the RFC 8785 canonical CTR. */
  readonly fingerprint: string;
  /** Kinesis sequence number of the record that carried it: lets an audit trace a row back to the stream. */
  readonly sequenceNumber: string;
  /** The CTR exactly as it arrived (UTF-8 JSON text), so the row's raw_ctr loses nothing, not even number digits. */
  readonly raw: string;
}

export interface QuarantinedEnvelope {
  readonly kind: 'quarantine';
  readonly reason: QuarantineReason;
  /** Human-readable detail: what was received and what was expected. Never contains the record's content. */
  readonly detail: string;
  readonly sequenceNumber: string;
  /** The original bytes, base64, since they may not be valid UTF-8 or JSON. */
  readonly rawBase64: string;
}
