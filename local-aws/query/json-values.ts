import { DuckDBTypeId, type DuckDBType } from '@duckdb/node-api';

/** A value that JSON.stringify renders faithfully: what query results are turned into. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** One result row as a plain JSON object. */
export type JsonRow = Record<string, JsonValue>;

/**
 * Turns one value of DuckDB's JSON rendering (`getRowObjectsJson`) into the plain form query results use:
 * integers that DuckDB renders as strings (BIGINT, HUGEINT, DECIMAL) become numbers when they are exact in a double,
 * timestamps become ISO-8601 UTC strings (the lake stores UTC), maps become objects.
 */
export function toJsonValue(value: unknown, type: DuckDBType): JsonValue {
  if (value === null || value === undefined) return null;
  switch (type.typeId) {
    case DuckDBTypeId.BIGINT:
    case DuckDBTypeId.UBIGINT:
    case DuckDBTypeId.HUGEINT:
    case DuckDBTypeId.UHUGEINT: {
      const n = Number(value);
      return Number.isSafeInteger(n) ? n : String(value);
    }
    case DuckDBTypeId.DECIMAL: {
      const n = Number(value);
      return Number.isFinite(n) ? n : String(value);
    }
    case DuckDBTypeId.TIMESTAMP:
    case DuckDBTypeId.TIMESTAMP_S:
    case DuckDBTypeId.TIMESTAMP_MS:
    case DuckDBTypeId.TIMESTAMP_NS:
      return toIsoUtc(String(value));
    case DuckDBTypeId.MAP:
      return Object.fromEntries(
        (value as { key: unknown; value: unknown }[]).map((entry) => [String(entry.key), toPlain(entry.value)]),
      );
    default:
      return toPlain(value);
  }
}

/** `2026-03-04 08:47:33.5` → `2026-03-04T08:47:33.500Z`; values out of Date's range are kept as DuckDB wrote them. */
export function toIsoUtc(text: string): string {
  const date = new Date(`${text.replace(' ', 'T')}Z`);
  return Number.isNaN(date.getTime()) ? text : date.toISOString();
}

function toPlain(value: unknown): JsonValue {
  if (value === null || value === undefined) return null;
  if (Array.isArray(value)) return value.map(toPlain);
  if (typeof value === 'object') {
    return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, toPlain(v)]));
  }
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  return String(value);
}
