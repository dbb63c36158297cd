import { createReadStream } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { SourceError, type CtrSource } from './source';

/** Files read at a time: large enough for few reads, small enough to keep memory flat. */
const READ_CHUNK_BYTES = 256 * 1024;

/**
 * The sources a path names: the file itself, or every file under a directory (recursively, in name order so a rerun
 * reads them in the same order), skipping names that start with `.` (`.DS_Store`, `.state/`, editors' files).
 * Every other file is read whatever its extension: Firehose's objects have none.
 */
export async function* fileSources(path: string, cwd: string): AsyncGenerator<CtrSource> {
  const absolute = resolve(cwd, path);
  const info = await statOrThrow(path, absolute);
  if (info.isFile()) {
    yield fileSource(absolute, info.size, cwd);
    return;
  }
  if (!info.isDirectory()) throw new SourceError(path, `${path} is neither a file nor a directory`);
  yield* walk(absolute, cwd);
}

async function* walk(dir: string, cwd: string): AsyncGenerator<CtrSource> {
  const entries = (await readdir(dir, { withFileTypes: true }))
    .filter((entry) => !entry.name.startsWith('.'))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* walk(path, cwd);
    else if (entry.isFile()) yield fileSource(path, (await stat(path)).size, cwd);
  }
}

function fileSource(absolute: string, size: number, cwd: string): CtrSource {
  const inside = relative(cwd, absolute);
  return {
    name: inside.startsWith('..') || isAbsolute(inside) ? absolute : inside,
    id: absolute,
    size,
    open: async () => createReadStream(absolute, { highWaterMark: READ_CHUNK_BYTES }),
  };
}

async function statOrThrow(path: string, absolute: string): Promise<Stats> {
  try {
    return await stat(absolute);
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file or directory' : code === 'EACCES' ? 'permission denied' : code;
    throw new SourceError(path, `cannot read ${path}: ${why ?? String(cause)}`, { cause });
  }
}
