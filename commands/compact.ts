import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { readProjectConfig } from '../lib/config/project-config';
import { compactLocalLake } from '../local-aws/lake/compact-local-lake';
import { compactionJson, renderCompaction } from './compact/compaction-report';
import { COMPACT_COMMAND, parseCompactArgs } from './compact/compact-args';
import { commandHelp, UsageError } from './shared/command-args';
import { reportFailure, runAsProcess, type CommandIo } from './shared/command-io';

/**
 * `npm run compact -- --lake DIR [--day D | --from D --to D] [--json]`: the nightly compaction job on a local lake.
 * Exit code 0 when every partition in range is compacted, 1 when one failed (it is left as it was), 2 on bad usage.
 */
export async function compactMain(argv: readonly string[], io: CommandIo, cwd = process.cwd()): Promise<number> {
  try {
    const args = parseCompactArgs(argv);
    if (args.help) {
      io.stdout.write(`${commandHelp(COMPACT_COMMAND)}\n`);
      return 0;
    }
    const lakeDir = resolve(cwd, args.lake);
    if (!existsSync(lakeDir)) throw new UsageError(`no lake at ${lakeDir}`);
    const summary = await compactLocalLake({
      lakeDir,
      format: args.format ?? readProjectConfig().lakeFormat,
      ...(args.from !== undefined ? { from: args.from } : {}),
      ...(args.to !== undefined ? { to: args.to } : {}),
    });
    io.stdout.write(
      args.json
        ? `${JSON.stringify({ lake: lakeDir, ...compactionJson(summary) }, null, 2)}\n`
        : renderCompaction(summary),
    );
    return summary.failed.length > 0 ? 1 : 0;
  } catch (error) {
    return reportFailure(io, error);
  }
}

if (require.main === module) runAsProcess((argv, io) => compactMain(argv, io));
