import { CompactionError } from './errors';
import { partitionOfDay, type Partition } from './partition';

/**
 * The record of a compaction in flight, one per partition (compaction-names.ts manifestKey). Written before anything
 * else, rewritten at each state change (a PUT replaces it whole), deleted last: a run that finds one finishes or
 * discards that compaction before doing anything else.
 *
 * - `intent`: outputs are being staged. Nothing is visible; recovery deletes what was staged.
 * - `staged`: every output is staged and its size checked. Recovery publishes them, then as `published`.
 * - `published`: every output is in the partition. Recovery deletes the originals, the staged copies, the manifest.
 */
export type ManifestState = 'intent' | 'staged' | 'published';

export interface ManifestOutput {
  /** Where the output is staged, outside the table location. */
  readonly stagingKey: string;
  /** Its key in the partition once published. */
  readonly key: string;
  readonly size: number;
  readonly rows: number;
}

export interface Manifest {
  readonly version: 1;
  readonly runId: string;
  readonly day: string;
  readonly state: ManifestState;
  /** Every object the compaction read: they are deleted once the outputs are published, and nothing else is. */
  readonly originals: readonly { readonly key: string; readonly size: number }[];
  readonly outputs: readonly ManifestOutput[];
  /** Rows the originals held, and how many of them were copies of another row's fingerprint. */
  readonly rowsBefore: number;
  readonly duplicatesRemoved: number;
}

const STATES: readonly ManifestState[] = ['intent', 'staged', 'published'];

export function encodeManifest(manifest: Manifest): Buffer {
  return Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`, 'utf8');
}

/** Parses and checks a manifest read from `key`; throws CompactionError MANIFEST_INVALID naming what is wrong. */
export function decodeManifest(body: Buffer, key: string): Manifest {
  let value: unknown;
  try {
    value = JSON.parse(body.toString('utf8'));
  } catch (error) {
    throw new CompactionError('MANIFEST_INVALID', `${key} is not JSON`, { cause: error });
  }
  const problem = manifestProblem(value);
  if (problem) throw new CompactionError('MANIFEST_INVALID', `${key}: ${problem}`);
  return value as Manifest;
}

export function partitionOfManifest(manifest: Manifest): Partition {
  return partitionOfDay(manifest.day);
}

function manifestProblem(value: unknown): string | undefined {
  if (!isRecord(value)) return 'not an object';
  if (value.version !== 1) return `unknown version ${JSON.stringify(value.version)}`;
  if (typeof value.runId !== 'string') return 'no runId';
  if (typeof value.day !== 'string') return 'no day';
  if (!(STATES as readonly unknown[]).includes(value.state)) return `unknown state ${JSON.stringify(value.state)}`;
  if (!Array.isArray(value.originals) || !value.originals.every((o) => isRecord(o) && isKeyAndSize(o))) {
    return 'originals must be a list of { key, size }';
  }
  if (
    !Array.isArray(value.outputs) ||
    !value.outputs.every(
      (o) => isRecord(o) && isKeyAndSize(o) && typeof o.stagingKey === 'string' && Number.isInteger(o.rows),
    )
  ) {
    return 'outputs must be a list of { stagingKey, key, size, rows }';
  }
  if (!Number.isInteger(value.rowsBefore) || !Number.isInteger(value.duplicatesRemoved)) return 'no row counts';
  try {
    partitionOfDay(value.day);
  } catch {
    return `day ${JSON.stringify(value.day)} is not YYYY-MM-DD`;
  }
  return undefined;
}

function isKeyAndSize(value: Record<string, unknown>): boolean {
  return typeof value.key === 'string' && Number.isInteger(value.size);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
