import {
  AthenaClient,
  GetQueryExecutionCommand,
  GetQueryResultsCommand,
  StartQueryExecutionCommand,
} from '@aws-sdk/client-athena';
import { mockClient } from 'aws-sdk-client-mock';
import { AthenaQueryError, runAthenaQuery } from '../../../commands/shared/athena-query';

const athena = mockClient(AthenaClient);
const noSleep = async (): Promise<void> => undefined;

describe('runAthenaQuery', () => {
  beforeEach(() => {
    athena.reset();
    athena.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: 'q-1' });
  });

  it('starts the query in the workgroup and database, polls until it succeeds and reads every page', async () => {
    // Arrange
    athena
      .on(GetQueryExecutionCommand)
      .resolvesOnce({ QueryExecution: { Status: { State: 'QUEUED' } } })
      .resolvesOnce({ QueryExecution: { Status: { State: 'RUNNING' } } })
      .resolves({
        QueryExecution: {
          Status: { State: 'SUCCEEDED' },
          Statistics: { DataScannedInBytes: 2048, EngineExecutionTimeInMillis: 900 },
        },
      });
    const columns = [{ Name: 'calls', Type: 'bigint' }];
    athena
      .on(GetQueryResultsCommand, { QueryExecutionId: 'q-1', NextToken: undefined })
      .resolves({
        ResultSet: {
          ResultSetMetadata: { ColumnInfo: columns },
          Rows: [{ Data: [{ VarCharValue: 'calls' }] }, { Data: [{ VarCharValue: '3' }] }],
        },
        NextToken: 'page-2',
      })
      .on(GetQueryResultsCommand, { QueryExecutionId: 'q-1', NextToken: 'page-2' })
      .resolves({ ResultSet: { Rows: [{ Data: [{ VarCharValue: '4' }] }] } });
    const states: string[] = [];

    // Act
    const result = await runAthenaQuery(new AthenaClient({ region: 'us-east-1' }), {
      sql: 'SELECT 1',
      workGroup: 'ctr-lake',
      database: 'ctr_lake',
      sleep: noSleep,
      onProgress: ({ state }) => states.push(state),
    });

    // Assert
    expect(athena).toHaveReceivedCommandWith(StartQueryExecutionCommand, {
      QueryString: 'SELECT 1',
      WorkGroup: 'ctr-lake',
      QueryExecutionContext: { Database: 'ctr_lake' },
    });
    expect(states).toEqual(['QUEUED', 'RUNNING', 'SUCCEEDED']);
    expect(result).toEqual({
      queryExecutionId: 'q-1',
      columns: ['calls'],
      rows: [{ calls: 3 }, { calls: 4 }],
      bytesScanned: 2048,
      engineMs: 900,
    });
  });

  it("fails with Athena's reason when the query fails", async () => {
    // Arrange
    athena.on(GetQueryExecutionCommand).resolves({
      QueryExecution: {
        Status: {
          State: 'FAILED',
          StateChangeReason: 'line 1:8: Column x cannot be resolved',
          AthenaError: { ErrorType: 1006, ErrorMessage: 'line 1:8: Column x cannot be resolved' },
        },
      },
    });

    // Act
    const run = runAthenaQuery(new AthenaClient({ region: 'us-east-1' }), {
      sql: 'SELECT x',
      workGroup: 'w',
      database: 'd',
      sleep: noSleep,
    });

    // Assert
    await expect(run).rejects.toBeInstanceOf(AthenaQueryError);
    await expect(run).rejects.toThrow(/Column x cannot be resolved \(Athena error type 1006\)/);
  });

  it('reports a cancelled query as such', async () => {
    // Arrange
    athena.on(GetQueryExecutionCommand).resolves({ QueryExecution: { Status: { State: 'CANCELLED' } } });

    // Act
    const run = runAthenaQuery(new AthenaClient({ region: 'us-east-1' }), {
      sql: 'SELECT 1',
      workGroup: 'w',
      database: 'd',
      sleep: noSleep,
    });

    // Assert
    await expect(run).rejects.toMatchObject({ state: 'CANCELLED', queryExecutionId: 'q-1' });
  });
});
