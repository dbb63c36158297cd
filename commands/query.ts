import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import './shared/sdk-node-warning';
import { AthenaClient } from '@aws-sdk/client-athena';
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { runAthenaQuery, type AthenaQueryResult } from './shared/athena-query';
import { formatBytes } from './shared/athena-rows';
import { reportFailure, runAsProcess, type CommandIo } from './shared/command-io';
import { commandHelp, nearestName, parseCommandArgs, usageLine, UsageError } from './shared/command-args';
import { clientConfig, deploymentArgs, deploymentCommand, refuseDeploymentWithLake } from './shared/deployment-args';
import { LOCAL_DAY_OPTIONS, parseDayRange, parseTimeZone } from './shared/local-days';
import { defaultStackName, findStackOutputs, OutputKey } from './shared/stack-outputs';
import { renderTable } from './shared/text-table';
import { renderQuery } from '../lib/queries/query-template';
import type { JsonRow } from '../local-aws/query/json-values';
import { LakeQueryRunner } from '../local-aws/query/lake-query-runner';
import { loadNamedQueries } from '../local-aws/query/named-queries';

export const QUERY_COMMAND = deploymentCommand({
  invocation: 'npm run query --',
  synopsis: 'NAME|"SQL" [options]',
  description: `Runs a named query (a file of samples/queries/, the same SQL as the workgroup's named queries) or any SQL in the
deployed Athena workgroup and database, waits for it, and prints the rows and the data scanned. With --lake DIR it
runs on a kept local lake (npm start -- --lake DIR) with DuckDB instead, printing the same table or JSON.
Named queries: ${loadNamedQueries()
    .map((q) => q.name)
    .join(', ')}`,
  options: {
    lake: {
      type: 'string',
      placeholder: 'DIR',
      help: 'query a kept local lake with DuckDB instead of the deployment',
    },
    ...LOCAL_DAY_OPTIONS,
  },
  positionals: { name: 'named query or quoted SQL statement', min: 1, max: 1 },
});

export interface QueryClients {
  readonly cloudFormation?: CloudFormationClient;
  readonly athena?: AthenaClient;
  /** Between polls of the query state. @default 500 ms */
  readonly pollMs?: number;
  /** Receives a function that cancels the running query (the process entry point wires Ctrl-C to it). */
  readonly onCancellable?: (cancel: () => Promise<void>) => void;
}

/**
 * A bare word is a named query (its file's text, placeholders included: renderQuery makes it runnable); anything
 * else (spaces, punctuation) is SQL, run as written.
 */
export function resolveQuery(text: string): { name?: string; sql: string } {
  const trimmed = text.trim();
  if (/^[A-Za-z0-9_-]+$/.test(trimmed)) {
    const named = loadNamedQueries().find((query) => query.name === trimmed);
    if (!named) {
      const known = loadNamedQueries().map((query) => query.name);
      const guess = nearestName(trimmed, known);
      throw new UsageError(
        `no named query "${trimmed}"; named queries: ${known.join(', ')}${guess ? ` (did you mean ${guess}?)` : ''}`,
        usageLine(QUERY_COMMAND),
      );
    }
    return { name: named.name, sql: named.sql };
  }
  return { sql: trimmed };
}

