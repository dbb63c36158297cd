/** The DuckDB column typing of the row schema lives with the compaction job's DuckDB code (lambda/shared/duckdb). */
export { columnDefinitions, columnList, DUCKDB_TYPES, readJsonColumns } from '../../lambda/shared/duckdb/columns';
