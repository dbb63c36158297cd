import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dedupStateDir, LakeStateError } from '../../../local-aws/pipeline/dedup-state';

describe('dedupStateDir', () => {
  let lake: string;
  beforeEach(async () => {
    lake = await mkdtemp(join(tmpdir(), 'dedup-state-'));
  });
  afterEach(async () => {
    await rm(lake, { recursive: true, force: true });
  });

  /** A lake whose dedup table files are in the given state directory, as a run leaves them. */
  const withState = async (dir: string): Promise<void> => {
    await mkdir(join(lake, '.state', dir), { recursive: true });
    await writeFile(join(lake, '.state', dir, 'table-file'), 'x');
  };

  it.each([
    ['dynalite', 'dynamodb'],
    ['dynamodb-local', 'dynamodb-local'],
    ['valkey', 'valkey'],
  ] as const)('keeps %s state in .state/%s of a new lake', async (backend, dir) => {
    // Act / Assert
    await expect(dedupStateDir(lake, backend)).resolves.toBe(join(lake, '.state', dir));
  });

  it('uses the state the same backend left', async () => {
    // Arrange
    await withState('dynamodb');

    // Act / Assert
    await expect(dedupStateDir(lake, 'dynalite')).resolves.toBe(join(lake, '.state', 'dynamodb'));
  });

  it.each([
    [
      'dynamodb-local',
      'dynamodb',
      /keeps its dedup state in dynalite \(\.state\/dynamodb\): run without --dynamodb-local/,
    ],
    [
      'dynalite',
      'dynamodb-local',
      /in DynamoDB Local \(\.state\/dynamodb-local\): run with --dynamodb-local as before/,
    ],
    ['dynalite', 'valkey', /in redis-server \(\.state\/valkey\): run with --dedup-store valkey as before/],
    ['valkey', 'dynamodb', /in dynalite \(\.state\/dynamodb\): run without --dynamodb-local/],
  ] as const)('refuses %s on a lake whose state is in .state/%s, in one line', async (backend, dir, message) => {
    // Arrange
    await withState(dir);

    // Act
    const error = (await dedupStateDir(lake, backend).then(
      () => undefined,
      (e: unknown) => e,
    )) as Error;

    // Assert
    expect(error).toBeInstanceOf(LakeStateError);
    expect(error.message).toMatch(message);
    expect(error.message).toContain('or use another --lake');
    expect(error.message).not.toContain('\n');
  });

  it('does not count an empty directory, left by a server that never started, as state', async () => {
    // Arrange
    await mkdir(join(lake, '.state', 'dynamodb-local'), { recursive: true });

    // Act / Assert
    await expect(dedupStateDir(lake, 'dynalite')).resolves.toBe(join(lake, '.state', 'dynamodb'));
  });
});