/** `npm run query -- NAME|"SQL"`: returns the exit code (0 done, 1 failed, 2 usage). */
export async function queryMain(argv: readonly string[], io: CommandIo, clients: QueryClients = {}): Promise<number> {
  try {
    const parsed = parseCommandArgs(QUERY_COMMAND, argv);
    const args = deploymentArgs(parsed);
    if (args.help) {
      io.stdout.write(`${commandHelp(QUERY_COMMAND)}\n`);
      return 0;
    }
    const query = resolveQuery(args.positionals[0]!);
    const days = parseDayRange(parsed.values);
    if (days && query.name === undefined) {
      throw new UsageError(
        '--from/--to limit a named query; write the range into your own SQL',
        usageLine(QUERY_COMMAND),
      );
    }
    const sql =
      query.name === undefined
        ? query.sql
        : renderQuery(query.sql, { timeZone: parseTimeZone(parsed.values), ...(days ? { days } : {}) });
    const lake = parsed.values.lake;
    if (lake !== undefined) {
      refuseDeploymentWithLake(args, 'queries');
      const result = await runOnLake(resolve(lake), sql);
      io.stdout.write(args.json ? `${JSON.stringify(result, null, 2)}\n` : renderLocalResult(result));
      return 0;
    }
    const config = clientConfig(args);
    const outputs = await findStackOutputs(
      clients.cloudFormation ?? new CloudFormationClient(config),
      args.stack ?? defaultStackName(),
    );
    const workGroup = outputs.get(OutputKey.AthenaWorkGroup);
    const database = outputs.get(OutputKey.GlueDatabase);

    io.stderr.write(`Running ${query.name ?? 'the query'} in workgroup ${workGroup}, database ${database}\n`);
    const result = await runAthenaQuery(clients.athena ?? new AthenaClient(config), {
      sql,
      workGroup,
      database,
      ...(clients.pollMs !== undefined ? { pollMs: clients.pollMs } : {}),
      ...(clients.onCancellable ? { onStarted: clients.onCancellable } : {}),
      onProgress: ({ state, elapsedMs, bytesScanned }) => {
        const line = `${state} ${(elapsedMs / 1000).toFixed(1)} s, ${formatBytes(bytesScanned)} scanned`;
        io.stderr.write(io.stderr.isTTY ? `\r${line}\u001b[K` : `${line}\n`);
      },
    });
    if (io.stderr.isTTY) io.stderr.write('\n');
    io.stdout.write(args.json ? `${JSON.stringify(result, null, 2)}\n` : renderResult(result));
    return 0;
  } catch (error) {
    if (io.stderr.isTTY) io.stderr.write('\n');
    return reportFailure(io, error);
  }
}

/** A query's answer from a local lake: the shape of an Athena result, with the lake in place of the execution id. */
export interface LocalQueryResult {
  readonly lake: string;
  readonly columns: readonly string[];
  readonly rows: readonly JsonRow[];
}

/** Runs already rendered SQL on a kept lake (DuckDB, with the Athena compatibility macros and the ctr_latest view). */
export async function runOnLake(lakeDir: string, sql: string): Promise<LocalQueryResult> {
  if (!existsSync(lakeDir)) throw new UsageError(`no lake at ${lakeDir}: keep one with npm start -- --lake DIR`);
  const runner = await LakeQueryRunner.open({ lakeDir });
  try {
    const { columns, rows } = await runner.query(sql);
    return { lake: lakeDir, columns, rows };
  } finally {
    runner.close();
  }
}

export function renderLocalResult(result: LocalQueryResult): string {
  const table = result.columns.length > 0 ? `${renderTable(result.columns, result.rows)}\n` : '';
  return `${table}${rowCount(result.rows)} (local lake ${result.lake}, DuckDB)\n`;
}

const rowCount = (rows: readonly unknown[]): string => `${rows.length} ${rows.length === 1 ? 'row' : 'rows'}`;

export function renderResult(result: AthenaQueryResult): string {
  const table = result.columns.length > 0 ? `${renderTable(result.columns, result.rows)}\n` : '';
  return `${table}${rowCount(result.rows)}, ${formatBytes(result.bytesScanned)} scanned (query ${result.queryExecutionId})\n`;
}

if (require.main === module) {
  let cancel: (() => Promise<void>) | undefined;
  process.once('SIGINT', () => {
    process.stderr.write('\nSIGINT: cancelling the query…\n');
    void (cancel?.() ?? Promise.resolve()).finally(() => process.exit(130));
  });
  runAsProcess((argv, io) => queryMain(argv, io, { onCancellable: (fn) => (cancel = fn) }));
}
