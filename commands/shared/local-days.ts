import { isDay, isTimeZoneName, TIME_ZONE_RULE } from '../../lib/config/time-zone';
import type { DayRange } from '../../lib/queries/query-template';
import { readProjectConfig } from '../../lib/config/project-config';
import { UsageError, type CommandOptions } from './command-args';

/** The options of the commands that read named queries by local day: `--from`, `--to`, `--time-zone`. */
export const LOCAL_DAY_OPTIONS = {
  from: {
    type: 'string',
    placeholder: 'DAY',
    help: 'first local day, YYYY-MM-DD: only the partitions it spans are read\n(default: every day; alone: that one day)',
  },
  to: { type: 'string', placeholder: 'DAY', help: 'last local day, YYYY-MM-DD (default: --from)' },
  'time-zone': {
    type: 'string',
    placeholder: 'ZONE',
    help: 'IANA time zone of the days and hours (default: ctrLake:reportingTimeZone in cdk.json)',
  },
} as const satisfies CommandOptions;

export interface LocalDayValues {
  readonly from?: string;
  readonly to?: string;
  readonly 'time-zone'?: string;
}

/** The range of local days asked for, if any; one of --from/--to alone is that single day. */
export function parseDayRange(values: LocalDayValues): DayRange | undefined {
  const from = values.from ?? values.to;
  const to = values.to ?? values.from;
  if (from === undefined || to === undefined) return undefined;
  for (const [flag, day] of [
    ['--from', from],
    ['--to', to],
  ] as const) {
    if (!isDay(day)) throw new UsageError(`${flag} must be a day written YYYY-MM-DD, received "${day}"`);
  }
  if (from > to) throw new UsageError(`--to ${to} is before --from ${from}`);
  return { from, to };
}

/** --time-zone, checked as the config checks it, or ctrLake:reportingTimeZone of cdk.json. */
export function parseTimeZone(values: LocalDayValues, cdkJson?: string): string {
  const zone = values['time-zone'];
  if (zone === undefined) return readProjectConfig(cdkJson).reportingTimeZone;
  if (!isTimeZoneName(zone)) throw new UsageError(`--time-zone must be ${TIME_ZONE_RULE}, received "${zone}"`);
  return zone;
}
