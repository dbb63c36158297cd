import { CtrLakeError } from '../shared/errors';

/** Why the compaction of a partition stopped. Stable strings: they appear in logs and in the run summary. */
export type CompactionErrorCode =
  /** The rewritten objects do not hold exactly one row per fingerprint of the originals: nothing was published. */
  | 'VERIFICATION_FAILED'
  /** Rows without a fingerprint: the job cannot tell their duplicates apart, so it leaves the partition alone. */
  | 'MISSING_FINGERPRINT'
  /** A manifest that cannot be read: the partition is left as it is for a human to look at. */
  | 'MANIFEST_INVALID'
  /** A staged object is missing or not the size written: the interrupted compaction is discarded, not published. */
  | 'STAGING_MISMATCH'
  /** The partition is larger than the job can rewrite within its disk: refused before anything was read. */
  | 'PARTITION_TOO_LARGE';

export class CompactionError extends CtrLakeError {
  constructor(
    readonly code: CompactionErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
