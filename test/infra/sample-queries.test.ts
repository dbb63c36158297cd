import * as fs from 'node:fs';
import { PARTITION_KEYS, ROW_COLUMNS } from '../../lambda/shared/row-schema';
import { renderQuery, TIME_ZONE_PLACEHOLDER } from '../../lib/queries/query-template';
import { QUERIES_DIR, QUERY_NAMES, readAllQueries, readQuery, statementOnly } from '../../lib/queries/sample-queries';

/** The output column names of a statement's outermost SELECT list (the SQL files are simply formatted). */
function outputColumns(sql: string): string[] {
  const statement = statementOnly(sql);
  const selectList = /^(?:WITH[\s\S]*?\)\s*)?SELECT\s+([\s\S]*?)\nFROM\s/i.exec(statement)?.[1] ?? '';
  const items: string[] = [];
  let depth = 0;
  let current = '';
  for (const char of selectList) {
    if (char === '(') depth += 1;
    if (char === ')') depth -= 1;
    if (char === ',' && depth === 0) {
      items.push(current);
      current = '';
    } else {
      current += char;
    }
  }
  items.push(current);
  return items.map((item) => item.trim().split(/\s+/).pop() ?? '');
}

describe('sample queries', () => {
  it('are exactly the named query files in samples/queries', () => {
    const files = fs
      .readdirSync(QUERIES_DIR)
      .filter((file) => file.endsWith('.sql'))
      .map((file) => file.replace(/\.sql$/, ''));

    expect(files.sort()).toEqual([...QUERY_NAMES].sort());
  });

  it('are one statement each, with a describing comment and no trailing semicolon', () => {
    for (const query of readAllQueries()) {
      expect(statementOnly(query.sql)).not.toContain(';');
      expect(query.sql.startsWith('-- ')).toBe(true);
      expect(query.description.length).toBeGreaterThan(10);
    }
  });

  it('read only the ctr table and the ctr_latest view, by their bare names (or their own WITH queries)', () => {
    for (const query of readAllQueries()) {
      const statement = statementOnly(query.sql);
      const withNames = [...statement.matchAll(/(?:\bWITH|,)\s+([a-z_]+)\s+AS\s+\(/gi)].map((match) => match[1]);
      const tables = [...statement.matchAll(/\bFROM\s+([a-z_."(]+)/gi)].map((match) => match[1]);
      for (const table of tables) {
        expect(['ctr', 'ctr_latest', '(', ...withNames]).toContain(table);
      }
    }
  });

  it('every one ends with an ORDER BY, so rows come in a stable order in both engines', () => {
    for (const query of readAllQueries()) {
      const lines = statementOnly(query.sql).split('\n');
      const outerOrderBy = lines.filter((line) => line.startsWith('ORDER BY '));

      expect({ name: query.name, orderBy: outerOrderBy.length }).toEqual({ name: query.name, orderBy: 1 });
    }
  });

  it.each(['calls_per_day', 'ctrs_per_day', 'abandonment_rate_per_day', 'contacts_by_hour'] as const)(
    '%s groups by the local time of ctrLake:reportingTimeZone and can be limited to a range of local days',
    (name) => {
      const { sql } = readQuery(name);

      expect(sql).toContain(`at_timezone(initiation_timestamp, ${TIME_ZONE_PLACEHOLDER})`);
      expect(sql).toMatch(/-- \{\{AND in local days( from the day before)?\}\}/);
      expect(sql).not.toMatch(/cast\(initiation_timestamp AS date\)/i);
    },
  );

  it('every one renders to SQL without placeholders, with or without a range of days', () => {
    for (const query of readAllQueries()) {
      for (const days of [undefined, { from: '2026-03-08', to: '2026-03-09' }]) {
        const sql = renderQuery(query.sql, { timeZone: 'America/New_York', ...(days ? { days } : {}) });

        expect(sql).not.toContain('{{');
      }
    }
  });

  it('ctr_latest selects every row column in the row schema order, then the partition columns', () => {
    expect(outputColumns(readQuery('ctr_latest').sql)).toEqual(
      [...ROW_COLUMNS, ...PARTITION_KEYS].map((column) => column.name),
    );
  });

  it('ctr_latest keeps the newest version of each contact, ties broken by fingerprint, ranked within its partition', () => {
    const sql = statementOnly(readQuery('ctr_latest').sql).replace(/\s+/g, ' ');
    const partitionBy = [...PARTITION_KEYS.map((key) => key.name), 'contact_id'].map((name) => `c.${name}`).join(', ');

    expect(sql).toContain(
      `row_number() OVER ( PARTITION BY ${partitionBy} ORDER BY c.last_update_timestamp DESC NULLS LAST, c.fingerprint DESC )`,
    );
    expect(sql).toContain('WHERE version_rank = 1');
  });

  it('calls_per_day counts calls, not CTRs: each call once, by its first contact over ctr_latest', () => {
    const query = readQuery('calls_per_day');
    const sql = statementOnly(query.sql).replace(/\s+/g, ' ');

    expect(outputColumns(query.sql)).toEqual(['day', 'channel', 'calls']);
    expect(sql).toContain(
      'row_number() OVER ( PARTITION BY coalesce(initial_contact_id, contact_id) ORDER BY initiation_timestamp, contact_id ) AS contact_rank',
    );
    expect(sql).toContain('WHERE contact_rank = 1');
    expect(sql).toContain('FROM ctr_latest');
  });

  it('ctrs_per_day counts the stored rows of ctr per day and channel', () => {
    const query = readQuery('ctrs_per_day');

    expect(outputColumns(query.sql)).toEqual(['day', 'channel', 'ctrs']);
    expect(query.sql).toContain('FROM ctr\n');
    expect(query.sql).toContain('count(*) AS ctrs');
  });

  it('duplicates_audit lists fingerprints stored more than once', () => {
    const sql = readQuery('duplicates_audit').sql;

    expect(outputColumns(sql)).toEqual(['fingerprint', 'copies']);
    expect(sql).toContain('HAVING count(*) > 1');
  });

  it('repeat_callers counts calls per customer_endpoint over ctr_latest, each call once, within a day range', () => {
    const query = readQuery('repeat_callers');

    expect(outputColumns(query.sql)).toEqual(['caller', 'calls', 'first_day', 'last_day']);
    expect(query.sql).toContain('FROM ctr_latest');
    expect(query.sql).toContain('GROUP BY customer_endpoint, coalesce(initial_contact_id, contact_id)');
    expect(query.sql).toContain('HAVING count(*) > 1');
    expect(query.sql).toMatch(
      /\(year \|\| '-' \|\| month \|\| '-' \|\| day\) BETWEEN '\d{4}-\d{2}-\d{2}' AND '\d{4}-\d{2}-\d{2}'/,
    );
  });

  it('statementOnly drops comment lines and a trailing semicolon', () => {
    expect(statementOnly('-- about\nSELECT 1\n-- end\n;')).toBe('SELECT 1');
  });
});
