// dt-sql-parser's Trino grammar (the ANTLR grammar of the Trino SQL dialect Athena engine v3 speaks). Its package
// index loads every dialect; the Trino parser alone is enough. jest.config.js lets ts-jest compile it (ESM only).
import { TrinoSQL } from 'dt-sql-parser/dist/parser/trino';

const trino = new TrinoSQL();

/** The syntax errors Trino's grammar finds in one SQL text, as `line:column message`; empty when it parses. */
export function trinoSyntaxErrors(sql: string): string[] {
  return trino.validate(sql).map((error) => `${error.startLine}:${error.startColumn} ${error.message}`);
}
