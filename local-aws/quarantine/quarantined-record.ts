import { createHash } from 'node:crypto';
import { decodeRecord } from '../../lambda/checker/decode-record';
import type { AcceptedEnvelope } from '../../lambda/shared/envelope';
import { InvalidRecordError } from '../../lambda/shared/errors';
import type { DedupKeyStrategy } from '../../lambda/shared/fingerprint';
import { LAKE_ERROR_PREFIX } from '../../lambda/shared/row-schema';
import { parseEnvelope } from '../../lambda/transform/parse-envelope';
import { toLakeRow } from '../../lambda/transform/to-lake-row';
import type { Position } from '../ctr-sources/read-ctrs';

/**
 * One record of the lake's error prefix, decoded. Firehose writes each failed record as a JSON line whose `rawData`
 * is the base64 of what the checker put on Firehose: an envelope (docs/CONTRACTS.md), which for a quarantined record
 * holds the original bytes base64 again (`rawBase64`) with the checker's reason. So the reason and the original CTR
 * are two base64 decodings away; this undoes both.
 */
export interface QuarantinedRecord {
  /** The error object (path or s3:// URL) and the line of this record in it. */
  readonly object: string;
  readonly position: Position;
  /** `processing-failed`, `format-conversion-failed`, … (the `!{firehose:error-output-type}` of the key). */
  readonly outputType: string;
  /** When Firehose received the record (ISO-8601), or undefined when the error record does not say. */
  readonly time: string | undefined;
  /** Firehose's error code and message (`Lambda.ProcessingFailed` when the transform refused the record). */
  readonly errorCode: string;
  readonly errorMessage: string;
  /** Why it is here, in one word: the checker's or the transform's reason, or Firehose's error code. */
  readonly reason: string;
  readonly detail: string;
  readonly contactId: string | undefined;
  /** The record as it was on the stream (the CTR's bytes), or what is left of it. */
  readonly original: Buffer;
  /** Whether `original` is the whole record (the checker keeps the first 700,000 bytes of a quarantined one). */
  readonly complete: boolean;
  /** What the checker made of it: an accepted CTR (then its envelope), a quarantined record, or no envelope at all. */
  readonly envelope: AcceptedEnvelope | 'quarantine' | undefined;
  readonly sequenceNumber: string | undefined;
}

/** Decodes one line of an error object. Never throws: whatever cannot be decoded is said in `reason`/`detail`. */
export function decodeErrorRecord(
  line: Readonly<Record<string, unknown>>,
  where: { readonly object: string; readonly position: Position },
): QuarantinedRecord {
  const errorCode = text(line.errorCode ?? line.ErrorCode ?? line.lastErrorCode) ?? 'unknown';
  const errorMessage = text(line.errorMessage ?? line.ErrorMessage ?? line.lastErrorMessage) ?? '';
  const rawData = text(line.rawData) ?? '';
  const arrival = typeof line.arrivalTimestamp === 'number' ? new Date(line.arrivalTimestamp) : undefined;
  const base = {
    ...where,
    outputType: outputTypeOf(where.object),
    time: arrival && !Number.isNaN(arrival.getTime()) ? arrival.toISOString() : undefined,
    errorCode,
    errorMessage,
  };
  let envelope;
  try {
    envelope = parseEnvelope(rawData);
  } catch (error) {
    // Not something the checker wrote (put on Firehose by hand, say): the data itself is all there is.
    const original = Buffer.from(rawData, 'base64');
    const detail = error instanceof InvalidRecordError ? error.message : errorMessage;
    return {
      ...base,
      reason: 'INVALID_ENVELOPE',
      detail,
      contactId: contactIdOf(original),
      original,
      complete: true,
      envelope: undefined,
      sequenceNumber: undefined,
    };
  }
  if (envelope.kind === 'quarantine') {
    const original = Buffer.from(envelope.rawBase64, 'base64');
    return {
      ...base,
      reason: envelope.reason,
      detail: envelope.detail,
      contactId: contactIdOf(original),
      original,
      complete: !/rawBase64 holds its first \d+ of \d+ bytes/.test(envelope.detail),
      envelope: 'quarantine',
      sequenceNumber: envelope.sequenceNumber,
    };
  }
  const original = Buffer.from(envelope.raw, 'utf8');
  return {
    ...base,
    ...transformVerdict(envelope, errorCode, errorMessage),
    contactId: contactIdOf(original),
    original,
    complete: true,
    envelope,
    sequenceNumber: envelope.sequenceNumber,
  };
}

