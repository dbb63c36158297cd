import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DirectoryObjectStore } from '../../../local-aws/lake/directory-object-store';
import { temporaryDir } from '../../support/lake-fixture';

let work: { dir: string; remove: () => Promise<void> };
beforeEach(async () => {
  work = await temporaryDir('directory-store');
});
afterEach(async () => {
  await work.remove();
});

describe('DirectoryObjectStore', () => {
  it('puts, gets and lists objects by key prefix, like a bucket', async () => {
    // Arrange
    const store = new DirectoryObjectStore(work.dir);

    // Act
    await store.put('ctr/year=2026/month=03/day=04/a', Buffer.from('aa'));
    await store.put('ctr/year=2026/month=03/day=05/b', Buffer.from('bbb'));
    await store.put('compaction/manifests/x', Buffer.from('m'));

    // Assert
    expect(await store.list('ctr/year=2026/month=03/day=0')).toEqual([
      { key: 'ctr/year=2026/month=03/day=04/a', size: 2, archived: false },
      { key: 'ctr/year=2026/month=03/day=05/b', size: 3, archived: false },
    ]);
    expect(await store.list('nothing/')).toEqual([]);
    expect((await store.get('compaction/manifests/x'))?.toString()).toBe('m');
    expect(await store.get('compaction/manifests/y')).toBeUndefined();
  });

  it('uploads, downloads and copies whole files, leaving no temporary file behind', async () => {
    // Arrange
    const store = new DirectoryObjectStore(work.dir);
    const local = join(work.dir, 'local-file');
    await writeFile(local, 'rows');

    // Act
    await store.upload(local, 'compaction/staging/s');
    await store.copy('compaction/staging/s', 'ctr/year=2026/month=03/day=04/c');
    await store.download('ctr/year=2026/month=03/day=04/c', join(work.dir, 'back'));

    // Assert
    expect(await readFile(join(work.dir, 'back'), 'utf8')).toBe('rows');
    expect(await readdir(join(work.dir, '.state', 'tmp'))).toEqual([]);
    await expect(store.download('ctr/missing', join(work.dir, 'x'))).rejects.toThrow('ENOENT');
    await expect(store.copy('ctr/missing', 'ctr/y')).rejects.toThrow('ENOENT');
  });

  it('deletes idempotently and removes the folders it empties, not the lake directory', async () => {
    // Arrange
    const store = new DirectoryObjectStore(work.dir);
    await store.put('compaction/staging/year=2026/month=03/day=04/s', Buffer.from('s'));
    await store.put('ctr/year=2026/month=03/day=04/keep', Buffer.from('k'));

    // Act
    await store.delete(['compaction/staging/year=2026/month=03/day=04/s', 'compaction/never-there']);

    // Assert
    expect((await readdir(work.dir)).sort()).toEqual(['.state', 'ctr']);
  });

  it('refuses keys that would leave the lake directory', async () => {
    const store = new DirectoryObjectStore(work.dir);
    await expect(store.put('../outside', Buffer.from('x'))).rejects.toThrow('not an object key: "../outside"');
    await expect(store.get('ctr//a')).rejects.toThrow(RangeError);
  });
});
