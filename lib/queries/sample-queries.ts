import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * The named queries of the lake, in the order a reader wants them (calls per day first, the view's rows last). Each
 * is `samples/queries/<name>.sql`, one Athena (Trino) statement over the bare table names `ctr` and `ctr_latest`;
 * the stack publishes the very files the local DuckDB runner executes, both through renderQuery
 * (query-template.ts) with the same time zone.
 */
export const QUERY_NAMES = [
  'calls_per_day',
  'ctrs_per_day',
  'abandonment_rate_per_day',
  'avg_handle_time_by_queue',
  'contacts_by_hour',
  'repeat_callers',
  'abandoned_contacts',
  'duplicates_audit',
  'ctr_latest',
] as const;

export type QueryName = (typeof QUERY_NAMES)[number];

/** Where the query files live, from the repository root. */
export const QUERIES_DIR = path.resolve(__dirname, '..', '..', 'samples', 'queries');

export interface SampleQuery {
  readonly name: QueryName;
  /** The file's text as written, comments included. */
  readonly sql: string;
  /** The first comment line, used as the named query's description. */
  readonly description: string;
}

export function readQuery(name: QueryName, dir: string = QUERIES_DIR): SampleQuery {
  const file = path.join(dir, `${name}.sql`);
  const sql = fs.readFileSync(file, 'utf8').trim();
  const firstComment = sql.split('\n').find((line) => line.trim().startsWith('--'));
  return {
    name,
    sql,
    description: firstComment ? firstComment.replace(/^\s*--\s*/, '').slice(0, 1024) : name,
  };
}

export function readAllQueries(dir: string = QUERIES_DIR): readonly SampleQuery[] {
  return QUERY_NAMES.map((name) => readQuery(name, dir));
}

/** Where a query name sorts among the named queries: QUERY_NAMES order, then any other name after them. */
export function queryRank(name: string): number {
  const index = (QUERY_NAMES as readonly string[]).indexOf(name);
  return index === -1 ? QUERY_NAMES.length : index;
}

/** A statement without its `--` comment lines and trailing semicolon: the form a view definition stores. */
export function statementOnly(sql: string): string {
  return sql
    .split('\n')
    .filter((line) => !line.trim().startsWith('--'))
    .join('\n')
    .replace(/;\s*$/, '')
    .trim();
}
