import { ROW_COLUMNS, type ColumnType } from '../row-schema';
import { sqlString } from './sql';

/**
 * DuckDB's spelling of each Glue column type in ROW_COLUMNS: the local lake's Parquet files and JSON reads are
 * typed from the same list as the Glue table, so a local query sees the columns Athena sees.
 */
export const DUCKDB_TYPES: Readonly<Record<ColumnType, string>> = {
  string: 'VARCHAR',
  int: 'INTEGER',
  bigint: 'BIGINT',
  timestamp: 'TIMESTAMP',
  'map<string,string>': 'MAP(VARCHAR, VARCHAR)',
};

/** `{'contact_id': 'VARCHAR', …}`: the `columns` argument of read_json. */
export function readJsonColumns(): string {
  return `{${ROW_COLUMNS.map((c) => `${sqlString(c.name)}: ${sqlString(DUCKDB_TYPES[c.type])}`).join(', ')}}`;
}

/** `"contact_id" VARCHAR, …`: a CREATE TABLE column list. */
export function columnDefinitions(): string {
  return ROW_COLUMNS.map((c) => `"${c.name}" ${DUCKDB_TYPES[c.type]}`).join(', ');
}

/** `"contact_id", …` in ROW_COLUMNS order. */
export function columnList(): string {
  return ROW_COLUMNS.map((c) => `"${c.name}"`).join(', ');
}

/** `CAST("contact_id" AS VARCHAR) AS "contact_id", …`: every column of ROW_COLUMNS with the Glue table's type. */
export function typedColumnList(): string {
  return ROW_COLUMNS.map((c) => `CAST("${c.name}" AS ${DUCKDB_TYPES[c.type]}) AS "${c.name}"`).join(', ');
}
