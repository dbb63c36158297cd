/** DuckDB is shared with the compaction job (lambda/shared/duckdb); the stand-ins open it the same way. */
export { openDuckDb, type DuckDb, type DuckDbOptions } from '../../lambda/shared/duckdb/open-duckdb';
