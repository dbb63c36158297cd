import { figureLine } from './soak/figure-line';
import { runSoak } from './soak/run-soak';
import { parseSoakArgs, SoakUsageError } from './soak/soak-options';

/**
 * `npm run soak -- --records N --dup-rate R --fault-rate F --seed S`: the fault-injection soak (rigs/soak). Prints
 * progress on stderr and one line of figures on stdout; exits 1 on any loss or inexact count, 2 on bad usage.
 */
async function main(): Promise<number> {
  const options = parseSoakArgs(process.argv.slice(2));
  const report = await runSoak(options, {
    onProgress: (done, total) => process.stderr.write(`soak: ${done}/${total} records through the checker\n`),
  });
  process.stdout.write(`${figureLine(report)}\n`);
  for (const problem of report.problems) process.stderr.write(`soak: ${problem}\n`);
  return report.problems.length === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`soak: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(error instanceof SoakUsageError ? 2 : 1);
  },
);
