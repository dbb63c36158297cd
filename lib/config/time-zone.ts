/**
 * The contact center's own time zone (`ctrLake:reportingTimeZone`): the named queries group by the local day and
 * hour in it, on Athena and in the local DuckDB alike. The lake's partitions stay UTC days.
 */

/** The default: local days are UTC days, as before the setting existed. */
export const DEFAULT_TIME_ZONE = 'UTC';

/**
 * An IANA name as both engines spell it: `UTC`, or capitalised `Area/Location` segments (`Asia/Seoul`,
 * `America/Argentina/Buenos_Aires`, `Etc/GMT+5`). Intl accepts lowercase names and POSIX rules such as `EST5EDT`,
 * which are not what a reader of the config expects, so the shape is checked first.
 */
const IANA_NAME = /^(?:UTC|[A-Z][A-Za-z0-9_+-]*(?:\/[A-Z][A-Za-z0-9_+-]*){1,2})$/;

/** Whether `name` is an IANA time zone this machine's time zone database knows. */
export function isTimeZoneName(name: string): boolean {
  if (!IANA_NAME.test(name)) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

export const TIME_ZONE_RULE = 'an IANA time zone name such as "UTC", "Asia/Seoul" or "America/New_York"';

/** A calendar day, `YYYY-MM-DD`. */
export type Day = string;

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Whether `text` is a real calendar day written `YYYY-MM-DD`. */
export function isDay(text: string): boolean {
  const match = DAY.exec(text);
  if (!match) return false;
  const date = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
  return date.toISOString().slice(0, 10) === text;
}

/** The day `count` days after `day` (before, when negative). */
export function addDays(day: Day, count: number): Day {
  return new Date(Date.parse(`${day}T00:00:00Z`) + count * DAY_MS).toISOString().slice(0, 10);
}

/** The zone's offset from UTC at an instant, in milliseconds (east positive: Asia/Seoul is +9 h). */
export function offsetMs(timeZone: string, instantMs: number): number {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    })
      .formatToParts(new Date(instantMs))
      .map((part) => [part.type, part.value]),
  );
  const wallClock = Date.UTC(
    Number(parts.year),
    Number(parts.month) - 1,
    Number(parts.day),
    Number(parts.hour),
    Number(parts.minute),
    Number(parts.second),
  );
  return wallClock - (instantMs - (instantMs % 1000));
}

/**
 * The instants a local day runs between, [start, end): from its first local midnight to the next day's. The zone's
 * offset is read half a day either side of the day's UTC midnight, and each reading kept if the clock really shows
 * midnight at the instant it gives (on a DST change day only one does). A zone whose clocks skip midnight has no
 * such instant: the earlier reading is taken, which at worst starts the day an hour early and only widens a filter.
 */
export function localDayBounds(day: Day, timeZone: string): { startMs: number; endMs: number } {
  return { startMs: localMidnight(day, timeZone), endMs: localMidnight(addDays(day, 1), timeZone) };
}

function localMidnight(day: Day, timeZone: string): number {
  const utcMidnight = Date.parse(`${day}T00:00:00Z`);
  const candidates = [utcMidnight - DAY_MS / 2, utcMidnight + DAY_MS / 2].map(
    (probe) => utcMidnight - offsetMs(timeZone, probe),
  );
  const exact = candidates.filter((instant) => utcMidnight - instant === offsetMs(timeZone, instant));
  return Math.min(...(exact.length > 0 ? exact : candidates));
}

/**
 * The UTC days (the lake's partitions) that hold the rows of the local days `from`..`to`: a local day east of UTC
 * starts on the UTC day before, one west of it ends on the UTC day after, so one local day spans two UTC days
 * (one in UTC itself).
 */
export function utcDaysOfLocalDays(from: Day, to: Day, timeZone: string): Day[] {
  const first = new Date(localDayBounds(from, timeZone).startMs).toISOString().slice(0, 10);
  const last = new Date(localDayBounds(to, timeZone).endMs - 1).toISOString().slice(0, 10);
  const days: Day[] = [];
  for (let day = first; day <= last; day = addDays(day, 1)) days.push(day);
  return days;
}

const DAY_MS = 86_400_000;
