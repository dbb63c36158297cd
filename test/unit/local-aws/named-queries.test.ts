import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findNamedQuery, LATEST_VIEW, loadNamedQueries } from '../../../local-aws/query/named-queries';

describe('named queries', () => {
  it('lists every samples/queries file, ctr_latest first', () => {
    // Act
    const names = loadNamedQueries().map((q) => q.name);

    // Assert
    expect(names[0]).toBe(LATEST_VIEW);
    expect(names).toEqual(expect.arrayContaining(['calls_per_day', 'ctrs_per_day', 'duplicates_audit']));
  });

  it('reads one statement without its trailing semicolon', async () => {
    // Arrange
    const dir = await mkdtemp(join(tmpdir(), 'queries-'));
    await writeFile(join(dir, 'ctr_latest.sql'), 'SELECT * FROM ctr;\n\n');
    await writeFile(join(dir, 'notes.txt'), 'not a query');

    // Act
    const queries = loadNamedQueries(dir);

    // Assert
    expect(queries).toEqual([{ name: 'ctr_latest', sql: 'SELECT * FROM ctr' }]);
    expect(findNamedQuery('missing', dir)).toBeUndefined();
    await rm(dir, { recursive: true, force: true });
  });
});
