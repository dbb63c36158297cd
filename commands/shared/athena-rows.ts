import type { ColumnInfo, Row } from '@aws-sdk/client-athena';
import type { JsonRow } from '../../local-aws/query/json-values';

const INTEGER_TYPES = new Set(['tinyint', 'smallint', 'integer', 'bigint']);
const REAL_TYPES = new Set(['real', 'float', 'double', 'decimal']);

/**
 * Turns Athena's result pages into row objects. Athena returns every value as text (`VarCharValue`, absent for NULL)
 * and, for a SELECT, the column names again as the first row of the first page: that row is skipped. Numeric
 * columns become numbers when exact in a double, as in the local runner's results.
 */
export function toRowObjects(columns: readonly ColumnInfo[], pages: readonly (readonly Row[])[]): JsonRow[] {
  const names = columns.map((column, i) => column.Name ?? `_col${i}`);
  const rows = pages.flat();
  const first = rows[0]?.Data?.map((d) => d.VarCharValue);
  const skipHeader = first !== undefined && first.length === names.length && first.every((v, i) => v === names[i]);
  return rows.slice(skipHeader ? 1 : 0).map((row) => {
    const object: JsonRow = {};
    names.forEach((name, i) => {
      object[name] = toValue(row.Data?.[i]?.VarCharValue, columns[i]?.Type?.toLowerCase() ?? 'varchar');
    });
    return object;
  });
}

function toValue(text: string | undefined, type: string): string | number | boolean | null {
  if (text === undefined) return null;
  if (INTEGER_TYPES.has(type) || REAL_TYPES.has(type)) {
    const n = Number(text);
    if (Number.isFinite(n) && (!INTEGER_TYPES.has(type) || Number.isSafeInteger(n))) return n;
    return text;
  }
  if (type === 'boolean') return text === 'true';
  return text;
}

/** `1536` → `1.5 KiB`. */
export function formatBytes(bytes: number): string {
  const units = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return unit === 0 ? `${bytes} bytes` : `${value.toFixed(1)} ${units[unit]}`;
}
