import { basename, dirname } from 'node:path';
import { compactMain } from '../../../commands/compact';
import { aCtrOn, temporaryDir, visibleCopies, writeObjects } from '../../support/lake-fixture';
import { captureIo } from '../../unit/commands/deployment-fixtures';

describe('npm run compact', () => {
  let work: { dir: string; remove: () => Promise<void> };
  beforeEach(async () => {
    work = await temporaryDir('compact-command');
  });
  afterEach(async () => {
    await work.remove();
  });

  it('compacts the days asked for, relative to the working directory, and prints the JSON summary', async () => {
    // Arrange
    const [a, b] = [aCtrOn('2026-03-04'), aCtrOn('2026-03-05')];
    await writeObjects(work.dir, 'parquet', [
      { day: '2026-03-04', ctrs: [a] },
      { day: '2026-03-04', ctrs: [a] },
      { day: '2026-03-05', ctrs: [b] },
      { day: '2026-03-05', ctrs: [b] },
    ]);
    const { out, io } = captureIo();

    // Act
    const argv = ['--lake', basename(work.dir), '--day', '2026-03-04', '--format', 'parquet', '--json'];
    const code = await compactMain(argv, io, dirname(work.dir));

    // Assert
    expect(code).toBe(0);
    expect(JSON.parse(out.stdout)).toMatchObject({
      lake: work.dir,
      partitions: 1,
      objectsBefore: 2,
      objectsAfter: 1,
      rows: 1,
      duplicatesRemoved: 1,
    });
    expect([...(await visibleCopies(work.dir)).values()].sort()).toEqual([1, 2]);
  });

  it('refuses a lake directory that does not exist, with exit code 2', async () => {
    const { out, io } = captureIo();
    expect(await compactMain(['--lake', 'nowhere'], io, work.dir)).toBe(2);
    expect(out.stderr).toContain(`error: no lake at ${work.dir}/nowhere`);
  });
});
