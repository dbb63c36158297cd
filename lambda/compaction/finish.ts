import { mapWithConcurrency } from '../shared/concurrency';
import type { CompactionContext } from './context';
import { CompactionError } from './errors';
import { encodeManifest, partitionOfManifest, type Manifest } from './manifest';
import { manifestKey, stagingPrefix } from './compaction-names';
import type { CompactionStep } from './steps';

/**
 * The second half of a compaction, shared by the run that staged the outputs and by a later run that finds its
 * manifest: every step is idempotent (a copy writes the same bytes again, a delete of a missing key is a no-op), so
 * repeating the one a crash interrupted is harmless.
 */

/** Throws STAGING_MISMATCH unless every staged output exists with the size that was written (one listing). */
export async function checkStaged(manifest: Manifest, context: CompactionContext): Promise<void> {
  const listed = await context.store.list(stagingPrefix(partitionOfManifest(manifest), manifest.runId));
  const found = new Map(listed.map((object) => [object.key, object]));
  manifest.outputs.forEach((output) => {
    const staged = found.get(output.stagingKey);
    if (staged?.size !== output.size) {
      throw new CompactionError(
        'STAGING_MISMATCH',
        `${output.stagingKey} is ${staged ? `${staged.size} bytes, ${output.size} were written` : 'missing'}`,
      );
    }
  });
}

/** `staged` → publish → `published` → retire. */
export async function publishAndRetire(manifest: Manifest, context: CompactionContext): Promise<void> {
  const step = stepper(manifest, context);
  await mapWithConcurrency(manifest.outputs, context.transferConcurrency, (output) =>
    context.store.copy(output.stagingKey, output.key),
  );
  await step('published');
  const published: Manifest = { ...manifest, state: 'published' };
  await context.store.put(manifestKey(partitionOfManifest(manifest)), encodeManifest(published));
  await step('published-recorded');
  await retire(published, context);
}

/** `published`: delete the originals, then the staged copies, then the manifest. */
export async function retire(manifest: Manifest, context: CompactionContext): Promise<void> {
  const step = stepper(manifest, context);
  // An original is never one of the outputs: outputs are named after this run, which no earlier object can be.
  await context.store.delete(manifest.originals.map((original) => original.key));
  await step('originals-deleted');
  await context.store.delete(manifest.outputs.map((output) => output.stagingKey));
  await step('staging-deleted');
  await context.store.delete([manifestKey(partitionOfManifest(manifest))]);
  await step('done');
}

/** Drops a compaction that was never published: its staged outputs, then its manifest. Originals stay. */
export async function discard(manifest: Manifest, context: CompactionContext): Promise<void> {
  await context.store.delete(manifest.outputs.map((output) => output.stagingKey));
  await context.store.delete([manifestKey(partitionOfManifest(manifest))]);
}

function stepper(manifest: Manifest, context: CompactionContext): (step: CompactionStep) => Promise<void> {
  return async (step) => {
    await context.onStep?.(step, manifest.day);
  };
}
