import type {
  FirehoseTransformationEvent,
  FirehoseTransformationEventRecord,
  FirehoseTransformationResult,
  FirehoseTransformationResultRecord,
} from 'aws-lambda';
import type { Envelope } from '../shared/envelope';
import { InvalidRecordError, type QuarantineReason } from '../shared/errors';
import { parseEnvelope } from './parse-envelope';
import { toLakeRow } from './to-lake-row';

/** Why one record went to the error prefix, with what identifies it (never its content). */
export interface TransformFailure {
  readonly recordId: string;
  readonly reason: QuarantineReason;
  readonly detail: string;
  readonly sequenceNumber?: string;
  readonly contactId?: string;
  readonly fingerprint?: string;
}

export interface TransformReport {
  /** The answer to Firehose: one record per input record, same recordIds, same order. */
  readonly result: FirehoseTransformationResult;
  /** Records turned into rows (`Ok`). */
  readonly transformed: number;
  /** Records returned as `ProcessingFailed`. */
  readonly failures: readonly TransformFailure[];
}

/**
 * The Firehose data-transformation contract over a batch: each accepted envelope becomes one newline-terminated
 * JSON row partitioned by year/month/day; a quarantined envelope, undecodable data or an invalid CTR becomes
 * `ProcessingFailed` carrying its original data, which Firehose writes under the error prefix.
 *
 * Never throws for a bad record: a thrown error makes Firehose retry the whole batch, and a record that is bad
 * now is bad on every retry. Only a bug (an error that is not an InvalidRecordError) escapes.
 */
export function transformRecords(event: FirehoseTransformationEvent): TransformReport {
  const failures: TransformFailure[] = [];
  let transformed = 0;
  const records = event.records.map((record): FirehoseTransformationResultRecord => {
    const outcome = transformRecord(record);
    if (outcome.result === 'Ok') transformed += 1;
    else failures.push(outcome.failure);
    return outcome.record;
  });
  return { result: { records }, transformed, failures };
}

type RecordOutcome =
  | { readonly result: 'Ok'; readonly record: FirehoseTransformationResultRecord }
  | {
      readonly result: 'ProcessingFailed';
      readonly record: FirehoseTransformationResultRecord;
      readonly failure: TransformFailure;
    };

function transformRecord(record: FirehoseTransformationEventRecord): RecordOutcome {
  const { recordId } = record;
  const failed = (failure: Omit<TransformFailure, 'recordId'>): RecordOutcome => ({
    result: 'ProcessingFailed',
    // The original data, unchanged: for a quarantine envelope it carries the checker's reason and the raw bytes.
    record: { recordId, result: 'ProcessingFailed', data: record.data },
    failure: { recordId, ...failure },
  });

  let envelope: Envelope;
  try {
    envelope = parseEnvelope(record.data);
  } catch (error) {
    return failed(reasonOf(error));
  }
  if (envelope.kind === 'quarantine') {
    return failed({ reason: envelope.reason, detail: envelope.detail, sequenceNumber: envelope.sequenceNumber });
  }
  const identity = { sequenceNumber: envelope.sequenceNumber, fingerprint: envelope.fingerprint };
  try {
    const { row, partitionKeys } = toLakeRow(envelope);
    return {
      result: 'Ok',
      record: {
        recordId,
        result: 'Ok',
        data: Buffer.from(`${JSON.stringify(row)}\n`, 'utf8').toString('base64'),
        metadata: { partitionKeys },
      },
    };
  } catch (error) {
    return failed({ ...reasonOf(error), ...identity, ...contactIdOf(envelope.raw) });
  }
}

function reasonOf(error: unknown): { reason: QuarantineReason; detail: string } {
  if (error instanceof InvalidRecordError) return { reason: error.code, detail: error.message };
  throw error;
}

/** The ContactId of a failed CTR, for the log line, when the raw text is JSON with a string ContactId. */
function contactIdOf(raw: string): { contactId?: string } {
  try {
    const id = (JSON.parse(raw) as { ContactId?: unknown } | null)?.ContactId;
    return typeof id === 'string' ? { contactId: id } : {};
  } catch {
    return {};
  }
}
