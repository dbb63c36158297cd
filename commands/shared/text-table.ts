/** A cell value as query results carry it. */
export type Cell = string | number | boolean | null | undefined | object;

export interface TableOptions {
  /** Longer cells are cut with an ellipsis, so one wide value cannot wreck the layout. @default 40 */
  readonly maxCellWidth?: number;
  /**
   * The widest a line may be (a terminal's columns): the widest columns are cut further, one character at a time,
   * until the table fits or every column is down to MIN_COLUMN_WIDTH. @default no limit
   */
  readonly maxWidth?: number;
}

/** A column is never cut narrower than this to fit `maxWidth`. */
export const MIN_COLUMN_WIDTH = 8;

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
  const texts = rows.map((row) => columns.map((column) => formatCell(row[column])));
  const natural = columns.map((column, i) =>
    Math.min(Math.max(width(column), ...texts.map((line) => width(oneLine(line[i]!)))), Math.max(max, width(column))),
  );
  const limits = fitColumns(natural, options.maxWidth);
  const cells = texts.map((line) => line.map((text, i) => clip(text, Math.min(max, limits[i]!))));
  const numeric = columns.map((_, i) => rows.length > 0 && rows.every((row) => isNumeric(row[columns[i]!])));
  const headers = columns.map((column, i) => clip(column, limits[i]!));
  const widths = columns.map((_, i) => Math.max(width(headers[i]!), ...cells.map((line) => width(line[i]!))));
  const render = (values: readonly string[]): string =>
    values
      .map((value, i) => (numeric[i] ? value.padStart(widths[i]!) : value.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  const lines = [render(headers), render(widths.map((w) => '-'.repeat(w)))];
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

/** Column widths cut, widest first, until the line (columns and two-space gaps) fits `maxWidth`. */
function fitColumns(natural: readonly number[], maxWidth: number | undefined): number[] {
  const widths = [...natural];
  if (maxWidth === undefined) return widths;
  const lineWidth = (): number => widths.reduce((sum, w) => sum + w, 0) + 2 * (widths.length - 1);
  while (lineWidth() > maxWidth) {
    const widest = widths.indexOf(Math.max(...widths));
    if (widths[widest]! <= MIN_COLUMN_WIDTH) break;
    widths[widest] = widths[widest]! - 1;
  }
  return widths;
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ');
}

function clip(text: string, max: number): string {
  const line = oneLine(text);
  return [...line].length > max ? `${[...line].slice(0, max - 1).join('')}…` : line;
}

function width(text: string): number {
  return [...text].length;
}
