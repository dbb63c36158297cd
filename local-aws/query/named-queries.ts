import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { queryRank } from '../../lib/queries/sample-queries';

/** `samples/queries/`: the SQL that the stack saves as Athena named queries and the local runner runs on DuckDB. */
export const QUERIES_DIR = resolve(__dirname, '..', '..', 'samples', 'queries');

/** The view every count must go through: its file holds the view's SELECT. */
export const LATEST_VIEW = 'ctr_latest';

export interface NamedQuery {
  /** The file name without `.sql`, e.g. `calls_per_day`. */
  readonly name: string;
  /** The file's statement, placeholders included: renderQuery (lib/queries/query-template.ts) makes it runnable. */
  readonly sql: string;
}

/** Every `<name>.sql` in the directory, in the named queries' reading order (calls_per_day first), others by name. */
export function loadNamedQueries(dir: string = QUERIES_DIR): NamedQuery[] {
  if (!existsSync(dir)) throw new Error(`no query directory at ${dir}`);
  return readdirSync(dir)
    .filter((file) => file.endsWith('.sql'))
    .map((file) => ({ name: basename(file, '.sql'), sql: readQuery(join(dir, file)) }))
    .sort((a, b) => queryRank(a.name) - queryRank(b.name) || a.name.localeCompare(b.name));
}

export function findNamedQuery(name: string, dir: string = QUERIES_DIR): NamedQuery | undefined {
  return loadNamedQueries(dir).find((query) => query.name === name);
}

/** One statement, as Athena takes it: the file without its trailing semicolon and blank lines. */
function readQuery(path: string): string {
  return readFileSync(path, 'utf8').trim().replace(/;\s*$/, '');
}
