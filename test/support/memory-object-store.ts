import { readFile, writeFile } from 'node:fs/promises';
import type { ObjectStore, StoredObject } from '../../lambda/compaction/ports';

export type StoreOperation = 'list' | 'get' | 'put' | 'download' | 'upload' | 'copy' | 'delete';

/** Operations that change the store: the ones a crash can fall between. */
export const MUTATIONS: readonly StoreOperation[] = ['put', 'upload', 'copy', 'delete'];

/**
 * An ObjectStore in memory, with S3's semantics (whole-object writes, deletes of missing keys succeed, a GET of a
 * missing key fails) and a hook that can fail any call, to stand for a crash or a service error.
 */
export class MemoryObjectStore implements ObjectStore {
  readonly objects = new Map<string, Buffer>();
  readonly archivedKeys = new Set<string>();
  readonly calls: { operation: StoreOperation; key: string }[] = [];
  /** Return an error to fail the call before it has any effect. */
  failWhen: (operation: StoreOperation, key: string) => Error | undefined = () => undefined;

  async list(prefix: string): Promise<StoredObject[]> {
    this.enter('list', prefix);
    return [...this.objects.keys()]
      .filter((key) => key.startsWith(prefix))
      .sort()
      .map((key) => this.entry(key));
  }

  async get(key: string): Promise<Buffer | undefined> {
    this.enter('get', key);
    return this.objects.get(key);
  }

  async put(key: string, body: Buffer): Promise<void> {
    this.enter('put', key);
    this.objects.set(key, Buffer.from(body));
  }

  async download(key: string, localPath: string): Promise<void> {
    this.enter('download', key);
    const body = this.objects.get(key);
    if (!body) throw new Error(`NoSuchKey: ${key}`);
    await writeFile(localPath, body);
  }

  async upload(localPath: string, key: string): Promise<void> {
    this.enter('upload', key);
    this.objects.set(key, await readFile(localPath));
  }

  async copy(sourceKey: string, targetKey: string): Promise<void> {
    this.enter('copy', targetKey);
    const body = this.objects.get(sourceKey);
    if (!body) throw new Error(`NoSuchKey: ${sourceKey}`);
    this.objects.set(targetKey, Buffer.from(body));
  }

  async delete(keys: readonly string[]): Promise<void> {
    for (const key of keys) {
      this.enter('delete', key);
      this.objects.delete(key);
    }
  }

  /** Keys under a prefix, sorted. */
  keys(prefix = ''): string[] {
    return [...this.objects.keys()].filter((key) => key.startsWith(prefix)).sort();
  }

  private enter(operation: StoreOperation, key: string): void {
    const error = this.failWhen(operation, key);
    if (error) throw error;
    this.calls.push({ operation, key });
  }

  private entry(key: string): StoredObject {
    return { key, size: this.objects.get(key)?.length ?? 0, archived: this.archivedKeys.has(key) };
  }
}
