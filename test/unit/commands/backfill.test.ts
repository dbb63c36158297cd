import {
  AthenaClient,
  GetQueryExecutionCommand,
  GetQueryResultsCommand,
  StartQueryExecutionCommand,
  type GetQueryResultsCommandInput,
  type StartQueryExecutionCommandInput,
} from '@aws-sdk/client-athena';
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import {
  DescribeStreamSummaryCommand,
  KinesisClient,
  PutRecordsCommand,
  type PutRecordsCommandInput,
} from '@aws-sdk/client-kinesis';
import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { backfillMain, type BackfillDependencies } from '../../../commands/backfill';
import type { BackfillSummary } from '../../../commands/backfill/run-backfill';
import { OutputKey } from '../../../commands/shared/stack-outputs';
import { contentFingerprint } from '../../../lambda/shared/fingerprint';
import { loadRealCtrs } from '../../support/real-ctrs';
import { s3Body } from '../../support/s3-body';
import { captureIo, deployedStack, streamSummary } from './deployment-fixtures';

const cloudFormation = mockClient(CloudFormationClient);
const kinesis = mockClient(KinesisClient);
const athena = mockClient(AthenaClient);
const s3 = mockClient(S3Client);

const ctrs = loadRealCtrs();
const region = { region: 'eu-west-1' };

/** The deployment: its outputs, an on-demand stream of 4 shards, and a lake holding `held`. */
function deployment(held: readonly (typeof ctrs)[number][]): { sent: string[]; queries: string[] } {
  const seen = { sent: [] as string[], queries: [] as string[] };
  cloudFormation.on(DescribeStacksCommand).resolves(
    deployedStack({
      [OutputKey.StreamName]: 'ctr-lake-Stream-1',
      [OutputKey.AthenaWorkGroup]: 'ctr-lake',
      [OutputKey.GlueDatabase]: 'ctr_lake',
      [OutputKey.GlueTable]: 'ctr',
    }),
  );
  kinesis.on(DescribeStreamSummaryCommand).resolves(streamSummary('ctr-lake-Stream-1', 'ON_DEMAND', 4));
  let n = 0;
  kinesis.on(PutRecordsCommand).callsFake((input: PutRecordsCommandInput) => {
    seen.sent.push(...(input.Records ?? []).map((r) => r.PartitionKey!));
    return {
      FailedRecordCount: 0,
      Records: (input.Records ?? []).map(() => ({ SequenceNumber: String(++n), ShardId: 's-0' })),
    };
  });
  athena.on(StartQueryExecutionCommand).callsFake((input: StartQueryExecutionCommandInput) => {
    seen.queries.push(input.QueryString!);
    const [, y, m, d] = /year = '(\d+)' AND month = '(\d+)' AND day = '(\d+)'/.exec(input.QueryString!)!;
    return { QueryExecutionId: `${y}-${m}-${d}` };
  });
  athena.on(GetQueryExecutionCommand).resolves({
    QueryExecution: { Status: { State: 'SUCCEEDED' }, Statistics: { DataScannedInBytes: 2048 } },
  });
  athena.on(GetQueryResultsCommand).callsFake((input: GetQueryResultsCommandInput) => {
    const day = input.QueryExecutionId!;
    const fingerprints = held.filter((c) => c.InitiationTimestamp.startsWith(day)).map((c) => contentFingerprint(c));
    return {
      ResultSet: {
        ResultSetMetadata: { ColumnInfo: [{ Name: 'fingerprint', Type: 'varchar' }] },
        Rows: [
          { Data: [{ VarCharValue: 'fingerprint' }] },
          ...fingerprints.map((f) => ({ Data: [{ VarCharValue: f }] })),
        ],
      },
    };
  });
  return seen;
}

