import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AthenaClient,
  GetQueryExecutionCommand,
  GetQueryResultsCommand,
  StartQueryExecutionCommand,
} from '@aws-sdk/client-athena';
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { CloudWatchClient, CloudWatchServiceException, GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { mockClient } from 'aws-sdk-client-mock';
import { reportMain } from '../../../commands/report';
import { REPORT_SECTIONS } from '../../../commands/report/render-report';
import { REPORT_QUERIES } from '../../../commands/report/report-data';
import { OutputKey } from '../../../commands/shared/stack-outputs';
import { formatCell } from '../../../commands/shared/text-table';
import { LakeQueryRunner } from '../../../local-aws/query/lake-query-runner';
import { knownReportLake, writeLake } from '../../support/lake-fixture';
import { chartCount, dataTable, reportSections } from '../../support/report-html';
import { captureIo, deployedStack } from './deployment-fixtures';

const NOW = new Date('2026-03-20T12:00:00Z');

describe('npm run report -- --lake DIR', () => {
  let lake: string;
  let html: string;
  let stdout: string;
  beforeAll(async () => {
    lake = await mkdtemp(join(tmpdir(), 'report-lake-'));
    await knownReportLake(lake);
    const { out, io } = captureIo();
    const code = await reportMain(['--lake', lake, '--time-zone', 'Asia/Seoul'], io, { now: NOW });
    if (code !== 0) throw new Error(out.stderr);
    stdout = out.stdout;
    html = await readFile(join(lake, 'report.html'), 'utf8');
  });
  afterAll(async () => {
    await rm(lake, { recursive: true, force: true });
  });

  it('writes DIR/report.html and prints its path', () => {
    expect(stdout).toBe(`Report: ${join(lake, 'report.html')}\n`);
  });

  it('has every section, each with one chart', () => {
    const sections = reportSections(html);

    expect([...sections.keys()]).toEqual(REPORT_SECTIONS.map((section) => section.id));
    for (const [id, section] of sections) expect({ id, charts: chartCount(section) }).toEqual({ id, charts: 1 });
  });

  it("shows in its data tables exactly the named queries' results", async () => {
    const runner = await LakeQueryRunner.open({ lakeDir: lake, timeZone: 'Asia/Seoul' });
    try {
      for (const name of REPORT_QUERIES) {
        const { columns, rows } = await runner.runNamed(name);
        const table = dataTable(html, name);

        expect({ name, columns: table?.columns }).toEqual({ name, columns: [...columns] });
        expect({ name, cells: table?.cells }).toEqual({
          name,
          cells: rows.map((row) => columns.map((column) => formatCell(row[column]))),
        });
      }
    } finally {
      runner.close();
    }
  });

  it('counts a call transferred across local midnight on its first day, and names the zone on the axes', () => {
    expect(dataTable(html, 'calls_per_day')?.cells).toEqual([
      ['2026-03-07', 'VOICE', '1'],
      ['2026-03-08', 'VOICE', '1'],
      ['2026-03-09', 'CHAT', '1'],
    ]);
    expect(html).toContain('local day (Asia/Seoul)');
    expect(html).toContain('hour of day (Asia/Seoul)');
  });

  it('draws the funnel from the runs recorded in the lake', () => {
    expect(dataTable(html, 'funnel')?.cells).toEqual([
      ['CTRs in', '9'],
      ['in-batch duplicates', '1'],
      ['stored duplicates', '2'],
      ['delivered', '6'],
      ['quarantined', '1'],
    ]);
    expect(html).toContain('Every local run on this lake (2 runs');
  });

  it('lists the fingerprint stored twice', () => {
    expect(dataTable(html, 'duplicates_audit')?.cells).toEqual([['f-c', '2']]);
    expect(html).toContain('1 fingerprint is stored more than once.');
  });

  it('gives every element id once, so each chart clips to its own paths', () => {
    const ids = [...html.matchAll(/ id="([^"]+)"/g)].map((match) => match[1]);

    expect(ids.length).toBeGreaterThan(REPORT_SECTIONS.length);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('opens offline: no script, no external stylesheet, font or image', () => {
    expect(html).not.toMatch(/<script|<link rel="stylesheet"|@import|url\([^#]/i);
    expect(html.replace(/xmlns(:xlink)?="http:\/\/www\.w3\.org\/[^"]+"/g, '')).not.toMatch(/https?:\/\//);
  });
});

describe('npm run report on a lake without a run record, for a range of days', () => {
  let lake: string;
  beforeAll(async () => {
    lake = await mkdtemp(join(tmpdir(), 'report-bare-'));
    await writeLake(lake, [
      { id: 'x', at: '2026-03-08T10:00:00Z' },
      { id: 'y', at: '2026-03-09T10:00:00Z' },
    ]);
  });
  afterAll(async () => {
    await rm(lake, { recursive: true, force: true });
  });

  it('says the funnel is not available, shows a green audit, and limits the tables to the range', async () => {
    const out = join(lake, 'one-day.html');
    const { out: printed, io } = captureIo();

    const code = await reportMain(['--lake', lake, '--from', '2026-03-08', '--out', out], io, { now: NOW });
    const html = await readFile(out, 'utf8');
    const sections = reportSections(html);

    expect(code).toBe(0);
    expect(printed.stdout).toMatch(/dedup funnel not available: no local run is recorded/);
    expect(chartCount(sections.get('dedup-funnel')!)).toBe(0);
    expect(sections.get('dedup-funnel')).toContain('Not available: no local run is recorded for this lake');
    expect(chartCount(sections.get('duplicates-audit')!)).toBe(0);
    expect(sections.get('duplicates-audit')).toContain('No duplicates');
    expect(dataTable(html, 'ctrs_per_day')?.cells).toEqual([['2026-03-08', 'VOICE', '1']]);
    expect(html).toContain('<dt>Days</dt><dd>2026-03-08 to 2026-03-08</dd>');
  });

  it('refuses a lake that does not exist, and deployment options with --lake', async () => {
    const missing = captureIo();
    const mixed = captureIo();

    expect(await reportMain(['--lake', join(lake, 'nope')], missing.io)).toBe(2);
    expect(await reportMain(['--lake', lake, '--stack', 'x'], mixed.io)).toBe(2);
    expect(missing.out.stderr).toMatch(/error: no lake at/);
    expect(mixed.out.stderr).toMatch(/--lake reports on a local lake/);
  });
});

describe('npm run report against a deployment', () => {
  const cloudFormation = mockClient(CloudFormationClient);
  const athena = mockClient(AthenaClient);
  const cloudWatch = mockClient(CloudWatchClient);
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'report-deployed-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });
  beforeEach(() => {
    cloudFormation.reset();
    athena.reset();
    cloudWatch.reset();
    cloudFormation
      .on(DescribeStacksCommand)
      .resolves(deployedStack({ [OutputKey.AthenaWorkGroup]: 'ctr-lake', [OutputKey.GlueDatabase]: 'ctr_lake' }));
    athena.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: 'q-1' });
    athena.on(GetQueryExecutionCommand).resolves({ QueryExecution: { Status: { State: 'SUCCEEDED' } } });
    athena.on(GetQueryResultsCommand).resolves({
      ResultSet: {
        ResultSetMetadata: {
          ColumnInfo: [
            { Name: 'day', Type: 'date' },
            { Name: 'channel', Type: 'varchar' },
            { Name: 'calls', Type: 'bigint' },
          ],
        },
        Rows: [{ Data: [{ VarCharValue: '2026-03-08' }, { VarCharValue: 'VOICE' }, { VarCharValue: '4' }] }],
      },
    });
  });

  const clients = () => ({
    cloudFormation: new CloudFormationClient({ region: 'us-east-1' }),
    athena: new AthenaClient({ region: 'us-east-1' }),
    cloudWatch: new CloudWatchClient({ region: 'us-east-1' }),
    pollMs: 1,
    cwd: dir,
    now: NOW,
  });

  it("runs each report query in the workgroup and draws the funnel from the functions' CloudWatch metrics", async () => {
    cloudWatch.on(GetMetricDataCommand).resolves({
      MetricDataResults: [
        { Id: 'recordsin', Values: [70, 30] },
        { Id: 'inbatch', Values: [10] },
        { Id: 'stored', Values: [5] },
        { Id: 'delivered', Values: [84] },
        { Id: 'quarantined', Values: [1] },
      ],
    });
    const { out, io } = captureIo();

    const code = await reportMain(['--from', '2026-03-08', '--time-zone', 'Asia/Seoul'], io, clients());
    const html = await readFile(join(dir, 'ctr-lake-report.html'), 'utf8');

    expect(code).toBe(0);
    expect(athena.commandCalls(StartQueryExecutionCommand)).toHaveLength(REPORT_QUERIES.length);
    const sql = athena.commandCalls(StartQueryExecutionCommand)[0]!.args[0].input.QueryString!;
    expect(sql).toContain("AND (year = '2026' AND month = '03' AND day BETWEEN '06' AND '08')");
    const request = cloudWatch.commandCalls(GetMetricDataCommand)[0]!.args[0].input;
    expect(request.StartTime).toEqual(new Date('2026-03-07T15:00:00Z'));
    expect(request.EndTime).toEqual(new Date('2026-03-08T15:00:00Z'));
    expect(request.MetricDataQueries?.map((q) => q.MetricStat?.Metric?.Dimensions?.[0]?.Value)).toEqual([
      'ctr-lake-checker',
      'ctr-lake-checker',
      'ctr-lake-checker',
      'ctr-lake-checker',
      'ctr-lake-transform',
    ]);
    expect(dataTable(html, 'funnel')?.cells.map((row) => row[1])).toEqual(['100', '10', '5', '84', '1']);
    expect(dataTable(html, 'calls_per_day')?.cells).toEqual([['2026-03-08', 'VOICE', '4']]);
    expect(out.stdout).toBe(`Report: ${join(dir, 'ctr-lake-report.html')}\n`);
  });

  it('asks CloudWatch in a shape GetMetricData accepts: ids starting lowercase, a period valid for old data', async () => {
    cloudWatch.on(GetMetricDataCommand).resolves({ MetricDataResults: [] });
    const { io } = captureIo();

    await reportMain(['--out', 'shape.html'], io, clients());
    const request = cloudWatch.commandCalls(GetMetricDataCommand)[0]!.args[0].input;

    // Ids: ^[a-z][a-zA-Z0-9_]*$. Periods: a multiple of 60, of 300 beyond 15 days, of 3600 beyond 63 days.
    for (const query of request.MetricDataQueries ?? []) {
      expect(query.Id).toMatch(/^[a-z][a-zA-Z0-9_]*$/);
      expect((query.MetricStat?.Period ?? 0) % 3600).toBe(0);
      expect(query.MetricStat).toMatchObject({ Stat: 'Sum', Metric: { Namespace: 'CtrLake' } });
    }
    expect(request.EndTime!.getTime() - request.StartTime!.getTime()).toBe(455 * 86_400_000);
  });

  it('says in the report what is not available when CloudWatch refuses', async () => {
    cloudWatch.on(GetMetricDataCommand).rejects(
      new CloudWatchServiceException({
        name: 'AccessDenied',
        $fault: 'client',
        $metadata: {},
        message: 'not authorized to perform: cloudwatch:GetMetricData',
      }),
    );
    const { out, io } = captureIo();

    const code = await reportMain(['--out', 'denied.html'], io, clients());
    const html = await readFile(join(dir, 'denied.html'), 'utf8');

    expect(code).toBe(0);
    expect(html).toContain('Not available: CloudWatch GetMetricData failed (AccessDenied: not authorized');
    expect(out.stdout).toMatch(/dedup funnel not available/);
  });

  it('says so when CloudWatch has no datapoints', async () => {
    cloudWatch.on(GetMetricDataCommand).resolves({ MetricDataResults: [{ Id: 'recordsin', Values: [] }] });
    const { io } = captureIo();

    await reportMain(['--out', 'empty.html'], io, clients());

    expect(await readFile(join(dir, 'empty.html'), 'utf8')).toContain(
      'CloudWatch has no CtrLake metrics of ctr-lake-checker',
    );
  });
});
