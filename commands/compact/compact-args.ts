import { isDay } from '../../lambda/compaction/partition';
import { isLakeFormat, LAKE_FORMATS, type LakeFormat } from '../../local-aws/lake/lake-format';
import { parseCommandArgs, usageLine, UsageError, type CommandSpec } from '../shared/command-args';

export interface CompactArgs {
  readonly lake: string;
  readonly from?: string;
  readonly to?: string;
  readonly format?: LakeFormat;
  readonly json: boolean;
  readonly help: boolean;
}

const COMPACT_OPTIONS = {
  lake: { type: 'string', placeholder: 'DIR', help: 'the local lake directory (as npm start --lake DIR keeps it)' },
  day: { type: 'string', placeholder: 'YYYY-MM-DD', help: 'compact this day only' },
  from: { type: 'string', placeholder: 'YYYY-MM-DD', help: 'first day to compact (default: the oldest)' },
  to: { type: 'string', placeholder: 'YYYY-MM-DD', help: 'last day to compact (default: the newest)' },
  format: {
    type: 'string',
    placeholder: 'FORMAT',
    help: 'the lake format, parquet or json (default: ctrLake:lakeFormat in cdk.json)',
  },
  json: {
    type: 'boolean',
    help: 'print one JSON summary: partitions, objects before/after, rows, duplicates removed, ...',
  },
  help: { type: 'boolean', short: 'h', help: 'show this help' },
} as const;

export const COMPACT_COMMAND: CommandSpec<typeof COMPACT_OPTIONS> = {
  invocation: 'npm run compact --',
  synopsis: '--lake DIR [--day YYYY-MM-DD | --from YYYY-MM-DD --to YYYY-MM-DD] [options]',
  description: `Compacts the day partitions of a local lake that received objects since their last compaction, with the code
the nightly compaction job runs in AWS: each partition becomes one object (or a few, each up to 256 MiB) holding
exactly one row per fingerprint. A compaction an earlier run left unfinished is finished first.`,
  options: COMPACT_OPTIONS,
};

export function parseCompactArgs(argv: readonly string[]): CompactArgs {
  const { values } = parseCommandArgs(COMPACT_COMMAND, argv);
  const fail = (message: string): never => {
    throw new UsageError(message, usageLine(COMPACT_COMMAND));
  };
  const help = values.help ?? false;
  if (help) return { lake: '', json: false, help };
  const lake = values.lake ?? fail('name the lake: --lake DIR');
  if (values.day !== undefined && (values.from !== undefined || values.to !== undefined)) {
    fail('--day names one day: use it alone, or --from and --to for a range');
  }
  for (const flag of ['day', 'from', 'to'] as const) {
    const value = values[flag];
    if (value !== undefined && !isDay(value)) fail(`--${flag} must be a day as YYYY-MM-DD, received "${value}"`);
  }
  const from = values.day ?? values.from;
  const to = values.day ?? values.to;
  if (from !== undefined && to !== undefined && from > to) fail(`--from ${from} is after --to ${to}`);
  const format = values.format;
  if (format !== undefined && !isLakeFormat(format)) {
    fail(`--format must be one of ${LAKE_FORMATS.join(', ')}, received "${format}"`);
  }
  return {
    lake,
    ...(from !== undefined ? { from } : {}),
    ...(to !== undefined ? { to } : {}),
    ...(format !== undefined && isLakeFormat(format) ? { format } : {}),
    json: values.json ?? false,
    help,
  };
}
