/** SQL quoting is shared with the compaction job's DuckDB code (lambda/shared/duckdb). */
export { sqlString } from '../../lambda/shared/duckdb/sql';
