import type { Envelope } from '../../lambda/shared/envelope';
import type { FirehoseErrorRecord } from '../../local-aws/firehose/firehose-records';

/** Firehose's ProcessingFailed code: the transform itself refused the record. */
export const PROCESSING_FAILED = 'Lambda.ProcessingFailed';

/**
 * One line of an error object as Firehose writes it under errors/: the record's data (what the checker put on
 * Firehose) base64 in `rawData`, with Firehose's error code.
 */
export function anErrorRecord(
  data: Envelope | Buffer,
  options: { readonly errorCode?: string; readonly errorMessage?: string; readonly arrival?: Date } = {},
): FirehoseErrorRecord {
  const bytes = Buffer.isBuffer(data) ? data : Buffer.from(JSON.stringify(data), 'utf8');
  const arrival = (options.arrival ?? new Date('2026-03-05T14:03:11.000Z')).getTime();
  return {
    attemptsMade: 4,
    arrivalTimestamp: arrival,
    errorCode: options.errorCode ?? PROCESSING_FAILED,
    errorMessage: options.errorMessage ?? 'The Lambda function marked the record as ProcessingFailed.',
    attemptEndingTimestamp: arrival + 1000,
    rawData: bytes.toString('base64'),
    lambdaArn: 'arn:aws:lambda:eu-west-1:123456789012:function:ctr-lake-transform:$LATEST',
  };
}

/** An error object's body: JSON lines. */
export function errorObject(records: readonly FirehoseErrorRecord[]): Buffer {
  return Buffer.from(records.map((record) => `${JSON.stringify(record)}\n`).join(''), 'utf8');
}
