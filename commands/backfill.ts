import './shared/sdk-node-warning';
import { S3Client } from '@aws-sdk/client-s3';
import { resolve } from 'node:path';
import { listSources, canonicalSpec } from '../local-aws/ctr-sources/read-ctrs';
import { stateDir } from '../local-aws/lake/lake-writer';
import { readStackSettings } from '../local-aws/pipeline/stack-settings';
import { checkpointPath, CheckpointError, loadCheckpoint } from './backfill/checkpoint';
import { openDeploymentTarget, type DeploymentClients } from './backfill/deployment-target';
import { openLocalTarget, type LocalTarget } from './backfill/local-target';
import type { Rate } from './backfill/rate-limit';
import { formatProgress, renderBackfill } from './backfill/render-backfill';
import { runBackfill, type BackfillSummary, type BackfillTarget } from './backfill/run-backfill';
import { commandHelp, integerOption, parseCommandArgs } from './shared/command-args';
import { reportFailure, runAsProcess, type CommandIo } from './shared/command-io';
import { clientConfig, deploymentArgs, deploymentCommand, refuseDeploymentWithLake } from './shared/deployment-args';
import { createProgressLine } from './shared/progress';

export const BACKFILL_COMMAND = deploymentCommand({
  invocation: 'npm run backfill --',
  synopsis: 'SOURCE... [options]',
  description: `Sends the CTRs of each SOURCE (a file, a directory read recursively, or s3://bucket/prefix; a CTR, an array,
{ "records": [...] }, JSON Lines or objects back to back, gzipped or not) through the deployed stream, as the
emulator does, or with --lake DIR through the local pipeline into that lake. CTRs the lake already holds are skipped
(one query per UTC day of the sources: Athena on a deployment, DuckDB locally). Progress is kept in a checkpoint
file: run the same command again after an interruption and it goes on where it stopped.`,
  options: {
    lake: {
      type: 'string',
      placeholder: 'DIR',
      help: 'run the local pipeline into the lake in DIR instead of a deployment',
    },
    rate: {
      type: 'string',
      placeholder: 'N',
      help:
        "send at most N records per second (default: half the stream's write capacity,\n" +
        '1,000 records and 1 MiB per open shard per second; locally, no limit)',
    },
    restart: { type: 'boolean', help: 'ignore the checkpoint of an earlier run and start from the beginning' },
    checkpoint: {
      type: 'string',
      placeholder: 'FILE',
      help: "where progress is kept (default: .ctr-lake/ here, or the lake's .state/ with --lake)",
    },
  },
  positionals: { name: 'SOURCE to backfill', min: 1, max: Infinity },
});

/** Records sent per second: a whole number from 1 to this. */
const MAX_RATE = 1_000_000;

export interface BackfillIo extends CommandIo {
  readonly cwd?: string;
}

export interface BackfillDependencies extends DeploymentClients {
  readonly s3?: S3Client;
  /** Stops the run after the request in flight (the process entry wires Ctrl-C to it). */
  readonly signal?: AbortSignal;
  /** Records between checkpoints of a local backfill. */
  readonly localSettleEvery?: number;
  readonly clock?: () => number;
}

