import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { CtrLakeConfigError } from '../../lib/config/context-values';
import type { PipelineSummary } from '../../local-aws/pipeline/pipeline-options';
import { runLocalPipeline } from '../../local-aws/pipeline/run-pipeline';
import { DEFAULT_SAMPLES, SamplesFileError } from '../../local-aws/pipeline/sample-events';
import { commandHelp, usageLine, UsageError } from '../shared/command-args';
import { parseCliArgs, START_COMMAND, type CliOptions } from './start-args';
import { createProgressReporter } from './progress';
import { renderSummary } from './render-summary';
import { readStackSettings } from '../../local-aws/pipeline/stack-settings';

export interface CliIo {
  readonly stdout: { write(text: string): unknown };
  readonly stderr: { write(text: string): unknown; isTTY?: boolean };
  /** Where `--lake` and `--samples` paths are relative to. @default process.cwd() */
  readonly cwd?: string;
  /** Receives a function that stops the run and cleans up, for signal handlers. */
  readonly onInterruptible?: (stop: () => Promise<void>) => void;
}

/** Exit codes: 0 done, 1 the run failed (bad samples, bad config, a failure), 2 the command line is wrong. */
export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

/** `npm start`: parses the options, runs the local pipeline and prints the summary. Returns the exit code. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  let options: CliOptions;
  try {
    options = parseCliArgs(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.stderr.write(`error: ${error.message}\n${error.usage ?? usageLine(START_COMMAND)}\n`);
    return EXIT.usage;
  }
  if (options.help) {
    io.stdout.write(`${commandHelp(START_COMMAND)}\n`);
    return EXIT.ok;
  }

  const cwd = io.cwd ?? process.cwd();
  const temporary = options.lake === undefined;
  const lakeDir = options.lake !== undefined ? resolve(cwd, options.lake) : await mkdtemp(join(tmpdir(), 'ctr-lake-'));
  const removeLake = temporary && !options.keep;
  let pipeline: { stop(): Promise<void> } | undefined;
  const cleanUp = async (): Promise<void> => {
    await pipeline?.stop();
    if (removeLake) await rm(lakeDir, { recursive: true, force: true });
  };
  io.onInterruptible?.(cleanUp);

  const progress = createProgressReporter(io.stderr);
  try {
    const settings = readStackSettings();
    const samples = options.samples.length > 0 ? options.samples.map((file) => resolve(cwd, file)) : [DEFAULT_SAMPLES];
    if (!options.json) io.stderr.write(`Starting the local pipeline in ${lakeDir} …\n`);
    const summary = await runLocalPipeline({
      lakeDir,
      samples,
      format: options.format ?? settings.format,
      shardCount: options.shards ?? settings.shardCount,
      batchSize: options.batchSize ?? settings.batchSize,
      parallelizationFactor: settings.parallelizationFactor,
      maximumRetryAttempts: settings.maximumRetryAttempts,
      dedupTtlHours: settings.dedupTtlHours,
      dedupKeyStrategy: settings.dedupKeyStrategy,
      dynamoDb: options.dynamoDbLocal ? 'dynamodb-local' : 'dynalite',
      logLevel: options.verbose ? 'DEBUG' : 'SILENT',
      ...(options.verbose ? { onLog: (line: string, fn: string) => void io.stderr.write(`[${fn}] ${line}\n`) } : {}),
      onProgress: (p) => progress.report(p),
      onStarted: (running) => (pipeline = running),
    });
    progress.end();
    io.stdout.write(
      options.json
        ? `${JSON.stringify(summary, null, 2)}\n`
        : renderSummary(summary, { samples: samples.map((file) => relativeTo(cwd, file)), lakeRemoved: removeLake }),
    );
    return summaryExitCode(summary);
  } catch (error) {
    progress.end();
    io.stderr.write(`error: ${describeFailure(error, options.verbose)}\n`);
    return EXIT.failed;
  } finally {
    await cleanUp();
  }
}

/** Records the event source gave up on are lost to the lake until replayed: the run did not do its job. */
function summaryExitCode(summary: PipelineSummary): number {
  return summary.failed > 0 ? EXIT.failed : EXIT.ok;
}

/** Expected failures get their message alone; anything else its stack when --verbose. */
function describeFailure(error: unknown, verbose: boolean): string {
  if (error instanceof SamplesFileError || error instanceof CtrLakeConfigError) return error.message;
  if (error instanceof Error) return verbose && error.stack ? error.stack : `${error.message} (--verbose for details)`;
  return String(error);
}

function relativeTo(cwd: string, file: string): string {
  return file.startsWith(`${cwd}/`) ? file.slice(cwd.length + 1) : file;
}
