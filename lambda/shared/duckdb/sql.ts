/** A SQL string literal (single quotes doubled), for paths and names put into DuckDB statements. */
export function sqlString(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}
