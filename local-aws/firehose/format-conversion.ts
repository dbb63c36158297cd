import { ROW_COLUMNS, type ColumnType } from '../../lambda/shared/row-schema';

/**
 * Firehose's record format conversion, as the stack configures it (OpenX JSON SerDe with `CaseInsensitive: false`,
 * schema from the Glue `ctr` table), applied to one row before the local lake writes it as Parquet. What AWS would
 * refuse, the stand-in refuses; what AWS would alter, the stand-in refuses too rather than guess how (docs/CONTRACTS.md,
 * "Firehose's JSON-to-Parquet conversion"):
 * - a column is filled only by the key of exactly its name (no lowercasing: `Channel` is not `channel`); other keys
 *   are ignored; an absent key or JSON null is NULL;
 * - timestamp: text `yyyy-MM-dd'T'HH:mm:ss[.S]'Z'` or `yyyy-[M]M-[d]d HH:mm:ss[.S]`, at most 9 fraction digits (UTC);
 *   anything else is refused (epoch numbers, which AWS reads, are refused too: the transform writes text);
 * - int: an integer within 32 bits; string: a string; map<string,string>: an object whose values are strings or
 *   null, its keys kept as written.
 */
export type ConvertedRow =
  | {
      readonly ok: true;
      readonly row: Readonly<Record<string, string | number | Record<string, string | null> | null>>;
    }
  | { readonly ok: false; readonly reason: string };

const ISO_UTC = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?Z$/;
const SPACED = /^(\d{4})-(\d{1,2})-(\d{1,2}) (\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?$/;
const INT32_MAX = 2 ** 31 - 1;

/** Converts one JSON line as Firehose would, into the row DuckDB writes (exact column keys, canonical timestamps). */
export function convertRow(line: Buffer | string): ConvertedRow {
  let value: unknown;
  try {
    value = JSON.parse(line.toString());
  } catch {
    return { ok: false, reason: 'the row is not valid JSON' };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, reason: 'the row is not a JSON object' };
  }
  const input = value as Record<string, unknown>;
  const row: Record<string, string | number | Record<string, string | null> | null> = {};
  for (const column of ROW_COLUMNS) {
    const raw = Object.hasOwn(input, column.name) ? input[column.name] : null;
    const converted = convertValue(column.type, raw);
    if (!converted.ok) return { ok: false, reason: `column ${column.name} (${column.type}): ${converted.reason}` };
    row[column.name] = converted.value;
  }
  return { ok: true, row };
}

type Converted<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly reason: string };

function convertValue(
  type: ColumnType,
  raw: unknown,
): Converted<string | number | Record<string, string | null> | null> {
  if (raw === null || raw === undefined) return { ok: true, value: null };
  switch (type) {
    case 'string':
      return typeof raw === 'string' ? { ok: true, value: raw } : refused(raw, 'a string');
    case 'int':
    case 'bigint':
      return typeof raw === 'number' &&
        Number.isInteger(raw) &&
        Math.abs(raw) <= (type === 'int' ? INT32_MAX : Number.MAX_SAFE_INTEGER)
        ? { ok: true, value: raw }
        : refused(raw, type === 'int' ? 'an integer within 32 bits' : 'a 64-bit integer');
    case 'timestamp':
      return convertTimestamp(raw);
    case 'map<string,string>':
      return convertMap(raw);
  }
}

function convertTimestamp(raw: unknown): Converted<string> {
  const match = typeof raw === 'string' ? (ISO_UTC.exec(raw) ?? SPACED.exec(raw)) : null;
  if (!match) {
    return refused(raw, "a timestamp as yyyy-MM-dd'T'HH:mm:ss[.S]'Z' or yyyy-[M]M-[d]d HH:mm:ss[.S]");
  }
  const [, year, month, day, hour, minute, second, fraction = ''] = match as unknown as string[];
  const text = `${year}-${month!.padStart(2, '0')}-${day!.padStart(2, '0')} ${hour}:${minute}:${second}`;
  const ms = Date.parse(`${text.replace(' ', 'T')}Z`);
  // A date that does not exist (2026-02-30) is no timestamp either.
  if (Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 19) !== text.replace(' ', 'T')) {
    return refused(raw, 'a date and time that exist');
  }
  // The local lake's TIMESTAMP keeps microseconds: digits beyond them are dropped here.
  return { ok: true, value: fraction ? `${text}.${fraction.slice(0, 6)}` : text };
}

function convertMap(raw: unknown): Converted<Record<string, string | null>> {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return refused(raw, 'a JSON object');
  const entries = Object.entries(raw as Record<string, unknown>);
  const bad = entries.find(([, value]) => value !== null && typeof value !== 'string');
  if (bad) return refused(bad[1], `string values (key ${JSON.stringify(bad[0])})`);
  return { ok: true, value: Object.fromEntries(entries) as Record<string, string | null> };
}

function refused(raw: unknown, expected: string): { readonly ok: false; readonly reason: string } {
  const shown = JSON.stringify(raw) ?? String(raw);
  return {
    ok: false,
    reason: `expected ${expected}, received ${shown.length > 40 ? `${shown.slice(0, 40)}…` : shown}`,
  };
}
