import {
  GetQueryExecutionCommand,
  GetQueryResultsCommand,
  StartQueryExecutionCommand,
  StopQueryExecutionCommand,
  type AthenaClient,
  type ColumnInfo,
  type QueryExecution,
  type Row,
} from '@aws-sdk/client-athena';
import { realSleep, type Sleep } from '../../lambda/shared/backoff';
import type { JsonRow } from '../../local-aws/query/json-values';
import { toRowObjects } from './athena-rows';

export interface AthenaQueryRequest {
  readonly sql: string;
  readonly workGroup: string;
  readonly database: string;
  /** Told the state after every poll, e.g. to print progress. */
  readonly onProgress?: (progress: { state: string; elapsedMs: number; bytesScanned: number }) => void;
  /** Receives a function that cancels the query, e.g. for Ctrl-C. */
  readonly onStarted?: (cancel: () => Promise<void>) => void;
  /** Between polls. @default 500 ms, growing to 2 s */
  readonly pollMs?: number;
  readonly sleep?: Sleep;
}

export interface AthenaQueryResult {
  readonly queryExecutionId: string;
  readonly columns: readonly string[];
  readonly rows: readonly JsonRow[];
  readonly bytesScanned: number;
  readonly engineMs: number;
}

/** A query Athena refused, failed or cancelled, with its reason. */
export class AthenaQueryError extends Error {
  constructor(
    readonly state: string,
    message: string,
    readonly queryExecutionId?: string,
  ) {
    super(message);
    this.name = 'AthenaQueryError';
  }
}

/** Runs one statement in the workgroup (which sets the results location and the scan limit) and reads every row. */
export async function runAthenaQuery(client: AthenaClient, request: AthenaQueryRequest): Promise<AthenaQueryResult> {
  const sleep = request.sleep ?? realSleep;
  const started = Date.now();
  const { QueryExecutionId: id } = await client.send(
    new StartQueryExecutionCommand({
      QueryString: request.sql,
      WorkGroup: request.workGroup,
      QueryExecutionContext: { Database: request.database },
    }),
  );
  if (!id) throw new AthenaQueryError('UNKNOWN', 'Athena did not return a query execution id');
  request.onStarted?.(async () => {
    await client.send(new StopQueryExecutionCommand({ QueryExecutionId: id }));
  });

  let execution: QueryExecution | undefined;
  for (let poll = 0; ; poll += 1) {
    execution = (await client.send(new GetQueryExecutionCommand({ QueryExecutionId: id }))).QueryExecution;
    const state = execution?.Status?.State ?? 'UNKNOWN';
    request.onProgress?.({
      state,
      elapsedMs: Date.now() - started,
      bytesScanned: execution?.Statistics?.DataScannedInBytes ?? 0,
    });
    if (state === 'SUCCEEDED') break;
    if (state === 'FAILED' || state === 'CANCELLED') throw new AthenaQueryError(state, failureReason(execution), id);
    await sleep(Math.min(2_000, (request.pollMs ?? 500) * (1 + poll / 4)));
  }

  let columns: ColumnInfo[] = [];
  const pages: Row[][] = [];
  let nextToken: string | undefined;
  do {
    const page = await client.send(new GetQueryResultsCommand({ QueryExecutionId: id, NextToken: nextToken }));
    if (pages.length === 0) columns = page.ResultSet?.ResultSetMetadata?.ColumnInfo ?? [];
    pages.push(page.ResultSet?.Rows ?? []);
    nextToken = page.NextToken;
  } while (nextToken);

  return {
    queryExecutionId: id,
    columns: columns.map((column, i) => column.Name ?? `_col${i}`),
    rows: toRowObjects(columns, pages),
    bytesScanned: execution?.Statistics?.DataScannedInBytes ?? 0,
    engineMs: execution?.Statistics?.EngineExecutionTimeInMillis ?? 0,
  };
}

function failureReason(execution: QueryExecution | undefined): string {
  const status = execution?.Status;
  const error = status?.AthenaError;
  const detail = error?.ErrorMessage ?? status?.StateChangeReason ?? 'no reason given';
  return error?.ErrorType !== undefined ? `${detail} (Athena error type ${error.ErrorType})` : detail;
}
