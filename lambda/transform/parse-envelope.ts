import type { Envelope } from '../shared/envelope';
import { InvalidRecordError, type QuarantineReason } from '../shared/errors';

const utf8 = new TextDecoder('utf-8', { fatal: true });
const SHA256_HEX = /^[0-9a-f]{64}$/;

const QUARANTINE_REASONS: ReadonlySet<string> = new Set<QuarantineReason>([
  'NOT_UTF8',
  'INVALID_JSON',
  'NOT_AN_OBJECT',
  'MISSING_CONTACT_ID',
  'INVALID_FIELD',
  'RECORD_TOO_LARGE',
  'INVALID_ENVELOPE',
  'OUTSIDE_PARTITION_PROJECTION',
]);

/**
 * Decodes one Firehose record's data (base64 of an Envelope, docs/CONTRACTS.md) and checks its shape. Anything that
 * is not an envelope the checker could have written throws InvalidRecordError('INVALID_ENVELOPE'): the transform
 * sends it to the error prefix instead of guessing.
 */
export function parseEnvelope(base64Data: string): Envelope {
  const bytes = Buffer.from(base64Data, 'base64');
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch (cause) {
    throw invalid(`record data of ${bytes.length} bytes is not valid UTF-8`, cause);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (cause) {
    // JSON.parse quotes the input around the error; keep content out of the detail.
    throw invalid(`record data of ${bytes.length} bytes is not valid JSON`, cause);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw invalid('record data is not a JSON object');
  }
  const fields = value as Record<string, unknown>;
  if (typeof fields.sequenceNumber !== 'string') throw invalid('envelope has no string sequenceNumber');
  if (fields.kind === 'ctr') {
    if (typeof fields.fingerprint !== 'string' || !SHA256_HEX.test(fields.fingerprint)) {
      throw invalid('envelope has no SHA-256 hex fingerprint');
    }
    if (typeof fields.raw !== 'string') throw invalid('envelope has no string raw CTR');
    return { kind: 'ctr', fingerprint: fields.fingerprint, sequenceNumber: fields.sequenceNumber, raw: fields.raw };
  }
  if (fields.kind === 'quarantine') {
    if (typeof fields.reason !== 'string' || !QUARANTINE_REASONS.has(fields.reason)) {
      throw invalid('quarantine envelope has no known reason');
    }
    return {
      kind: 'quarantine',
      reason: fields.reason as QuarantineReason,
      detail: typeof fields.detail === 'string' ? fields.detail : '',
      sequenceNumber: fields.sequenceNumber,
      rawBase64: typeof fields.rawBase64 === 'string' ? fields.rawBase64 : '',
    };
  }
  throw invalid('envelope kind is neither "ctr" nor "quarantine"');
}

function invalid(message: string, cause?: unknown): InvalidRecordError {
  return new InvalidRecordError('INVALID_ENVELOPE', message, cause === undefined ? undefined : { cause });
}
