import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
import { readProjectConfig } from '../../../lib/config/project-config';
import { renderQuery } from '../../../lib/queries/query-template';
import { writeLake } from '../../support/lake-fixture';

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
      QueryString: renderQuery(named.sql, { timeZone: readProjectConfig().reportingTimeZone }),
      WorkGroup: 'ctr-lake',
      QueryExecutionContext: { Database: 'ctr_lake' },
    });
    expect(out.stdout).toMatch(/day\s+calls\n-+\s+-+\n2026-03-04\s+2\n/);
    expect(out.stdout).toMatch(/1 row, 1\.5 KiB scanned/);
    expect(out.stderr).toMatch(/SUCCEEDED/);
  });

  it('renders a named query for --time-zone and a range of local days, as the stack renders it', async () => {
    // Arrange
    athena.on(GetQueryExecutionCommand).resolves({ QueryExecution: { Status: { State: 'SUCCEEDED' } } });
    athena.on(GetQueryResultsCommand).resolves({ ResultSet: { ResultSetMetadata: { ColumnInfo: [] }, Rows: [] } });
    const { io } = captureIo();

    // Act
    const code = await queryMain(['ctrs_per_day', '--time-zone', 'Asia/Seoul', '--from', '2026-03-08'], io, clients());

    // Assert
    expect(code).toBe(0);
    const sent = athena.commandCalls(StartQueryExecutionCommand)[0]!.args[0].input.QueryString!;
    expect(sent).toContain("at_timezone(initiation_timestamp, 'Asia/Seoul')");
    expect(sent).toContain("AND (year = '2026' AND month = '03' AND day BETWEEN '07' AND '08')");
    expect(sent).not.toContain('{{');
  });

  it.each([
    [['calls_per_day', '--time-zone', 'KST'], /--time-zone must be an IANA time zone name/],
    [['calls_per_day', '--from', '2026-3-8'], /--from must be a day written YYYY-MM-DD/],
    [['calls_per_day', '--from', '2026-03-09', '--to', '2026-03-08'], /--to 2026-03-08 is before --from 2026-03-09/],
    [['SELECT 1', '--from', '2026-03-08'], /--from\/--to limit a named query/],
    [['calls_per_day', '--lake', '/tmp', '--region', 'eu-west-1'], /--lake queries a local lake/],
  ])('refuses %p with one line and exit code 2', async (argv, message) => {
    // Arrange
    const { out, io } = captureIo();

    // Act
    const code = await queryMain(argv, io, clients());

    // Assert
    expect(code).toBe(2);
    expect(out.stderr).toMatch(message);
    expect(athena).not.toHaveReceivedCommand(StartQueryExecutionCommand);
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

describe('npm run query -- --lake DIR', () => {
  let lake: string;
  beforeAll(async () => {
    lake = await mkdtemp(join(tmpdir(), 'query-lake-'));
    await writeLake(lake, [
      { id: 'a', at: '2026-03-07T23:30:00Z' },
      { id: 'b', at: '2026-03-08T01:00:00Z', channel: 'CHAT' },
    ]);
  });
  afterAll(async () => {
    await rm(lake, { recursive: true, force: true });
  });

  it('runs a named query on the kept lake with DuckDB and prints the same table as against Athena', async () => {
    // Arrange
    const { out, io } = captureIo();

    // Act
    const code = await queryMain(['calls_per_day', '--lake', lake, '--time-zone', 'Asia/Seoul'], io);

    // Assert
    expect(code).toBe(0);
    expect(out.stdout).toBe(
      [
        'day         channel  calls',
        '----------  -------  -----',
        '2026-03-08  CHAT         1',
        '2026-03-08  VOICE        1',
        `2 rows (local lake ${lake}, DuckDB)`,
        '',
      ].join('\n'),
    );
  });

  it('prints the rows as JSON, limited to a range of local days', async () => {
    // Arrange
    const { out, io } = captureIo();

    // Act
    const code = await queryMain(['ctrs_per_day', '--lake', lake, '--from', '2026-03-08', '--json'], io);

    // Assert
    expect(code).toBe(0);
    expect(JSON.parse(out.stdout)).toEqual({
      lake,
      columns: ['day', 'channel', 'ctrs'],
      rows: [{ day: '2026-03-08', channel: 'CHAT', ctrs: 1 }],
    });
  });

  it('runs any SQL on the lake, and says so when the lake is missing', async () => {
    // Arrange
    const first = captureIo();
    const second = captureIo();

    // Act
    const code = await queryMain(['SELECT count(*) AS n FROM ctr_latest', '--lake', lake], first.io);
    const missing = await queryMain(['calls_per_day', '--lake', join(lake, 'nope')], second.io);

    // Assert
    expect(code).toBe(0);
    expect(first.out.stdout).toMatch(/^n\n-\n2\n1 row \(local lake/);
    expect(missing).toBe(2);
    expect(second.out.stderr).toMatch(/error: no lake at .*nope: keep one with npm start -- --lake DIR/);
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
    expect(() => resolveQuery('calls')).toThrow(
      /no named query "calls"; named queries: calls_per_day, ctrs_per_day, .*ctr_latest \(did you mean calls_per_day\?\)/,
    );
  });
});
