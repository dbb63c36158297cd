import { outcomeOf, type PartitionOutcome } from './compact-partition';
import type { CompactionContext } from './context';
import { CompactionError } from './errors';
import { checkStaged, discard, publishAndRetire, retire } from './finish';
import { decodeManifest, type ManifestState } from './manifest';

/** What a run did with a compaction an earlier run left in flight. */
export interface RecoveryOutcome {
  readonly day: string;
  readonly runId: string;
  /** The state the manifest was found in. */
  readonly state: ManifestState;
  /** `finished`: published (if it was not yet) and retired; `discarded`: never published, its staged copies dropped. */
  readonly action: 'finished' | 'discarded';
  /** Why a staged compaction was discarded rather than published. */
  readonly reason?: string;
  /** For a finished compaction, what it did. */
  readonly outcome?: PartitionOutcome;
}

/**
 * Finishes or discards the compaction a manifest records, so that each partition has at most one in flight and a
 * crash never leaves work half done for longer than until the next run:
 * - `intent`: the outputs may be partly staged and were never visible: delete them and the manifest; the partition
 *   still holds its originals and is compacted again like any other.
 * - `staged`: every output was staged and checked: publish and retire them, unless a staged copy went missing
 *   (then discard, as for `intent`).
 * - `published`: the outputs are visible: delete the originals, the staged copies and the manifest.
 * Returns undefined when the manifest is gone (another run finished it meanwhile).
 */
export async function recoverManifest(key: string, context: CompactionContext): Promise<RecoveryOutcome | undefined> {
  const body = await context.store.get(key);
  if (body === undefined) return undefined;
  const manifest = decodeManifest(body, key);
  const found = { day: manifest.day, runId: manifest.runId, state: manifest.state };
  switch (manifest.state) {
    case 'intent':
      await discard(manifest, context);
      return { ...found, action: 'discarded' };
    case 'staged':
      try {
        await checkStaged(manifest, context);
      } catch (error) {
        if (!(error instanceof CompactionError)) throw error;
        await discard(manifest, context);
        return { ...found, action: 'discarded', reason: error.message };
      }
      await publishAndRetire(manifest, context);
      return { ...found, action: 'finished', outcome: outcomeOf(manifest) };
    case 'published':
      await retire(manifest, context);
      return { ...found, action: 'finished', outcome: outcomeOf(manifest) };
  }
}
