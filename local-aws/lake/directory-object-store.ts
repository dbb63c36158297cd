import { randomUUID } from 'node:crypto';
import { copyFile, mkdir, readFile, readdir, rename, rm, rmdir, stat, writeFile } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import type { ObjectStore, StoredObject } from '../../lambda/compaction/ports';
import { stateDir } from './lake-writer';

/**
 * The lake directory as an object store, the local stand-in of the lake bucket for the compaction job: a key is a
 * path below the lake directory (`/`-separated). Like S3, every write replaces an object whole: it is written to a
 * temporary file under `<lake>/.state/tmp` and renamed into place (atomic on one file system), so DuckDB never reads
 * half an object. Deleting the last object of a folder removes the folder, as S3 has no folders.
 */
export class DirectoryObjectStore implements ObjectStore {
  private readonly tmpDir: string;

  constructor(private readonly root: string) {
    this.tmpDir = join(stateDir(root), 'tmp');
  }

  async list(prefix: string): Promise<StoredObject[]> {
    // Walk from the deepest folder the prefix names, then keep the keys that really start with it.
    const base = prefix.includes('/') ? prefix.slice(0, prefix.lastIndexOf('/') + 1) : '';
    const found: StoredObject[] = [];
    await this.walk(join(this.root, base), found);
    return found.filter((object) => object.key.startsWith(prefix)).sort((a, b) => a.key.localeCompare(b.key));
  }

  async get(key: string): Promise<Buffer | undefined> {
    try {
      return await readFile(this.path(key));
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  async put(key: string, body: Buffer): Promise<void> {
    await this.place(key, (staged) => writeFile(staged, body));
  }

  async download(key: string, localPath: string): Promise<void> {
    await copyFile(this.path(key), localPath);
  }

  async upload(localPath: string, key: string): Promise<void> {
    await this.place(key, (staged) => copyFile(localPath, staged));
  }

  async copy(sourceKey: string, targetKey: string): Promise<void> {
    await this.place(targetKey, (staged) => copyFile(this.path(sourceKey), staged));
  }

  async delete(keys: readonly string[]): Promise<void> {
    for (const key of keys) {
      const path = this.path(key);
      await rm(path, { force: true });
      await this.removeEmptyFolders(dirname(path));
    }
  }

  private async place(key: string, write: (staged: string) => Promise<void>): Promise<void> {
    await mkdir(this.tmpDir, { recursive: true });
    const staged = join(this.tmpDir, randomUUID());
    try {
      await write(staged);
      const target = this.path(key);
      await mkdir(dirname(target), { recursive: true });
      await rename(staged, target);
    } finally {
      await rm(staged, { force: true });
    }
  }

  private path(key: string): string {
    if (key.length === 0 || key.split('/').some((part) => part === '' || part === '.' || part === '..')) {
      throw new RangeError(`not an object key: "${key}"`);
    }
    return join(this.root, ...key.split('/'));
  }

  private async walk(dir: string, found: StoredObject[]): Promise<void> {
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (error) {
      if (isNotFound(error)) return;
      throw error;
    }
    for (const entry of entries) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) await this.walk(path, found);
      else if (entry.isFile()) {
        found.push({
          key: relative(this.root, path).split(sep).join('/'),
          size: (await stat(path)).size,
          archived: false,
        });
      }
    }
  }

  /** Removes empty folders from `dir` up to (not including) the lake directory. */
  private async removeEmptyFolders(dir: string): Promise<void> {
    let current = dir;
    while (current.startsWith(this.root + sep) && current !== this.root) {
      try {
        await rmdir(current);
      } catch (error) {
        if (!isNotFound(error)) return; // not empty: stop there
      }
      current = dirname(current);
    }
  }
}

function isNotFound(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 'ENOENT';
}
