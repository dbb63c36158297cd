import './shared/sdk-node-warning';
import { readProjectConfig } from '../lib/config/project-config';
import { BENCH_FIGURES } from '../lib/cost/bench-figures';
import { costAssumptionsOf } from '../lib/cost/deployment-assumptions';
import { monthlyCost, type MonthlyCostRequest, type StreamMode } from '../lib/cost/monthly-cost';
import { reportFailure, runAsProcess, type CommandIo } from './shared/command-io';
import { commandHelp, integerOption, parseCommandArgs, UsageError, type CommandSpec } from './shared/command-args';
import { renderCost } from './cost/render-cost';

const STREAM_MODES: readonly StreamMode[] = ['on-demand', 'provisioned'];

const COST_OPTIONS = {
  'ctrs-per-day': { type: 'string', placeholder: 'N', help: 'CTRs arriving on the stream a day (required)' },
  'avg-kb': {
    type: 'string',
    placeholder: 'K',
    help: `mean CTR size in KB of 1,024 bytes (default: ${(BENCH_FIGURES.ctrBytes / 1024).toFixed(1)}, the bench's synthetic CTRs)`,
  },
  'stream-mode': {
    type: 'string',
    placeholder: 'MODE',
    help: 'on-demand or provisioned (default: ctrLake:streamMode in cdk.json)',
  },
  months: { type: 'string', placeholder: 'M', help: 'months of storage growth to show, 1-120 (default 12)' },
  json: { type: 'boolean', help: 'print the whole estimate as JSON' },
  help: { type: 'boolean', short: 'h', help: 'show this help' },
} as const;

export const COST_COMMAND: CommandSpec<typeof COST_OPTIONS> = {
  invocation: 'npm run cost --',
  synopsis: '--ctrs-per-day N [--avg-kb K] [--stream-mode on-demand|provisioned] [--months M]',
  description: `Estimates what ctr-lake costs a month on AWS at a volume, by service, the lake's storage month by month
through the lifecycle tiers, and both dedup stores (DynamoDB, Valkey) side by side with the volume above which
Valkey is the cheaper: the bench's cost model with its recorded measurements, the dated list prices of
lib/cost/price-list.ts and the settings in cdk.json. Offline: nothing is fetched.`,
  options: COST_OPTIONS,
};

/** `npm run cost`: returns the exit code (0 printed, 2 usage). */
export async function costMain(argv: readonly string[], io: CommandIo, cdkJson?: string): Promise<number> {
  try {
    const { values } = parseCommandArgs(COST_COMMAND, argv);
    if (values.help) {
      io.stdout.write(`${commandHelp(COST_COMMAND)}\n`);
      return 0;
    }
    const request = costRequest(values, cdkJson);
    const cost = monthlyCost(request);
    io.stdout.write(values.json ? `${JSON.stringify({ request, ...cost }, null, 2)}\n` : renderCost(request, cost));
    return 0;
  } catch (error) {
    return reportFailure(io, error);
  }
}

export function costRequest(
  values: { 'ctrs-per-day'?: string; 'avg-kb'?: string; 'stream-mode'?: string; months?: string },
  cdkJson?: string,
): MonthlyCostRequest {
  const ctrsPerDay = values['ctrs-per-day'];
  if (ctrsPerDay === undefined) throw new UsageError('--ctrs-per-day N is required, e.g. --ctrs-per-day 50000');
  const config = readProjectConfig(cdkJson);
  const avgKb = values['avg-kb'] === undefined ? BENCH_FIGURES.ctrBytes / 1024 : Number(values['avg-kb']);
  // Connect's CTRs are a few KB; Kinesis takes records up to 1 MiB (10 MiB since 2025, but the emulator caps at 1 MiB).
  if (!Number.isFinite(avgKb) || avgKb < 0.1 || avgKb > 1024) {
    throw new UsageError(`--avg-kb must be a number from 0.1 to 1024, received "${values['avg-kb']}"`);
  }
  const mode = values['stream-mode'] ?? (config.stream.mode === 'provisioned' ? 'provisioned' : 'on-demand');
  if (!(STREAM_MODES as readonly string[]).includes(mode)) {
    throw new UsageError(`--stream-mode must be one of ${STREAM_MODES.join(', ')}, received "${mode}"`);
  }
  const perDay = integerOption('--ctrs-per-day', ctrsPerDay, 1, 1_000_000_000);
  return {
    ctrsPerDay: perDay,
    ctrBytes: avgKb * 1024,
    streamMode: mode as StreamMode,
    months: values.months === undefined ? 12 : integerOption('--months', values.months, 1, 120),
    assumptions: costAssumptionsOf(config, perDay),
    lifecycle: config.lifecycle,
    ...(config.compaction.enabled ? { compaction: { memoryMb: config.compaction.memoryMb } } : {}),
    dedupStore: config.dedupStore,
    dedupTtlHours: config.dedupTtlHours,
  };
}

if (require.main === module) runAsProcess((argv, io) => costMain(argv, io));
