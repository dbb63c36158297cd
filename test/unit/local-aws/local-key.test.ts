import { mkdir, mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PseudonymKeyError } from '../../../lambda/transform/pii/pseudonym-key';
import { stateDir } from '../../../local-aws/lake/lake-writer';
import { ensureLocalKey, localKeyPath, readLocalKey } from '../../../local-aws/pii/local-key';

describe('the local pseudonym key', () => {
  let lake: string;
  beforeEach(async () => {
    lake = await mkdtemp(join(tmpdir(), 'ctr-lake-key-'));
    await mkdir(stateDir(lake), { recursive: true });
  });
  afterEach(async () => {
    await rm(lake, { recursive: true, force: true });
  });

  it("is created on first use in the lake's state directory, in the secret's form, readable by its owner only", async () => {
    // Act
    const created = await ensureLocalKey(lake, 1);

    // Assert
    expect(created.path).toBe(join(lake, '.state', 'pii-key.json'));
    const stored = JSON.parse(await readFile(created.path, 'utf8')) as { version: number; key: string };
    expect(stored.version).toBe(1);
    expect(stored.key).toMatch(/^[A-Za-z0-9]{64}$/);
    expect(created.key.version).toBe(1);
    expect((await stat(created.path)).mode & 0o777).toBe(0o600);
  });

  it('is the same key on every later run of the lake', async () => {
    // Arrange
    const first = await ensureLocalKey(lake, 1);

    // Act
    const again = await ensureLocalKey(lake, 1);
    const read = await readLocalKey(lake);

    // Assert
    expect(again.secretString).toBe(first.secretString);
    expect(read.secretString).toBe(first.secretString);
  });

  it('is generated anew for another key version, the previous one kept beside it', async () => {
    // Arrange
    const first = await ensureLocalKey(lake, 1);

    // Act
    const second = await ensureLocalKey(lake, 2);

    // Assert
    expect(second.key.version).toBe(2);
    expect(second.secretString).not.toBe(first.secretString);
    expect((await readdir(stateDir(lake))).sort()).toEqual(['pii-key.json', 'pii-key.v1.json']);
    expect(await readFile(join(stateDir(lake), 'pii-key.v1.json'), 'utf8')).toBe(`${first.secretString}\n`);
  });

  it('must exist to be read: reading never creates one', async () => {
    // Act
    const error = await readLocalKey(lake).catch((e: unknown) => e);

    // Assert
    expect(error).toBeInstanceOf(PseudonymKeyError);
    expect((error as Error).message).toContain(`no pseudonym key at ${localKeyPath(lake)}`);
    expect(await readdir(stateDir(lake))).toEqual([]);
  });
});
