import { addDays, isDay, utcDaysOfLocalDays, type Day } from '../config/time-zone';

/**
 * The one templating step between a samples/queries file and the SQL an engine runs. The stack applies it at synth
 * (the named queries Athena stores) and the local runner before DuckDB runs a query, with the same parameters, so
 * both engines run the same text. A file stays valid Trino SQL before the step too: the time zone placeholder is a
 * string literal and the range placeholders are comment lines.
 *
 * - `'{{reporting_time_zone}}'` becomes the zone as a string literal (`'Asia/Seoul'`).
 * - A line `-- {{AND in local days}}` becomes, when a range of local days is asked for, a filter on the partitions
 *   (the UTC days those local days span) and on the local day of `initiation_timestamp`; with no range it is dropped.
 * - `-- {{AND in local days from the day before}}`: the same, from one local day earlier (so that a call whose first
 *   contact was just before midnight is found and counted on that day, not on the day of its transfer).
 * - `-- {{AND day in local days}}`: the query's own `day` column within the range.
 */

export interface QueryParameters {
  /** IANA name, already validated (ctrLake:reportingTimeZone). */
  readonly timeZone: string;
  /** Local days, inclusive. @default every day */
  readonly days?: DayRange;
}

export interface DayRange {
  readonly from: Day;
  readonly to: Day;
}

export const TIME_ZONE_PLACEHOLDER = "'{{reporting_time_zone}}'";

const RANGE_LINE = /^([ \t]*)-- \{\{(AND [^}]*)\}\}[ \t]*$/gm;

/** A query file that uses a placeholder this step does not know, or a bad parameter. */
export class QueryTemplateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'QueryTemplateError';
  }
}

/** The SQL an engine runs for a query file's text. */
export function renderQuery(sql: string, parameters: QueryParameters): string {
  const { timeZone, days } = parameters;
  if (days) checkRange(days);
  const zone = sqlText(timeZone);
  const rendered = sql.split(TIME_ZONE_PLACEHOLDER).join(zone);
  const withRanges = rendered.replace(RANGE_LINE, (_line, indent: string, name: string) => {
    if (!days) return REMOVE;
    return rangeFilter(name, days, zone, timeZone)
      .map((line) => `${indent}${line}`)
      .join('\n');
  });
  const result = withRanges
    .split('\n')
    .filter((line) => line !== REMOVE)
    .join('\n');
  const leftover = /\{\{[^}]*\}\}/.exec(result);
  if (leftover) throw new QueryTemplateError(`unknown query placeholder ${leftover[0]}`);
  return result;
}

/** Whether a query file's text has any placeholder (the view's SQL must not: Glue stores it as written). */
export function hasPlaceholders(sql: string): boolean {
  return /\{\{[^}]*\}\}/.test(sql);
}

/**
 * The partition filter for a range of UTC days: per year and month, the days as a BETWEEN on the two-digit `day`
 * partition value. Plain comparisons of partition columns with literals, which Athena turns into the list of
 * partitions to read (partition projection) and DuckDB into the list of files.
 */
export function partitionFilter(utcDays: readonly Day[]): string {
  const months = new Map<string, Day[]>();
  for (const day of utcDays) {
    const key = day.slice(0, 7);
    months.set(key, [...(months.get(key) ?? []), day]);
  }
  const terms = [...months.entries()].map(([month, monthDays]) => {
    const first = monthDays[0]!.slice(8);
    const last = monthDays[monthDays.length - 1]!.slice(8);
    const dayTerm = first === last ? `day = '${first}'` : `day BETWEEN '${first}' AND '${last}'`;
    return `(year = '${month.slice(0, 4)}' AND month = '${month.slice(5)}' AND ${dayTerm})`;
  });
  return terms.length === 1 ? terms[0]! : `(${terms.join(' OR ')})`;
}

const REMOVE = '\u0000remove';

function rangeFilter(name: string, days: DayRange, zone: string, timeZone: string): string[] {
  const localDay = (column: string): string => `cast(at_timezone(${column}, ${zone}) AS date)`;
  const between = (from: Day): string => `BETWEEN DATE '${from}' AND DATE '${days.to}'`;
  switch (name) {
    case 'AND in local days':
      return [
        `AND ${partitionFilter(utcDaysOfLocalDays(days.from, days.to, timeZone))}`,
        `AND ${localDay('initiation_timestamp')} ${between(days.from)}`,
      ];
    case 'AND in local days from the day before': {
      const from = addDays(days.from, -1);
      return [
        `AND ${partitionFilter(utcDaysOfLocalDays(from, days.to, timeZone))}`,
        `AND ${localDay('initiation_timestamp')} ${between(from)}`,
      ];
    }
    case 'AND day in local days':
      return [`AND day ${between(days.from)}`];
    default:
      throw new QueryTemplateError(`unknown query placeholder {{${name}}}`);
  }
}

function checkRange(days: DayRange): void {
  for (const day of [days.from, days.to]) {
    if (!isDay(day)) throw new QueryTemplateError(`a day is written YYYY-MM-DD, received "${day}"`);
  }
  if (days.from > days.to) throw new QueryTemplateError(`the range ends (${days.to}) before it starts (${days.from})`);
}

/** A SQL string literal. The zone is validated before it gets here; the quotes are doubled all the same. */
function sqlText(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}
