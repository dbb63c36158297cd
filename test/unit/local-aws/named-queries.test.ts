import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { QUERY_NAMES } from '../../../lib/queries/sample-queries';
import { findNamedQuery, LATEST_VIEW, loadNamedQueries } from '../../../local-aws/query/named-queries';

describe('named queries', () => {
  it('lists every samples/queries file in reading order: calls_per_day first, the view last', () => {
    // Act
    const names = loadNamedQueries().map((q) => q.name);

    // Assert
    expect(names).toEqual([...QUERY_NAMES]);
    expect(names[0]).toBe('calls_per_day');
    expect(names[names.length - 1]).toBe(LATEST_VIEW);
  });

  it('puts a file the reading order does not name after the known ones', async () => {
    // Arrange
    const dir = await mkdtemp(join(tmpdir(), 'queries-'));
    await writeFile(join(dir, 'ctr_latest.sql'), 'SELECT * FROM ctr');
    await writeFile(join(dir, 'a_custom.sql'), 'SELECT 1 ORDER BY 1');
    await writeFile(join(dir, 'calls_per_day.sql'), 'SELECT 2 ORDER BY 1');

    // Act
    const names = loadNamedQueries(dir).map((q) => q.name);

    // Assert
    expect(names).toEqual(['calls_per_day', 'ctr_latest', 'a_custom']);
    await rm(dir, { recursive: true, force: true });
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
