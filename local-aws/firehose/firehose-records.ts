/** A record as the local Firehose holds it between PutRecordBatch and delivery. */
export interface BufferedRecord {
  readonly recordId: string;
  readonly data: Buffer;
  /** Epoch milliseconds, as the transformation event carries it. */
  readonly arrivalMs: number;
}

/** Firehose's error-output record, one JSON line per failed record under the error prefix. */
export interface FirehoseErrorRecord {
  readonly attemptsMade: number;
  readonly arrivalTimestamp: number;
  readonly errorCode: string;
  readonly errorMessage: string;
  readonly attemptEndingTimestamp: number;
  /** The record as it was put, base64: for quarantined envelopes it carries the reason. */
  readonly rawData: string;
  readonly lambdaArn: string;
}

/** The `!{firehose:error-output-type}` values the local Firehose can produce. */
export type ErrorOutputType = 'processing-failed' | 'partitioning-failed' | 'format-conversion-failed';
