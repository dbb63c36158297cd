/** One place CTRs are read from: a file or an S3 object. */
export interface CtrSource {
  /** How reports name it: a path (relative to the working directory when inside it) or `s3://bucket/key`. */
  readonly name: string;
  /** What identifies it across runs (a checkpoint's key): the absolute path or the S3 URL. */
  readonly id: string;
  /** Bytes as stored (compressed when compressed), when known: progress and ETA count against it. */
  readonly size: number | undefined;
  open(): Promise<AsyncIterable<Uint8Array>>;
}

/** A source named on the command line that cannot be listed: missing, unreadable, or not a valid S3 URL. */
export class SourceError extends Error {
  constructor(
    readonly source: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'SourceError';
  }
}