/** `npm run backfill -- SOURCE...`: exit code 0 all sent or skipped, 1 failures, malformed input or interrupted. */
export async function backfillMain(
  argv: readonly string[],
  io: BackfillIo,
  deps: BackfillDependencies = {},
): Promise<number> {
  let target: (BackfillTarget & { close?: () => Promise<void> }) | undefined;
  try {
    const parsed = parseCommandArgs(BACKFILL_COMMAND, argv);
    const args = deploymentArgs(parsed);
    if (args.help) {
      io.stdout.write(`${commandHelp(BACKFILL_COMMAND)}\n`);
      return 0;
    }
    const { values } = parsed;
    if (values.lake !== undefined) refuseDeploymentWithLake(args, 'backfills into');
    let rate: Rate | undefined =
      values.rate !== undefined ? { recordsPerSecond: integerOption('--rate', values.rate, 1, MAX_RATE) } : undefined;
    const cwd = io.cwd ?? process.cwd();
    const config = clientConfig(args);
    const sources = await listSources(args.positionals, {
      cwd,
      s3: () => deps.s3 ?? new S3Client({ ...config, followRegionRedirects: true }),
    });

    let describe: string;
    if (values.lake !== undefined) {
      const local: LocalTarget = await openLocalTarget(resolve(cwd, values.lake), readStackSettings(), {
        ...(deps.localSettleEvery !== undefined ? { settleEvery: deps.localSettleEvery } : {}),
      });
      target = local;
      describe = `the local lake ${local.pipeline.lakeDir}`;
    } else {
      const deployed = await openDeploymentTarget(args, deps);
      target = deployed;
      rate ??= deployed.defaultRate;
      describe =
        `stream ${deployed.streamName} (${deployed.capacity.mode.toLowerCase().replace('_', '-')}, ` +
        `${deployed.capacity.openShards} open shards)`;
    }

    const checkpointFile =
      values.checkpoint !== undefined
        ? resolve(cwd, values.checkpoint)
        : checkpointPath(
            values.lake !== undefined
              ? resolve(stateDir(resolve(cwd, values.lake)), 'backfill')
              : resolve(cwd, '.ctr-lake'),
            target.id,
            args.positionals.map((spec) => canonicalSpec(spec, cwd)),
          );
    const checkpoint = values.restart ? undefined : await loadCheckpoint(checkpointFile, target.id);

    const tty = io.stderr.isTTY === true;
    if (tty) {
      const pace = rate ? `at most ${rate.recordsPerSecond.toLocaleString('en-US')} records/s` : 'as fast as it goes';
      io.stderr.write(
        `Backfilling ${sources.length} source${sources.length === 1 ? '' : 's'} into ${describe}, ${pace}` +
          `${checkpoint ? ` (resuming from ${checkpointFile})` : ''}\n`,
      );
    }
    const line = createProgressLine(io.stderr, { quietWhenPiped: true });
    const clock = deps.clock ?? Date.now;
    const started = clock();
    let shownAt = -Infinity;
    const summary: BackfillSummary = await runBackfill({
      sources,
      target,
      checkpointPath: checkpointFile,
      ...(rate ? { rate } : {}),
      ...(checkpoint ? { checkpoint } : {}),
      ...(deps.signal ? { signal: deps.signal } : {}),
      clock,
      onProgress: (progress) => {
        const now = clock();
        // A terminal line redrawn a few times a second is plenty; every record would cost more than it shows.
        if (!tty || now - shownAt < 200) return;
        shownAt = now;
        line.update(formatProgress(progress, now - started));
      },
    });
    if (tty) {
      const sizes = sources.map((source) => source.size);
      const totalBytes = sizes.every((size) => size !== undefined) ? sizes.reduce((a, b) => a! + b!, 0) : undefined;
      line.update(formatProgress({ ...summary, malformed: summary.malformed.length, totalBytes }, clock() - started));
      line.end();
    }
    const rows = values.lake !== undefined ? await (target as LocalTarget).rows() : undefined;
    io.stdout.write(
      args.json
        ? `${JSON.stringify({ ...summary, ...(rows !== undefined ? { lakeRows: rows } : {}) }, null, 2)}\n`
        : renderBackfill(summary, { target: describe, ...(rows !== undefined ? { rows } : {}) }),
    );
    const problems = summary.failed > 0 || summary.malformed.length > 0 || summary.interrupted;
    return problems ? 1 : 0;
  } catch (error) {
    if (error instanceof CheckpointError) {
      io.stderr.write(`error: ${error.message}\n`);
      return 1;
    }
    return reportFailure(io, error);
  } finally {
    await target?.close?.();
  }
}

if (require.main === module) {
  const controller = new AbortController();
  process.once('SIGINT', () => {
    process.stderr.write(
      '\nSIGINT: finishing the request in flight and saving the checkpoint (Ctrl-C again to quit now)…\n',
    );
    controller.abort();
    process.once('SIGINT', () => process.exit(130));
  });
  runAsProcess((argv, io) => backfillMain(argv, io, { signal: controller.signal }));
}
