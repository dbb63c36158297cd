import type { LakeFormat } from '../shared/lake-format';

/**
 * The small interfaces the compaction core talks to. The core never imports the AWS SDK: the lake bucket sits behind
 * ObjectStore (adapters/s3-object-store.ts in AWS, local-aws/lake/directory-object-store.ts on a local lake) and the
 * rewrite behind RewriteEngine (duckdb-rewriter.ts, the same in both places).
 */

/** One object of a listing, as the core needs it. */
export interface StoredObject {
  /** The object key, e.g. `ctr/year=2026/month=03/day=05/ctr-lake-1-2026-03-05-…parquet`. */
  readonly key: string;
  readonly size: number;
  /**
   * The object is in an archive storage class (Glacier Flexible Retrieval, Deep Archive) that needs a restore before
   * any GET: its partition cannot be compacted (nor read by Athena) until then.
   */
  readonly archived: boolean;
}

/**
 * A bucket, or a directory that stands in for one. Every write replaces a whole object atomically (S3 PUT and
 * CopyObject; a rename locally), so a reader sees an object whole or not at all.
 */
export interface ObjectStore {
  /** Every object whose key starts with `prefix`, in key order. */
  list(prefix: string): Promise<StoredObject[]>;
  /**
   * A small object's bytes (a manifest), or undefined when there is no such object. (There is no HEAD: under a
   * role that may list only the lake's prefixes, S3 answers a HEAD of a missing key with 403, not 404, so the core
   * checks what exists by listing.)
   */
  get(key: string): Promise<Buffer | undefined>;
  put(key: string, body: Buffer): Promise<void>;
  /** Copies an object to a local file. Rejects when there is no such object. */
  download(key: string, localPath: string): Promise<void>;
  /** Writes a local file as an object. */
  upload(localPath: string, key: string): Promise<void>;
  /** Server-side copy (no bytes through the job). Rejects when the source does not exist. */
  copy(sourceKey: string, targetKey: string): Promise<void>;
  /** Deletes objects; keys that do not exist are not an error, so a repeated delete is harmless. */
  delete(keys: readonly string[]): Promise<void>;
}

/** What a set of lake objects holds, counted by the engine. */
export interface RowCounts {
  readonly rows: number;
  readonly distinctFingerprints: number;
  /** Rows with no fingerprint: the transform always writes one, so any is a reason to stop. */
  readonly rowsWithoutFingerprint: number;
  /** Rows of each file, in the order given. */
  readonly rowsPerFile: readonly number[];
}

/** Reads and writes lake objects (local files) in the lake's format. */
export interface RewriteEngine {
  /** Counts rows and distinct fingerprints over the files together. */
  count(files: readonly string[], format: LakeFormat): Promise<RowCounts>;
  /** How many distinct fingerprints of `expected` no row of `actual` has. */
  countMissing(expected: readonly string[], actual: readonly string[], format: LakeFormat): Promise<number>;
  /**
   * Writes the rows of `inputs`, one per fingerprint, into `outputs` (one file each, in the lake's format): the rows
   * of a fingerprint all go to the same output, chosen by a hash of it, so the outputs never share a fingerprint.
   * Which copy of a fingerprint is kept is deterministic: the first in input order.
   */
  rewrite(inputs: readonly string[], format: LakeFormat, outputs: readonly string[]): Promise<void>;
}
