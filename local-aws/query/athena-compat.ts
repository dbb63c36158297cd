/**
 * Athena (Trino) functions that DuckDB spells differently, defined as DuckDB macros so that the named queries run
 * locally unchanged. The queries in samples/queries use only SQL that both engines share today; these cover the
 * Trino functions most often added to CTR queries, so a new query keeps running locally without a second copy.
 */
export const ATHENA_COMPAT_MACROS: readonly string[] = [
  // Trino parses ISO-8601 text (with offset) to a timestamp with time zone; the lake's timestamps are UTC.
  `CREATE OR REPLACE MACRO from_iso8601_timestamp(text) AS CAST(CAST(text AS TIMESTAMPTZ) AT TIME ZONE 'UTC' AS TIMESTAMP)`,
  `CREATE OR REPLACE MACRO to_iso8601(ts) AS strftime(CAST(ts AS TIMESTAMP), '%Y-%m-%dT%H:%M:%S.%gZ')`,
  // Trino's approx_distinct is DuckDB's approx_count_distinct.
  `CREATE OR REPLACE MACRO approx_distinct(x) AS approx_count_distinct(x)`,
];
