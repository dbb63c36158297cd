import type { DuckDBConnection } from '@duckdb/node-api';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { LAKE_DATA_PREFIX, PARTITION_KEYS } from '../../lambda/shared/row-schema';
import { DEFAULT_TIME_ZONE } from '../../lib/config/time-zone';
import { renderQuery, type DayRange } from '../../lib/queries/query-template';
import { openDuckDb, type DuckDb } from '../lake/duckdb';
import { columnDefinitions, columnList, readJsonColumns } from '../lake/duckdb-columns';
import { LAKE_FORMATS, ROW_OBJECT_EXTENSION, type LakeFormat } from '../lake/lake-format';
import { sqlString } from '../lake/sql';
import { ATHENA_COMPAT_MACROS } from './athena-compat';
import { toJsonValue, type JsonRow } from './json-values';
import { LATEST_VIEW, loadNamedQueries, type NamedQuery } from './named-queries';

export interface QueryResult {
  readonly columns: readonly string[];
  readonly rows: readonly JsonRow[];
}

export interface LakeQueryRunnerOptions {
  readonly lakeDir: string;
  /** Where the named queries live. @default samples/queries */
  readonly queriesDir?: string;
  /** IANA zone of the local days and hours the named queries group by (ctrLake:reportingTimeZone). @default 'UTC' */
  readonly timeZone?: string;
}

export interface NamedQueryOptions {
  /** Only these local days (inclusive), reading only the partitions they span. @default every day */
  readonly days?: DayRange;
}

const PARTITIONS = PARTITION_KEYS.map((k) => `"${k.name}"`).join(', ');
const HIVE_TYPES = `{${PARTITION_KEYS.map((k) => `${sqlString(k.name)}: VARCHAR`).join(', ')}}`;

/**
 * Answers the project's Athena queries locally: DuckDB over the lake directory, with a `ctr` relation shaped like the
 * Glue table (ROW_COLUMNS then the year/month/day partition columns, read from the object paths), the `ctr_latest`
 * view created from samples/queries/ctr_latest.sql, and each samples/queries/<name>.sql run unchanged. A filter on
 * the partition columns, on `ctr` or through `ctr_latest` (which carries them and ranks within a partition), becomes
 * a Hive file filter: DuckDB opens only the matching days' objects, as Athena's partition projection does.
 * Each named query goes through renderQuery with the runner's time zone, as the stack renders it for Athena.
 */
export class LakeQueryRunner {
  private constructor(
    private readonly database: DuckDb,
    private readonly options: LakeQueryRunnerOptions,
    private readonly queries: readonly NamedQuery[],
  ) {}

  static async open(options: LakeQueryRunnerOptions): Promise<LakeQueryRunner> {
    const queries = loadNamedQueries(options.queriesDir);
    const latest = queries.find((query) => query.name === LATEST_VIEW);
    if (!latest) throw new Error(`the query directory has no ${LATEST_VIEW}.sql to create the view from`);
    const database = await openDuckDb();
    const { connection } = database;
    const runner = new LakeQueryRunner(database, options, queries);
    try {
      for (const macro of ATHENA_COMPAT_MACROS) await connection.run(macro);
      await runner.refresh();
      // The view is the file as Glue stores it: no placeholders (the stack refuses them), so no templating step.
      await connection.run(`CREATE OR REPLACE VIEW ${LATEST_VIEW} AS ${latest.sql}`);
    } catch (error) {
      runner.close();
      throw error;
    }
    return runner;
  }

  /** The named queries, in their reading order (calls_per_day first). */
  get names(): string[] {
    return this.queries.map((query) => query.name);
  }

  /** The zone the named queries' local days and hours are in. */
  get timeZone(): string {
    return this.options.timeZone ?? DEFAULT_TIME_ZONE;
  }

  /** The SQL DuckDB runs for a named query: the file after the templating step. */
  sqlOf(name: string, options: NamedQueryOptions = {}): string {
    const query = this.queries.find((q) => q.name === name);
    if (!query) throw new Error(`no named query "${name}"; known: ${this.names.join(', ')}`);
    return renderQuery(query.sql, { timeZone: this.timeZone, ...(options.days ? { days: options.days } : {}) });
  }

  /**
   * (Re)creates `ctr` over the objects now in the lake, in every format present. With no object at all it is an
   * empty table with the same columns, so queries still run (and return nothing) on a fresh lake.
   */
  async refresh(): Promise<void> {
    const sources = LAKE_FORMATS.filter((format) => this.hasObjects(format)).map((format) => this.reader(format));
    const body =
      sources.length > 0
        ? sources.map((source) => `SELECT ${columnList()}, ${PARTITIONS} FROM ${source}`).join(' UNION ALL ')
        : `SELECT * FROM empty_ctr`;
    if (sources.length === 0) {
      await this.connection.run(
        `CREATE OR REPLACE TABLE empty_ctr (${columnDefinitions()}, ${PARTITION_KEYS.map((k) => `"${k.name}" VARCHAR`).join(', ')})`,
      );
    }
    await this.connection.run(`CREATE OR REPLACE VIEW ctr AS ${body}`);
  }

  async query(sql: string): Promise<QueryResult> {
    const reader = await this.connection.runAndReadAll(sql);
    const columns = reader.columnNames();
    const types = reader.columnTypes();
    const rows = reader.getRowsJson().map((values) => {
      const row: JsonRow = {};
      columns.forEach((column, i) => (row[column] = toJsonValue(values[i], types[i]!)));
      return row;
    });
    return { columns, rows };
  }

  async runNamed(name: string, options: NamedQueryOptions = {}): Promise<QueryResult> {
    return this.query(this.sqlOf(name, options));
  }

  /** Every named query, by name, in their reading order. */
  async runAll(options: NamedQueryOptions = {}): Promise<Record<string, QueryResult>> {
    const results: Record<string, QueryResult> = {};
    for (const query of this.queries) results[query.name] = await this.runNamed(query.name, options);
    return results;
  }

  async rowCount(): Promise<number> {
    const { rows } = await this.query('SELECT count(*) AS n FROM ctr');
    return Number(rows[0]?.n ?? 0);
  }

  close(): void {
    this.database.close();
  }

  private get connection(): DuckDBConnection {
    return this.database.connection;
  }

  private hasObjects(format: LakeFormat): boolean {
    return containsFile(join(this.options.lakeDir, LAKE_DATA_PREFIX), ROW_OBJECT_EXTENSION[format]);
  }

  private reader(format: LakeFormat): string {
    const glob = sqlString(join(this.options.lakeDir, LAKE_DATA_PREFIX, '**', `*${ROW_OBJECT_EXTENSION[format]}`));
    const hive = `hive_partitioning = true, hive_types = ${HIVE_TYPES}`;
    return format === 'parquet'
      ? `read_parquet(${glob}, ${hive})`
      : `read_json(${glob}, format = 'newline_delimited', columns = ${readJsonColumns()}, ${hive})`;
  }
}

function containsFile(dir: string, extension: string): boolean {
  if (!existsSync(dir)) return false;
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).some((entry) => entry.endsWith(extension));
}