describe('npm run backfill against a deployment', () => {
  let cwd: string;
  beforeEach(async () => {
    for (const mock of [cloudFormation, kinesis, athena, s3]) mock.reset();
    cwd = await mkdtemp(join(tmpdir(), 'backfill-cmd-'));
  });
  afterEach(async () => {
    await rm(cwd, { recursive: true, force: true });
  });

  const deps = (extra: Partial<BackfillDependencies> = {}): BackfillDependencies => ({
    cloudFormation: new CloudFormationClient(region),
    kinesis: new KinesisClient(region),
    athena: new AthenaClient(region),
    s3: new S3Client(region),
    athenaPollMs: 1,
    ...extra,
  });

  it('sends an S3 export and a local file to the stream, skipping what the lake holds, and prints a JSON summary', async () => {
    // Arrange: Firehose's own export layout in S3 (objects back to back, GZIP) and a JSON Lines file.
    const seen = deployment([ctrs[0]!]);
    const exported = gzipSync(
      ctrs
        .slice(0, 5)
        .map((c) => JSON.stringify(c))
        .join(''),
    );
    s3.on(ListObjectsV2Command).resolves({ Contents: [{ Key: 'exports/2019/08/x.gz', Size: exported.length }] });
    s3.on(GetObjectCommand).resolves({ Body: s3Body(exported) });
    await writeFile(
      join(cwd, 'rest.jsonl'),
      ctrs
        .slice(5)
        .map((c) => `${JSON.stringify(c)}\n`)
        .join(''),
    );
    const { out, io } = captureIo();

    // Act
    const code = await backfillMain(['s3://history/exports/', 'rest.jsonl', '--json'], { ...io, cwd }, deps());

    // Assert
    expect(code).toBe(0);
    const summary = JSON.parse(out.stdout) as BackfillSummary;
    expect(summary).toMatchObject({
      read: ctrs.length,
      sent: ctrs.length - 1,
      skippedInLake: 1,
      failed: 0,
      malformed: [],
    });
    expect(seen.sent).toEqual(ctrs.slice(1).map((c) => c.ContactId));
    const days = new Set(ctrs.map((c) => c.InitiationTimestamp.slice(0, 10)));
    expect(seen.queries).toHaveLength(days.size);
    expect(athena).toHaveReceivedCommandWith(StartQueryExecutionCommand, {
      WorkGroup: 'ctr-lake',
      QueryExecutionContext: { Database: 'ctr_lake' },
    });
    expect(summary.lakeCheck).toEqual({ queries: days.size, bytesScanned: 2048 * days.size, fingerprints: 1 });
    expect(summary.checkpoint).toBeNull();
    expect(await readdir(join(cwd, '.ctr-lake'))).toEqual([]); // the finished run's checkpoint is gone
    expect(out.stderr).toBe(''); // quiet when not on a terminal
  });

  it('shows what it does and its progress on a terminal', async () => {
    // Arrange
    deployment([]);
    await writeFile(join(cwd, 'all.json'), JSON.stringify(ctrs));
    const { out, io } = captureIo();
    let now = 0;

    // Act
    const code = await backfillMain(
      ['all.json'],
      { ...io, stderr: { ...io.stderr, isTTY: true }, cwd },
      deps({ clock: () => (now += 100) }),
    );

    // Assert
    expect(code).toBe(0);
    expect(out.stderr).toMatch(
      /^Backfilling 1 source into stream ctr-lake-Stream-1 \(on-demand, 4 open shards\), at most 2,000 records\/s\n/,
    );
    const lastLine = out.stderr.split('\r').at(-1)!;
    expect(lastLine).toMatch(/^read 9 · sent 9 · skipped 0 · failed 0 · \d+ records\/s · [\d.]+ KiB/);
    expect(lastLine.endsWith('\u001b[K\n')).toBe(true); // rewritten in place, then ended
    expect(out.stdout).toMatch(/^Backfill into stream ctr-lake-Stream-1/);
  });

  it('refuses a source that does not exist before sending anything', async () => {
    // Arrange
    deployment([]);
    const { out, io } = captureIo();

    // Act
    const code = await backfillMain(['missing.jsonl'], { ...io, cwd }, deps());

    // Assert
    expect(code).toBe(1);
    expect(out.stderr).toBe('error: cannot read missing.jsonl: no such file or directory\n');
    expect(kinesis).not.toHaveReceivedCommand(PutRecordsCommand);
  });

  it('stops with the reason when the lake check fails, before sending anything', async () => {
    // Arrange
    deployment([]);
    athena.on(GetQueryExecutionCommand).resolves({
      QueryExecution: { Status: { State: 'FAILED', StateChangeReason: 'Access denied to the results bucket' } },
    });
    await writeFile(join(cwd, 'all.json'), JSON.stringify(ctrs));
    const { out, io } = captureIo();

    // Act
    const code = await backfillMain(['all.json'], { ...io, cwd }, deps());

    // Assert
    expect(code).toBe(1);
    expect(out.stderr).toMatch(/^error: .*Access denied to the results bucket/);
    expect(kinesis).not.toHaveReceivedCommand(PutRecordsCommand);
  });

  it('says how to find the deployment when the stack does not exist', async () => {
    // Arrange
    cloudFormation
      .on(DescribeStacksCommand)
      .rejects(Object.assign(new Error('Stack with id ctr-lake does not exist'), { name: 'ValidationError' }));
    await writeFile(join(cwd, 'all.json'), JSON.stringify(ctrs));
    const { out, io } = captureIo();

    // Act
    const code = await backfillMain(['all.json'], { ...io, cwd }, deps());

    // Assert
    expect(code).toBe(1);
    expect(out.stderr).toMatch(/stack ctr-lake does not exist in .*: deploy it with `npx cdk deploy --all`/);
  });

  it('refuses deployment options with --lake, and a rate that is not a positive whole number', async () => {
    // Arrange
    const { out, io } = captureIo();

    // Act
    const withStack = await backfillMain(['x.json', '--lake', 'lake', '--stack', 'other'], { ...io, cwd }, deps());
    const badRate = await backfillMain(['x.json', '--rate', 'fast'], { ...io, cwd }, deps());

    // Assert
    expect([withStack, badRate]).toEqual([2, 2]);
    expect(out.stderr).toMatch(
      /--lake backfills into a local lake: --profile, --region and --stack are for a deployment/,
    );
    expect(out.stderr).toMatch(/--rate must be an integer from 1 to 1000000, received "fast"/);
  });

  it('refuses a checkpoint left by a backfill into another target', async () => {
    // Arrange
    deployment([]);
    await writeFile(join(cwd, 'all.json'), JSON.stringify(ctrs));
    await writeFile(join(cwd, 'cp.json'), JSON.stringify({ version: 1, target: 'lake /elsewhere', sources: {} }));
    const { out, io } = captureIo();

    // Act
    const code = await backfillMain(['all.json', '--checkpoint', 'cp.json'], { ...io, cwd }, deps());

    // Assert
    expect(code).toBe(1);
    expect(out.stderr).toMatch(
      /belongs to a backfill into lake \/elsewhere, not stack ctr-lake stream ctr-lake-Stream-1/,
    );
    expect(existsSync(join(cwd, 'cp.json'))).toBe(true);
  });
});
