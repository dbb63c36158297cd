import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  checkpointPath,
  CheckpointError,
  loadCheckpoint,
  removeCheckpoint,
  saveCheckpoint,
  type Checkpoint,
} from '../../../../commands/backfill/checkpoint';

describe('backfill checkpoints', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'checkpoint-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const checkpoint: Checkpoint = {
    version: 1,
    target: 'lake /tmp/lake',
    sources: { '/data/a.jsonl': { next: 1200, retry: [7, 99] }, '/data/b': { next: 10, retry: [], complete: true } },
  };

  it('names one file per target and set of sources, whatever their order', () => {
    // Act
    const one = checkpointPath(dir, 'lake /tmp/lake', ['/data/a', '/data/b']);
    const same = checkpointPath(dir, 'lake /tmp/lake', ['/data/b', '/data/a']);
    const otherTarget = checkpointPath(dir, 'stack ctr-lake stream s', ['/data/a', '/data/b']);
    const otherSources = checkpointPath(dir, 'lake /tmp/lake', ['/data/a']);

    // Assert
    expect(one).toBe(same);
    expect(new Set([one, otherTarget, otherSources]).size).toBe(3);
    expect(one).toMatch(new RegExp(`^${dir}/backfill-[0-9a-f]{16}\\.json$`));
  });

  it('reads back what it saved, leaving no temporary file', async () => {
    // Arrange
    const path = join(dir, 'nested', 'checkpoint.json');

    // Act
    await saveCheckpoint(path, checkpoint);
    const loaded = await loadCheckpoint(path, 'lake /tmp/lake');

    // Assert
    expect(loaded).toEqual(checkpoint);
    expect(await readdir(join(dir, 'nested'))).toEqual(['checkpoint.json']);
  });

  it('finds nothing where nothing was saved, or after removal', async () => {
    // Arrange
    const path = join(dir, 'checkpoint.json');
    await saveCheckpoint(path, checkpoint);

    // Act
    await removeCheckpoint(path);

    // Assert
    expect(await loadCheckpoint(path, 'lake /tmp/lake')).toBeUndefined();
  });

  it('refuses a checkpoint of another target', async () => {
    // Arrange
    const path = join(dir, 'checkpoint.json');
    await saveCheckpoint(path, checkpoint);

    // Act
    const load = loadCheckpoint(path, 'stack ctr-lake stream s');

    // Assert
    await expect(load).rejects.toThrow(
      new CheckpointError(
        `checkpoint ${path} belongs to a backfill into lake /tmp/lake, not stack ctr-lake stream s: run with --restart`,
      ),
    );
  });

  it.each([
    ['not JSON', '{"version": 1,', 'is not JSON: delete it or run with --restart'],
    ['another version', '{"version": 2, "target": "lake /tmp/lake", "sources": {}}', 'is not one this version writes'],
  ])('refuses a file that is %s', async (_name, text, message) => {
    // Arrange
    const path = join(dir, 'checkpoint.json');
    await writeFile(path, text);

    // Act
    const load = loadCheckpoint(path, 'lake /tmp/lake');

    // Assert
    await expect(load).rejects.toThrow(message);
    expect(await readFile(path, 'utf8')).toBe(text);
  });
});
