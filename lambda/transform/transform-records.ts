import type {
  FirehoseTransformationEvent,
  FirehoseTransformationEventRecord,
  FirehoseTransformationResult,
  FirehoseTransformationResultRecord,
} from 'aws-lambda';
import { types } from 'node:util';
import type { AcceptedEnvelope } from '../shared/envelope';
import { InvalidRecordError, type QuarantineReason } from '../shared/errors';
import { DEFAULT_PROJECTION_START_YEAR, projectedYears, type ProjectedYears } from '../shared/row-schema';
import { parseEnvelope } from './parse-envelope';
import type { RowProtector } from './pii/protect-row';
import { toLakeRow } from './to-lake-row';

/**
 * Why the transform failed a record: the checker's reasons, or UNEXPECTED_ERROR when converting it threw anything
 * but InvalidRecordError (a bug or a runtime limit the record ran into); `errorName` then names what was thrown.
 */
export type TransformFailureReason = QuarantineReason | 'UNEXPECTED_ERROR';

/** Why one record went to the error prefix, with what identifies it (never its content). */
export interface TransformFailure {
  readonly recordId: string;
  readonly reason: TransformFailureReason;
  readonly detail: string;
  /** The thrown error's name (RangeError, TypeError...) when the reason is UNEXPECTED_ERROR. */
  readonly errorName?: string;
  readonly sequenceNumber?: string;
  readonly contactId?: string;
  readonly fingerprint?: string;
}

export interface TransformOptions {
  /** First year of the `ctr` table's partition projection. @default DEFAULT_PROJECTION_START_YEAR */
  readonly projectionStartYear?: number;
  /** The time of the batch: its UTC year is the projection's last. @default the current time */
  readonly now?: Date;
  /**
   * Makes each row what the lake may hold (pii/protect-row.ts).
   * @default rows as the CTR has them (`ctrLake:piiMode` keep)
   */
  readonly protect?: RowProtector;
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
 * `ProcessingFailed` carrying its original data, which Firehose writes under the error prefix; so does a CTR whose
 * partition year the table's projection does not cover (`options`).
 *
 * Never throws because of a record: a thrown error makes Firehose retry the whole batch, then send every record of
 * it to the error prefix, and a record that is bad now is bad on every retry. Each record's conversion is guarded:
 * whatever it throws, an InvalidRecordError or not, fails that record alone.
 */
export function transformRecords(event: FirehoseTransformationEvent, options: TransformOptions = {}): TransformReport {
  const projected = projectedYears(
    options.projectionStartYear ?? DEFAULT_PROJECTION_START_YEAR,
    options.now ?? new Date(),
  );
  const protect = options.protect ?? ((row) => row);
  const failures: TransformFailure[] = [];
  let transformed = 0;
  const records = event.records.map((record): FirehoseTransformationResultRecord => {
    const outcome = transformRecord(record, projected, protect);
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

function transformRecord(
  record: FirehoseTransformationEventRecord,
  projected: ProjectedYears,
  protect: RowProtector,
): RecordOutcome {
  const { recordId } = record;
  const failed = (failure: Omit<TransformFailure, 'recordId'>): RecordOutcome => ({
    result: 'ProcessingFailed',
    // The original data, unchanged: for a quarantine envelope it carries the checker's reason and the raw bytes.
    record: { recordId, result: 'ProcessingFailed', data: record.data },
    failure: { recordId, ...failure },
  });

  // Set once the data is known to be an accepted envelope, so a failure after that can name the contact.
  let accepted: AcceptedEnvelope | undefined;
  try {
    const envelope = parseEnvelope(record.data);
    if (envelope.kind === 'quarantine') {
      return failed({ reason: envelope.reason, detail: envelope.detail, sequenceNumber: envelope.sequenceNumber });
    }
    accepted = envelope;
    const { row, partitionKeys } = toLakeRow(envelope, projected);
    return {
      result: 'Ok',
      record: {
        recordId,
        result: 'Ok',
        data: Buffer.from(`${JSON.stringify(protect(row))}\n`, 'utf8').toString('base64'),
        metadata: { partitionKeys },
      },
    };
  } catch (error) {
    const identity =
      accepted === undefined
        ? {}
        : { sequenceNumber: accepted.sequenceNumber, fingerprint: accepted.fingerprint, ...contactIdOf(accepted.raw) };
    return failed({ ...reasonOf(error), ...identity });
  }
}

function reasonOf(error: unknown): Pick<TransformFailure, 'reason' | 'detail' | 'errorName'> {
  if (error instanceof InvalidRecordError) return { reason: error.code, detail: error.message };
  // isNativeError also knows errors made in another realm (Node's own, under a test runner's VM context).
  const errorName = error instanceof Error || types.isNativeError(error) ? error.name : typeof error;
  // Only the name: a runtime error's message may quote the record (JSON.parse's does), and logs must not hold CTRs.
  return { reason: 'UNEXPECTED_ERROR', detail: `converting the record threw ${errorName}`, errorName };
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
