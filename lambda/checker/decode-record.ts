import { assertCtr, MAX_KINESIS_RECORD_BYTES } from '../shared/ctr';
import type { AcceptedEnvelope, QuarantinedEnvelope } from '../shared/envelope';
import { InvalidRecordError, type QuarantineReason } from '../shared/errors';
import { contentFingerprintOfJson, dedupKey, type DedupKeyStrategy } from '../shared/fingerprint';
import { encodeEnvelope, FIREHOSE_MAX_RECORD_BYTES } from './firehose-batches';
import type { StreamRecord } from './ports';

/** A record that is a CTR: it takes part in dedup. */
export interface DecodedCtr {
  readonly kind: 'ctr';
  readonly record: StreamRecord;
  readonly contactId: string;
  readonly fingerprint: string;
  /** The dedup key under the configured strategy (the fingerprint itself for `content`). */
  readonly key: string;
  readonly envelope: AcceptedEnvelope;
}

/** A record that can never become a lake row: forwarded as is, with its reason, to the lake's error prefix. */
export interface DecodedQuarantine {
  readonly kind: 'quarantine';
  readonly record: StreamRecord;
  readonly reason: QuarantineReason;
  readonly envelope: QuarantinedEnvelope;
}

export type DecodedRecord = DecodedCtr | DecodedQuarantine;

/**
 * Bytes of the original record a quarantine envelope keeps. Base64 grows them by 4/3, so 700,000 bytes become
 * 933,336 characters and the envelope stays under Firehose's 1,000 KiB record limit with room for the detail. Only
 * a record over this size loses its tail, and the detail says so; Kinesis still holds it for its retention period.
 */
export const MAX_QUARANTINE_RAW_BYTES = 700_000;

// fatal: invalid UTF-8 throws instead of silently becoming U+FFFD, which would change the fingerprint and the lake.
const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Step 1 and 2 of the protocol for one record: bytes → UTF-8 → JSON → CTR → fingerprint and dedup key, or the
 * first reason it cannot be a lake row. Never throws: a bad record must not block the shard.
 */
export function decodeRecord(record: StreamRecord, strategy: DedupKeyStrategy): DecodedRecord {
  const bytes = Buffer.from(record.data, 'base64');
  const quarantine = (reason: QuarantineReason, detail: string): DecodedQuarantine => ({
    kind: 'quarantine',
    record,
    reason,
    envelope: quarantineEnvelope(reason, detail, record.sequenceNumber, bytes),
  });

  if (bytes.length > MAX_KINESIS_RECORD_BYTES) {
    return quarantine(
      'RECORD_TOO_LARGE',
      `record is ${bytes.length} bytes, over the ${MAX_KINESIS_RECORD_BYTES}-byte limit`,
    );
  }
  let raw: string;
  try {
    raw = utf8.decode(bytes);
  } catch {
    return quarantine('NOT_UTF8', `record of ${bytes.length} bytes is not valid UTF-8`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    // JSON.parse's message quotes the input around the error: keep it out, the detail must not carry content.
    return quarantine('INVALID_JSON', `record of ${bytes.length} bytes is not valid JSON`);
  }
  try {
    assertCtr(parsed);
  } catch (error) {
    if (error instanceof InvalidRecordError) return quarantine(error.code, error.message);
    throw error;
  }
  let fingerprint: string;
  try {
    fingerprint = contentFingerprintOfJson(bytes, raw, parsed);
  } catch (error) {
    // RFC 8785 refuses what I-JSON refuses, e.g. a lone surrogate escape (\ud800) in a string.
    const why = error instanceof Error ? error.message : 'unknown reason';
    return quarantine('INVALID_FIELD', `record has no RFC 8785 canonical form: ${why}`);
  }

  const envelope: AcceptedEnvelope = { kind: 'ctr', fingerprint, sequenceNumber: record.sequenceNumber, raw };
  const envelopeBytes = encodeEnvelope(envelope).length;
  if (envelopeBytes > FIREHOSE_MAX_RECORD_BYTES) {
    // JSON escaping in `raw` can push a CTR just under Kinesis's limit over Firehose's.
    return quarantine(
      'RECORD_TOO_LARGE',
      `envelope is ${envelopeBytes} bytes, over Firehose's ${FIREHOSE_MAX_RECORD_BYTES}-byte record limit`,
    );
  }
  return {
    kind: 'ctr',
    record,
    contactId: parsed.ContactId,
    fingerprint,
    key: dedupKey(parsed, fingerprint, strategy),
    envelope,
  };
}

function quarantineEnvelope(
  reason: QuarantineReason,
  detail: string,
  sequenceNumber: string,
  bytes: Buffer,
): QuarantinedEnvelope {
  const truncated = bytes.length > MAX_QUARANTINE_RAW_BYTES;
  return {
    kind: 'quarantine',
    reason,
    detail: truncated
      ? `${detail}; rawBase64 holds its first ${MAX_QUARANTINE_RAW_BYTES} of ${bytes.length} bytes`
      : detail,
    sequenceNumber,
    rawBase64: (truncated ? bytes.subarray(0, MAX_QUARANTINE_RAW_BYTES) : bytes).toString('base64'),
  };
}