/** Why an accepted CTR failed after the checker: what the transform says of it today, or Firehose's error. */
function transformVerdict(
  envelope: AcceptedEnvelope,
  errorCode: string,
  errorMessage: string,
): { reason: string; detail: string } {
  if (errorCode !== 'Lambda.ProcessingFailed') return { reason: errorCode, detail: errorMessage };
  const refusal = transformRefusal(envelope);
  return refusal ?? { reason: errorCode, detail: 'the transform refused it then; today it converts' };
}

/** The transform's reason to refuse the envelope with the code of today, or undefined when it converts. */
function transformRefusal(envelope: AcceptedEnvelope): { reason: string; detail: string } | undefined {
  try {
    toLakeRow(envelope);
    return undefined;
  } catch (error) {
    if (error instanceof InvalidRecordError) return { reason: error.code, detail: error.message };
    return { reason: 'UNEXPECTED_ERROR', detail: `converting it throws ${(error as Error).name ?? typeof error}` };
  }
}

/** What redriving a record would do, and why, judged with the code of today. */
export type RedriveVerdict =
  | { readonly action: 'stream'; readonly why: string }
  | { readonly action: 'firehose'; readonly why: string }
  | { readonly action: 'leave'; readonly why: string };

/**
 * Whether a record is worth sending again and where to:
 * - a CTR the checker accepted (it holds a dedup claim until the TTL, so through the stream the checker would drop it
 *   as a duplicate) goes back to Firehose as its envelope, when its failure was transient (the transform function
 *   failed or answered badly: any `Lambda.*` code but `Lambda.ProcessingFailed`) or the transform of today converts
 *   it;
 * - a record the checker quarantined (it holds no claim) goes back on the stream when the checker and transform of
 *   today accept it;
 * - anything else is left, with the reason it would fail again.
 */
export function judgeRedrive(record: QuarantinedRecord, strategy: DedupKeyStrategy): RedriveVerdict {
  if (!record.complete) {
    return { action: 'leave', why: 'only the first bytes of the record were kept: it cannot be sent whole' };
  }
  const { envelope } = record;
  if (envelope === undefined) return { action: 'leave', why: 'not an envelope the checker wrote' };
  if (envelope !== 'quarantine') {
    if (record.errorCode.startsWith('Lambda.') && record.errorCode !== 'Lambda.ProcessingFailed') {
      return { action: 'firehose', why: `transient: ${record.errorCode}` };
    }
    if (record.errorCode.startsWith('DataFormatConversion.')) {
      return { action: 'leave', why: `the lake's format refused its row: ${record.errorMessage}` };
    }
    const refusal = transformRefusal(envelope);
    return refusal
      ? { action: 'leave', why: `the transform still refuses it: ${refusal.reason} (${refusal.detail})` }
      : { action: 'firehose', why: 'fixed since: the transform converts it now' };
  }
  const decoded = decodeRecord(
    { eventId: 'redrive', sequenceNumber: record.sequenceNumber ?? '0', data: record.original.toString('base64') },
    strategy,
  );
  if (decoded.kind === 'quarantine') {
    return { action: 'leave', why: `the checker still quarantines it: ${decoded.reason} (${decoded.envelope.detail})` };
  }
  const refusal = transformRefusal(decoded.envelope);
  return refusal
    ? { action: 'leave', why: `the transform would refuse it: ${refusal.reason} (${refusal.detail})` }
    : { action: 'stream', why: 'fixed since: the checker and the transform accept it now' };
}

/** SHA-256 of the record's bytes: what a quarantined record and the CTR it came from have in common. */
export function originalDigest(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** `errors/processing-failed/2026/03/05/14/x.gz` → `processing-failed`. */
function outputTypeOf(object: string): string {
  const path = `/${object}`;
  const at = path.lastIndexOf(`/${LAKE_ERROR_PREFIX}`);
  return at >= 0 ? (path.slice(at + LAKE_ERROR_PREFIX.length + 1).split('/')[0] ?? 'unknown') : 'unknown';
}

function contactIdOf(bytes: Buffer): string | undefined {
  try {
    const id = (JSON.parse(bytes.toString('utf8')) as { ContactId?: unknown } | null)?.ContactId;
    return typeof id === 'string' ? id : undefined;
  } catch {
    return undefined;
  }
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}
