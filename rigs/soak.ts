import '../commands/shared/sdk-node-warning';
import { commandHelp } from '../commands/shared/command-args';
import { runAsProcess, reportFailure, type CommandIo } from '../commands/shared/command-io';
import { createProgressLine } from '../commands/shared/progress';
import { figureLine } from './soak/figure-line';
import { resultBlock } from './soak/result-block';
import { runSoak, type SoakReport } from './soak/run-soak';
import { parseSoakArgs, SOAK_COMMAND, type SoakOptions } from './soak/soak-options';

/**
 * `npm run soak -- [--records N] [--dup-rate R] [--fault-rate F] [--seed S] ...`: the fault-injection soak
 * (rigs/soak, docs/RELIABILITY.md). Progress on stderr; on stdout the result block, then one line of figures, last,
 * for scripts. Exits 0 when nothing was lost and every count is exact, 1 otherwise, 2 on bad usage.
 */
export async function soakMain(
  argv: readonly string[],
  io: CommandIo,
  run: (options: SoakOptions, onProgress: (done: number, total: number) => void) => Promise<SoakReport> = (
    options,
    onProgress,
  ) => runSoak(options, { onProgress }),
): Promise<number> {
  try {
    const { help, options } = parseSoakArgs(argv);
    if (help) {
      io.stdout.write(`${commandHelp(SOAK_COMMAND)}\n`);
      return 0;
    }
    const progress = createProgressLine(io.stderr, { quietWhenPiped: false });
    const report = await run(options, (done, total) => {
      const line = `soak: ${done}/${total} records through the checker`;
      progress.update(line, line);
    });
    progress.end();
    io.stdout.write(`${resultBlock(report)}\n${figureLine(report)}\n`);
    return report.problems.length === 0 ? 0 : 1;
  } catch (error) {
    return reportFailure(io, error);
  }
}

if (require.main === module) runAsProcess(soakMain);
