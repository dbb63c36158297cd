/** A cell value as query results carry it. */
export type Cell = string | number | boolean | null | undefined | object;

export interface TableOptions {
  /** Longer cells are cut with an ellipsis, so one wide value cannot wreck the layout. @default 40 */
  readonly maxCellWidth?: number;
}

/**
 * Renders rows as a plain-text table (header, dashes, one line per row; numbers right-aligned), the way the CLI and
 * `npm run query` print query results. An empty result prints the header and `(no rows)`.
 */
export function renderTable(
  columns: readonly string[],
  rows: readonly Readonly<Record<string, Cell>>[],
  options: TableOptions = {},
): string {
  const max = options.maxCellWidth ?? 40;
  const cells = rows.map((row) => columns.map((column) => clip(formatCell(row[column]), max)));
  const numeric = columns.map((_, i) => rows.length > 0 && rows.every((row) => isNumeric(row[columns[i]!])));
  const widths = columns.map((column, i) => Math.max(width(column), ...cells.map((line) => width(line[i]!))));
  const render = (values: readonly string[]): string =>
    values
      .map((value, i) => (numeric[i] ? value.padStart(widths[i]!) : value.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  const lines = [
    render(columns.map((c) => clip(c, Math.max(max, c.length)))),
    render(widths.map((w) => '-'.repeat(w))),
  ];
  if (cells.length === 0) lines.push('(no rows)');
  else lines.push(...cells.map(render));
  return lines.join('\n');
}

export function formatCell(value: Cell): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

function isNumeric(value: Cell): boolean {
  return typeof value === 'number' || value === null || value === undefined;
}

function clip(text: string, max: number): string {
  const oneLine = text.replace(/\s*\n\s*/g, ' ');
  return [...oneLine].length > max ? `${[...oneLine].slice(0, max - 1).join('')}…` : oneLine;
}

function width(text: string): number {
  return [...text].length;
}
