import { existsSync } from 'node:fs';
import type { AthenaClient } from '@aws-sdk/client-athena';
import type { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { localDayBounds } from '../../lib/config/time-zone';
import { renderQuery, type DayRange } from '../../lib/queries/query-template';
import type { PipelineSummary } from '../../local-aws/pipeline/pipeline-options';
import {
  readRunRecords,
  RUN_COUNT_KEYS,
  runLogPath,
  type RunCounts,
  type RunRecord,
} from '../../local-aws/pipeline/run-log';
import { findNamedQuery } from '../../local-aws/query/named-queries';
import { LakeQueryRunner } from '../../local-aws/query/lake-query-runner';
import { runAthenaQuery } from '../shared/athena-query';
import { UsageError } from '../shared/command-args';
import { cloudWatchFunnel } from './cloudwatch-funnel';
import { REPORT_QUERIES, type Funnel, type FunnelUnavailable, type ReportData } from './report-data';

/** The report of the run `npm start` just made: its queries' results, and its own counts as the funnel. */
export function runReportData(summary: PipelineSummary, samples: readonly string[], now = new Date()): ReportData {
  return {
    subject: `local lake ${summary.lake} after npm start with ${samples.join(', ')}`,
    timeZone: summary.timeZone,
    generatedAt: now,
    results: summary.queries,
    funnel: { ...funnelCounts(summary), source: 'This run of npm start, as its local stand-ins counted it.' },
  };
}

export interface LakeReportOptions {
  readonly lakeDir: string;
  readonly timeZone: string;
  readonly days?: DayRange;
  readonly now?: Date;
}

/** The report of a kept local lake: the named queries on DuckDB, the funnel from the runs recorded beside it. */
export async function lakeReportData(options: LakeReportOptions): Promise<ReportData> {
  if (!existsSync(options.lakeDir)) throw new UsageError(`no lake at ${options.lakeDir}`);
  const runner = await LakeQueryRunner.open({ lakeDir: options.lakeDir, timeZone: options.timeZone });
  try {
    const results: Record<string, ReportData['results'][string]> = {};
    for (const name of REPORT_QUERIES) {
      results[name] = (await runner.runNamed(name, options.days ? { days: options.days } : {})).rows;
    }
    return {
      subject: `local lake ${options.lakeDir}`,
      timeZone: options.timeZone,
      ...(options.days ? { days: options.days } : {}),
      generatedAt: options.now ?? new Date(),
      results,
      funnel: funnelOfRuns(await readRunRecords(options.lakeDir), options.lakeDir, options.days !== undefined),
    };
  } finally {
    runner.close();
  }
}

export function funnelOfRuns(runs: readonly RunRecord[], lakeDir: string, ranged: boolean): Funnel | FunnelUnavailable {
  if (runs.length === 0) {
    return {
      unavailable: `no local run is recorded for this lake (${runLogPath(lakeDir)}): it was not filled by npm start`,
    };
  }
  const sum = (key: keyof RunCounts): number => runs.reduce((total, run) => total + run[key], 0);
  const last = runs[runs.length - 1]!.finishedAt;
  return {
    ...funnelCounts(Object.fromEntries(RUN_COUNT_KEYS.map((key) => [key, sum(key)])) as unknown as RunCounts),
    source:
      `Every local run on this lake (${runs.length} ${runs.length === 1 ? 'run' : 'runs'}, the last finished ${last})` +
      (ranged ? ', whatever their CTRs’ days: runs are not counted per day.' : '.'),
  };
}

/** The funnel's stages of a run's counts. */
function funnelCounts(counts: RunCounts): Omit<Funnel, 'source'> {
  const { in: received, inBatchDuplicates, storedDuplicates, delivered, quarantined } = counts;
  return { in: received, inBatchDuplicates, storedDuplicates, delivered, quarantined };
}

export interface DeploymentReportOptions {
  readonly athena: AthenaClient;
  readonly cloudWatch: CloudWatchClient;
  readonly workGroup: string;
  readonly database: string;
  readonly stackName: string;
  readonly region?: string;
  /** Powertools service names of the checker and transform (`<prefix>-checker`, `<prefix>-transform`). */
  readonly checkerService: string;
  readonly transformService: string;
  readonly timeZone: string;
  readonly days?: DayRange;
  readonly now?: Date;
  readonly pollMs?: number;
  readonly onQuery?: (name: string) => void;
}

/** CloudWatch keeps hourly (and so daily) metric data for 455 days: the widest funnel a deployment can show. */
export const CLOUDWATCH_RETENTION_DAYS = 455;

/** The report of a deployment: the named queries on Athena (rendered as the stack renders them), the funnel from CloudWatch. */
export async function deploymentReportData(options: DeploymentReportOptions): Promise<ReportData> {
  const now = options.now ?? new Date();
  const results: Record<string, ReportData['results'][string]> = {};
  for (const name of REPORT_QUERIES) {
    const query = findNamedQuery(name);
    if (!query) throw new Error(`samples/queries has no ${name}.sql`);
    options.onQuery?.(name);
    const result = await runAthenaQuery(options.athena, {
      sql: renderQuery(query.sql, { timeZone: options.timeZone, ...(options.days ? { days: options.days } : {}) }),
      workGroup: options.workGroup,
      database: options.database,
      ...(options.pollMs !== undefined ? { pollMs: options.pollMs } : {}),
    });
    results[name] = result.rows;
  }
  const start = options.days
    ? new Date(localDayBounds(options.days.from, options.timeZone).startMs)
    : new Date(now.getTime() - CLOUDWATCH_RETENTION_DAYS * 86_400_000);
  const end = options.days
    ? new Date(Math.min(localDayBounds(options.days.to, options.timeZone).endMs, now.getTime()))
    : now;
  return {
    subject: `stack ${options.stackName}${options.region ? ` in ${options.region}` : ''} (Athena workgroup ${options.workGroup})`,
    timeZone: options.timeZone,
    ...(options.days ? { days: options.days } : {}),
    generatedAt: now,
    results,
    funnel: await cloudWatchFunnel(options.cloudWatch, {
      checkerService: options.checkerService,
      transformService: options.transformService,
      start,
      end,
    }),
  };
}
