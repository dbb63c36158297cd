import {
  AthenaClient,
  GetQueryExecutionCommand,
  GetQueryResultsCommand,
  StartQueryExecutionCommand,
} from '@aws-sdk/client-athena';
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { mockClient } from 'aws-sdk-client-mock';
import { OutputKey } from '../../../commands/shared/stack-outputs';
import { captureIo, deployedStack } from './deployment-fixtures';
import { loadNamedQueries } from '../../../local-aws/query/named-queries';
import { queryMain, resolveQuery } from '../../../commands/query';

const cloudFormation = mockClient(CloudFormationClient);
const athena = mockClient(AthenaClient);

describe('npm run query', () => {
  beforeEach(() => {
    cloudFormation.reset();
    athena.reset();
    cloudFormation
      .on(DescribeStacksCommand)
      .resolves(deployedStack({ [OutputKey.AthenaWorkGroup]: 'ctr-lake', [OutputKey.GlueDatabase]: 'ctr_lake' }));
    athena.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: 'q-9' });
  });

  const clients = () => ({
    cloudFormation: new CloudFormationClient({ region: 'us-east-1' }),
    athena: new AthenaClient({ region: 'us-east-1' }),
    pollMs: 1,
  });

  it('runs a named query in the workgroup and prints the rows and the bytes scanned', async () => {
    // Arrange
    athena.on(GetQueryExecutionCommand).resolves({
      QueryExecution: { Status: { State: 'SUCCEEDED' }, Statistics: { DataScannedInBytes: 1536 } },
    });
    athena.on(GetQueryResultsCommand).resolves({
      ResultSet: {
        ResultSetMetadata: {
          ColumnInfo: [
            { Name: 'day', Type: 'date' },
            { Name: 'calls', Type: 'bigint' },
          ],
        },
        Rows: [
          { Data: [{ VarCharValue: 'day' }, { VarCharValue: 'calls' }] },
          { Data: [{ VarCharValue: '2026-03-04' }, { VarCharValue: '2' }] },
        ],
      },
    });
    const { out, io } = captureIo();

    // Act
    const code = await queryMain(['calls_per_day'], io, clients());

    // Assert
    expect(code).toBe(0);
    const named = loadNamedQueries().find((q) => q.name === 'calls_per_day')!;
    expect(athena).toHaveReceivedCommandWith(StartQueryExecutionCommand, {
      QueryString: named.sql,
      WorkGroup: 'ctr-lake',
      QueryExecutionContext: { Database: 'ctr_lake' },
    });
    expect(out.stdout).toMatch(/day\s+calls\n-+\s+-+\n2026-03-04\s+2\n/);
    expect(out.stdout).toMatch(/1 row, 1\.5 KiB scanned/);
    expect(out.stderr).toMatch(/SUCCEEDED/);
  });

  it('exits 1 with the reason when Athena fails the query', async () => {
    // Arrange
    athena.on(GetQueryExecutionCommand).resolves({
      QueryExecution: { Status: { State: 'FAILED', StateChangeReason: 'TABLE_NOT_FOUND: Table ctr does not exist' } },
    });
    const { out, io } = captureIo();

    // Act
    const code = await queryMain(['SELECT * FROM ctr'], io, clients());

    // Assert
    expect(code).toBe(1);
    expect(out.stderr).toMatch(/error: TABLE_NOT_FOUND: Table ctr does not exist/);
  });
});

describe('resolveQuery', () => {
  it('takes a bare word as a named query', () => {
    // Act / Assert
    expect(resolveQuery('duplicates_audit').name).toBe('duplicates_audit');
  });

  it('takes anything else as SQL', () => {
    // Act / Assert
    expect(resolveQuery(' SELECT count(*) FROM ctr ')).toEqual({ sql: 'SELECT count(*) FROM ctr' });
  });

  it('refuses a bare word that names no query, listing the names', () => {
    // Act / Assert
    expect(() => resolveQuery('calls')).toThrow(/no named query "calls"; named queries: ctr_latest/);
  });
});
