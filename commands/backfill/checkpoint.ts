import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

/**
 * How far a backfill got in one source, counting its records in reading order: those before `next` are settled
 * (acknowledged, found in the lake, or refused as malformed) except the ones in `retry`, which the stream did not
 * take; `complete` once the whole source is read and nothing is left to retry.
 */
export interface SourceProgress {
  readonly next: number;
  readonly retry: readonly number[];
  readonly complete?: true;
}

/** What a backfill has settled, source by source (by CtrSource.id). */
export interface Checkpoint {
  readonly version: 1;
  /** What the backfill sends to: a stack and stream, or a local lake. */
  readonly target: string;
  readonly sources: Readonly<Record<string, SourceProgress>>;
}

/** The checkpoint file of a backfill: one per target and set of sources, so that "the same arguments" find it. */
export function checkpointPath(dir: string, target: string, sourceSpecs: readonly string[]): string {
  const key = createHash('sha256')
    .update(JSON.stringify([target, [...sourceSpecs].sort()]))
    .digest('hex')
    .slice(0, 16);
  return join(dir, `backfill-${key}.json`);
}

export class CheckpointError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'CheckpointError';
  }
}

/** Reads a checkpoint; undefined when there is none. Refuses one written for another target. */
export async function loadCheckpoint(path: string, target: string): Promise<Checkpoint | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new CheckpointError(`cannot read checkpoint ${path}: ${(error as Error).message}`, { cause: error });
  }
  let checkpoint: Checkpoint;
  try {
    checkpoint = JSON.parse(text) as Checkpoint;
  } catch (cause) {
    throw new CheckpointError(`checkpoint ${path} is not JSON: delete it or run with --restart`, { cause });
  }
  if (checkpoint.version !== 1 || typeof checkpoint.sources !== 'object' || checkpoint.sources === null) {
    throw new CheckpointError(`checkpoint ${path} is not one this version writes: delete it or run with --restart`);
  }
  if (checkpoint.target !== target) {
    throw new CheckpointError(
      `checkpoint ${path} belongs to a backfill into ${checkpoint.target}, not ${target}: run with --restart`,
    );
  }
  return checkpoint;
}

/** Writes the checkpoint whole or not at all (a temporary file renamed over it), so a crash never leaves half. */
export async function saveCheckpoint(path: string, checkpoint: Checkpoint): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const staged = `${path}.${process.pid}.tmp`;
  await writeFile(staged, `${JSON.stringify(checkpoint)}\n`);
  await rename(staged, path);
}

export async function removeCheckpoint(path: string): Promise<void> {
  await rm(path, { force: true });
}
