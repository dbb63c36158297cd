import { mkdtemp, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { mapWithConcurrency } from '../shared/concurrency';
import { ROW_OBJECT_EXTENSION } from '../shared/lake-format';
import { compactedName, manifestKey, newRunId, stagingKey } from './compaction-names';
import type { CompactionContext } from './context';
import { CompactionError } from './errors';
import { checkStaged, publishAndRetire } from './finish';
import { encodeManifest, type Manifest, type ManifestOutput } from './manifest';
import type { PartitionListing } from './plan';
import type { RowCounts } from './ports';

/** What compacting one partition did. */
export interface PartitionOutcome {
  readonly day: string;
  readonly runId: string;
  readonly objectsBefore: number;
  readonly objectsAfter: number;
  readonly bytesBefore: number;
  readonly bytesAfter: number;
  readonly rowsBefore: number;
  /** Rows after: one per distinct fingerprint. */
  readonly rows: number;
  readonly duplicatesRemoved: number;
}

/**
 * Compacts one day partition: the objects of `listing` (and only those: anything Firehose delivers meanwhile is left
 * for the next run) become as few objects as `targetObjectBytes` allows, with exactly one row per fingerprint.
 *
 * Order, so that a crash between any two steps loses nothing and leaves nothing half-done visible:
 * 1. download and rewrite locally; count the outputs: rows must equal the originals' distinct fingerprints, and so
 *    must the outputs' own distinct fingerprints (otherwise stop, nothing written);
 * 2. manifest `intent`; 3. upload the outputs under compaction/staging/ (outside the table location);
 * 4. check the staged sizes, manifest `staged`; 5. copy them into the partition (now visible: until step 7 the
 *    partition shows both, which `ctr_latest` absorbs); 6. manifest `published`; 7. delete the originals;
 * 8. delete the staged copies; 9. delete the manifest.
 * A run that finds a manifest finishes from its state (recover.ts).
 */
export async function compactPartition(
  listing: PartitionListing,
  context: CompactionContext,
): Promise<PartitionOutcome> {
  const { partition, objects } = listing;
  const extension = ROW_OBJECT_EXTENSION[context.format];
  const runId = newRunId(context.now(), context.randomHex8());
  const dir = await mkdtemp(join(context.workDir, `compact-${partition.day}-`));
  try {
    const inputs = await mapWithConcurrency(objects, context.transferConcurrency, async (object, i) => {
      const path = join(dir, `in-${i}${extension}`);
      await context.store.download(object.key, path);
      return path;
    });
    const before = await context.engine.count(inputs, context.format);
    if (before.rowsWithoutFingerprint > 0) {
      throw new CompactionError(
        'MISSING_FINGERPRINT',
        `${partition.day}: ${before.rowsWithoutFingerprint} rows have no fingerprint; the partition is left as it is`,
      );
    }

    const planned = Array.from({ length: Math.max(1, Math.ceil(listing.bytes / context.targetObjectBytes)) }, (_, i) =>
      join(dir, `out-${i}${extension}`),
    );
    await context.engine.rewrite(inputs, context.format, planned);
    const after = await context.engine.count(planned, context.format);
    verify(partition.day, before, after, await context.engine.countMissing(inputs, planned, context.format));

    // Empty outputs (a hash bucket no fingerprint fell into) are not written: an object without rows is clutter.
    const outputs: (ManifestOutput & { readonly path: string })[] = [];
    for (const [i, path] of planned.entries()) {
      const rows = after.rowsPerFile[i] ?? 0;
      if (rows === 0) continue;
      const index = outputs.length;
      outputs.push({
        path,
        rows,
        size: (await stat(path)).size,
        stagingKey: stagingKey(partition, runId, index, extension),
        key: `${partition.prefix}${compactedName(runId, index, extension)}`,
      });
    }
    await context.onStep?.('rewritten', partition.day);

    const intent: Manifest = {
      version: 1,
      runId,
      day: partition.day,
      state: 'intent',
      originals: objects.map(({ key, size }) => ({ key, size })),
      outputs: outputs.map(({ stagingKey: staged, key, size, rows }) => ({ stagingKey: staged, key, size, rows })),
      rowsBefore: before.rows,
      duplicatesRemoved: before.rows - before.distinctFingerprints,
    };
    const manifestAt = manifestKey(partition);
    await context.store.put(manifestAt, encodeManifest(intent));
    await context.onStep?.('intent-recorded', partition.day);

    await mapWithConcurrency(outputs, context.transferConcurrency, (output) =>
      context.store.upload(output.path, output.stagingKey),
    );
    await context.onStep?.('staged', partition.day);
    await checkStaged(intent, context);
    const staged: Manifest = { ...intent, state: 'staged' };
    await context.store.put(manifestAt, encodeManifest(staged));
    await context.onStep?.('staged-recorded', partition.day);

    await publishAndRetire(staged, context);
    return outcomeOf(staged);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** The outcome a manifest describes (a compaction this run did, or one it finished for an earlier run). */
export function outcomeOf(manifest: Manifest): PartitionOutcome {
  return {
    day: manifest.day,
    runId: manifest.runId,
    objectsBefore: manifest.originals.length,
    objectsAfter: manifest.outputs.length,
    bytesBefore: manifest.originals.reduce((sum, original) => sum + original.size, 0),
    bytesAfter: manifest.outputs.reduce((sum, output) => sum + output.size, 0),
    rowsBefore: manifest.rowsBefore,
    rows: manifest.outputs.reduce((sum, output) => sum + output.rows, 0),
    duplicatesRemoved: manifest.duplicatesRemoved,
  };
}

/**
 * The rewrite is correct when the outputs hold exactly the originals' fingerprints, each once: none of them missing,
 * as many distinct fingerprints (so none added), and one row each.
 */
function verify(day: string, before: RowCounts, after: RowCounts, missing: number): void {
  const problems: string[] = [];
  if (missing > 0) problems.push(`${missing} fingerprints of the originals are missing`);
  if (after.rows !== before.distinctFingerprints) {
    problems.push(`${after.rows} rows written for ${before.distinctFingerprints} distinct fingerprints`);
  }
  if (after.distinctFingerprints !== before.distinctFingerprints) {
    problems.push(`${after.distinctFingerprints} distinct fingerprints written of ${before.distinctFingerprints}`);
  }
  if (after.rowsWithoutFingerprint > 0) problems.push(`${after.rowsWithoutFingerprint} rows without fingerprint`);
  if (problems.length > 0) {
    throw new CompactionError('VERIFICATION_FAILED', `${day}: ${problems.join('; ')}; nothing was published`);
  }
}
