/**
 * Athena (Trino) functions that DuckDB spells differently, defined as DuckDB macros so that the named queries run
 * locally unchanged. `at_timezone` and `day_of_week` are used by the queries that group by the contact center's
 * local day and hour; the others are the Trino functions most often added to CTR queries, so a new query keeps
 * running locally without a second copy.
 */
export const ATHENA_COMPAT_MACROS: readonly string[] = [
  // Trino's at_timezone(timestamp with time zone, zone) is the same instant seen in `zone`; given the lake's
  // timestamp (no zone) it first reads it in the session zone, which on Athena is UTC. DuckDB's AT TIME ZONE runs the
  // other way round for a plain TIMESTAMP, hence two steps: the UTC instant, then its wall clock in `zone`. cast(…
  // AS date), hour(…) and day_of_week(…) of the result are the local day, hour and weekday in both engines.
  `CREATE OR REPLACE MACRO at_timezone(ts, zone) AS (CAST(ts AS TIMESTAMP) AT TIME ZONE 'UTC') AT TIME ZONE zone`,
  // Trino's day_of_week is ISO: 1 = Monday ... 7 = Sunday, which DuckDB calls isodow (its dayofweek has Sunday = 0).
  `CREATE OR REPLACE MACRO day_of_week(ts) AS isodow(ts)`,
  // Trino parses ISO-8601 text (with offset) to a timestamp with time zone; the lake's timestamps are UTC.
  `CREATE OR REPLACE MACRO from_iso8601_timestamp(text) AS CAST(CAST(text AS TIMESTAMPTZ) AT TIME ZONE 'UTC' AS TIMESTAMP)`,
  `CREATE OR REPLACE MACRO to_iso8601(ts) AS strftime(CAST(ts AS TIMESTAMP), '%Y-%m-%dT%H:%M:%S.%gZ')`,
  // Trino's approx_distinct is DuckDB's approx_count_distinct.
  `CREATE OR REPLACE MACRO approx_distinct(x) AS approx_count_distinct(x)`,
];
