import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { CtrLakeConfigError } from '../../lib/config/context-values';
import { LakeStateError } from '../../local-aws/pipeline/dedup-state';
import { RedisServerNotInstalledError } from '../../local-aws/servers/redis-server';
import type { PipelineSummary } from '../../local-aws/pipeline/pipeline-options';
import { runLocalPipeline } from '../../local-aws/pipeline/run-pipeline';
import { SourceError } from '../../local-aws/ctr-sources/read-ctrs';
import { DEFAULT_SAMPLES, SamplesFileError } from '../../local-aws/pipeline/sample-events';
import { commandHelp, usageLine, UsageError } from '../shared/command-args';
import { parseCliArgs, START_COMMAND, type CliOptions } from './start-args';
import { createProgressReporter } from './progress';
import { renderSummary } from './render-summary';
import { readStackSettings } from '../../local-aws/pipeline/stack-settings';
import { runReportData } from '../report/report-sources';
import { lakeReportPath, REPORT_FILE, writeReport } from '../report/write-report';

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
  let report: string | undefined;
  const cleanUp = async (): Promise<void> => {
    await pipeline?.stop();
    if (removeLake) await removeLakeKeepingReport(lakeDir, report !== undefined);
  };
  io.onInterruptible?.(cleanUp);

  const progress = createProgressReporter(io.stderr);
  try {
    const settings = readStackSettings();
    const samples = options.samples.length > 0 ? options.samples : [DEFAULT_SAMPLES];
    if (!options.json) io.stderr.write(`Starting the local pipeline in ${lakeDir} …\n`);
    const summary = await runLocalPipeline({
      lakeDir,
      samples,
      cwd,
      format: options.format ?? settings.format,
      shardCount: options.shards ?? settings.shardCount,
      batchSize: options.batchSize ?? settings.batchSize,
      parallelizationFactor: settings.parallelizationFactor,
      maximumRetryAttempts: settings.maximumRetryAttempts,
      dedupTtlHours: settings.dedupTtlHours,
      dedupKeyStrategy: settings.dedupKeyStrategy,
      timeZone: settings.reportingTimeZone,
      projectionStartYear: settings.projectionStartYear,
      pii: { ...settings.pii, ...(options.piiMode !== undefined ? { mode: options.piiMode } : {}) },
      dynamoDb: options.dedupStore === 'valkey' ? 'valkey' : options.dynamoDbLocal ? 'dynamodb-local' : 'dynalite',
      logLevel: options.verbose ? 'DEBUG' : 'SILENT',
      ...(options.verbose ? { onLog: (line: string, fn: string) => void io.stderr.write(`[${fn}] ${line}\n`) } : {}),
      onProgress: (p) => progress.report(p),
      onStarted: (running) => (pipeline = running),
    });
    progress.end();
    const sampleNames = samples.map((file) => relativeTo(cwd, file));
    if (options.report) report = await writeReport(runReportData(summary, sampleNames), lakeReportPath(lakeDir));
    io.stdout.write(
      options.json
        ? `${JSON.stringify({ ...summary, lakeRemoved: removeLake, ...(report ? { report } : {}) }, null, 2)}\n`
        : renderSummary(summary, { samples: sampleNames, lakeRemoved: removeLake, wide: options.wide }) +
            (report
              ? `\nReport: ${report}${removeLake ? ' (kept; the lake beside it is removed at exit)' : ''}\n`
              : ''),
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

/** Removes a temporary lake; its report, when one was written, stays (alone in the directory) for the user to open. */
async function removeLakeKeepingReport(lakeDir: string, keepReport: boolean): Promise<void> {
  if (!keepReport) {
    await rm(lakeDir, { recursive: true, force: true });
    return;
  }
  const entries = await readdir(lakeDir).catch(() => [] as string[]);
  await Promise.all(
    entries
      .filter((entry) => entry !== REPORT_FILE)
      .map((entry) => rm(join(lakeDir, entry), { recursive: true, force: true })),
  );
}

/**
 * Records the event source gave up on are lost to the lake until replayed, and malformed pieces of the samples were
 * never sent: either way the run did not do all its job.
 */
function summaryExitCode(summary: PipelineSummary): number {
  return summary.failed > 0 || summary.malformed.length > 0 ? EXIT.failed : EXIT.ok;
}

/** Expected failures get their message alone; anything else its stack when --verbose. */
function describeFailure(error: unknown, verbose: boolean): string {
  if (
    error instanceof SamplesFileError ||
    error instanceof SourceError ||
    error instanceof CtrLakeConfigError ||
    error instanceof LakeStateError ||
    error instanceof RedisServerNotInstalledError
  ) {
    return error.message;
  }
  if (error instanceof Error) return verbose && error.stack ? error.stack : `${error.message} (--verbose for details)`;
  return String(error);
}

function relativeTo(cwd: string, file: string): string {
  return file.startsWith(`${cwd}/`) ? file.slice(cwd.length + 1) : file;
}
