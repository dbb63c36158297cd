import { hasPlaceholders, partitionFilter, QueryTemplateError, renderQuery } from '../../../lib/queries/query-template';

const FILE = [
  '-- Per local day.',
  'SELECT',
  "  cast(at_timezone(initiation_timestamp, '{{reporting_time_zone}}') AS date) AS day",
  'FROM ctr',
  'WHERE initiation_timestamp IS NOT NULL',
  '  -- {{AND in local days}}',
  'ORDER BY day',
].join('\n');

describe('renderQuery', () => {
  it('puts the zone in as a string literal and drops the range line when no range is asked for', () => {
    const sql = renderQuery(FILE, { timeZone: 'Asia/Seoul' });

    expect(sql).toBe(
      [
        '-- Per local day.',
        'SELECT',
        "  cast(at_timezone(initiation_timestamp, 'Asia/Seoul') AS date) AS day",
        'FROM ctr',
        'WHERE initiation_timestamp IS NOT NULL',
        'ORDER BY day',
      ].join('\n'),
    );
  });

  it('filters a local Seoul day on the two UTC partitions it spans and on its local day', () => {
    const sql = renderQuery(FILE, { timeZone: 'Asia/Seoul', days: { from: '2026-03-08', to: '2026-03-08' } });

    expect(sql).toContain(
      [
        'WHERE initiation_timestamp IS NOT NULL',
        "  AND (year = '2026' AND month = '03' AND day BETWEEN '07' AND '08')",
        "  AND cast(at_timezone(initiation_timestamp, 'Asia/Seoul') AS date) BETWEEN DATE '2026-03-08' AND DATE '2026-03-08'",
      ].join('\n'),
    );
  });

  it('reaches one local day further back for a call whose first contact was before midnight', () => {
    const file = FILE.replace('{{AND in local days}}', '{{AND in local days from the day before}}');

    const sql = renderQuery(file, { timeZone: 'America/New_York', days: { from: '2026-03-08', to: '2026-03-08' } });

    expect(sql).toContain("AND (year = '2026' AND month = '03' AND day BETWEEN '07' AND '09')");
    expect(sql).toContain("BETWEEN DATE '2026-03-07' AND DATE '2026-03-08'");
  });

  it("limits the query's own day column", () => {
    const file = FILE.replace('{{AND in local days}}', '{{AND day in local days}}');

    const sql = renderQuery(file, { timeZone: 'UTC', days: { from: '2026-03-01', to: '2026-03-31' } });

    expect(sql).toContain("  AND day BETWEEN DATE '2026-03-01' AND DATE '2026-03-31'");
  });

  it('refuses a placeholder it does not know, a malformed day and a range that ends before it starts', () => {
    expect(() => renderQuery('SELECT 1\n  -- {{AND in local weeks}}', { timeZone: 'UTC', days: RANGE })).toThrow(
      QueryTemplateError,
    );
    expect(() => renderQuery("SELECT '{{zone}}'", { timeZone: 'UTC' })).toThrow(
      /unknown query placeholder \{\{zone\}\}/,
    );
    expect(() => renderQuery(FILE, { timeZone: 'UTC', days: { from: '2026-3-8', to: '2026-03-08' } })).toThrow(
      /YYYY-MM-DD, received "2026-3-8"/,
    );
    expect(() => renderQuery(FILE, { timeZone: 'UTC', days: { from: '2026-03-09', to: '2026-03-08' } })).toThrow(
      /ends \(2026-03-08\) before it starts \(2026-03-09\)/,
    );
  });

  it('tells whether a text holds placeholders', () => {
    expect(hasPlaceholders(FILE)).toBe(true);
    expect(hasPlaceholders('SELECT 1')).toBe(false);
  });
});

describe('partitionFilter', () => {
  it('writes one term per month, a single day as an equality', () => {
    expect(partitionFilter(['2026-03-31', '2026-04-01'])).toBe(
      "((year = '2026' AND month = '03' AND day = '31') OR (year = '2026' AND month = '04' AND day = '01'))",
    );
  });
});

const RANGE = { from: '2026-03-08', to: '2026-03-08' };
