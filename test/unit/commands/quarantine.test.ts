import {
  AthenaClient,
  GetQueryExecutionCommand,
  GetQueryResultsCommand,
  StartQueryExecutionCommand,
} from '@aws-sdk/client-athena';
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { FirehoseClient, PutRecordBatchCommand } from '@aws-sdk/client-firehose';
import { DescribeStreamSummaryCommand, KinesisClient, PutRecordsCommand } from '@aws-sdk/client-kinesis';
import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { gzipSync } from 'node:zlib';
import { quarantineMain, type QuarantineDependencies } from '../../../commands/quarantine';
import { OutputKey } from '../../../commands/shared/stack-outputs';
import { anAcceptedEnvelope, aQuarantinedEnvelope } from '../../support/ctr-factory';
import { anErrorRecord, errorObject } from '../../support/error-records';
import { loadRealCtrs } from '../../support/real-ctrs';
import { s3Body } from '../../support/s3-body';
import { captureIo, deployedStack, streamSummary } from './deployment-fixtures';

const cloudFormation = mockClient(CloudFormationClient);
const s3 = mockClient(S3Client);
const kinesis = mockClient(KinesisClient);
const firehose = mockClient(FirehoseClient);
const athena = mockClient(AthenaClient);
const region = { region: 'eu-west-1' };
const ctrs = loadRealCtrs();

const deps = (): QuarantineDependencies => ({
  cloudFormation: new CloudFormationClient(region),
  s3: new S3Client(region),
  kinesis: new KinesisClient(region),
  firehose: new FirehoseClient(region),
  athena: new AthenaClient(region),
  athenaPollMs: 1,
});

/** The lake bucket's errors/: a GZIP object of two records and a plain one of one, as Firehose writes them. */
function errorsInBucket(): void {
  const refused = { ...ctrs[0]!, InitiationTimestamp: 'yesterday' };
  const objects: Record<string, Buffer> = {
    'errors/processing-failed/2026/03/05/14/ctr-lake-1-2026-03-05-14-03-11-a.gz': gzipSync(
      errorObject([
        anErrorRecord(
          aQuarantinedEnvelope('INVALID_FIELD', Buffer.from(JSON.stringify(refused)), {
            detail: 'expected InitiationTimestamp …',
          }),
        ),
        anErrorRecord(anAcceptedEnvelope(ctrs[1]), {
          errorCode: 'Lambda.FunctionError',
          errorMessage: 'Task timed out',
        }),
      ]),
    ),
    'errors/processing-failed/2026/03/05/15/ctr-lake-1-2026-03-05-15-00-00-b': errorObject([
      anErrorRecord(aQuarantinedEnvelope('INVALID_FIELD', Buffer.from(JSON.stringify(ctrs[2]))), {
        arrival: new Date('2026-03-05T15:00:00Z'),
      }),
    ]),
  };
  s3.on(ListObjectsV2Command, { Bucket: 'lake-bucket', Prefix: 'errors/' }).resolves({
    Contents: Object.entries(objects).map(([Key, body]) => ({ Key, Size: body.length })),
  });
  for (const [Key, body] of Object.entries(objects)) s3.on(GetObjectCommand, { Key }).resolves({ Body: s3Body(body) });
}

describe('npm run quarantine against a deployment', () => {
  beforeEach(() => {
    for (const mock of [cloudFormation, s3, kinesis, firehose, athena]) mock.reset();
    cloudFormation.on(DescribeStacksCommand).resolves(
      deployedStack({
        [OutputKey.LakeBucketName]: 'lake-bucket',
        [OutputKey.StreamName]: 'stream',
        [OutputKey.DeliveryStreamName]: 'delivery',
        [OutputKey.AthenaWorkGroup]: 'ctr-lake',
        [OutputKey.GlueDatabase]: 'ctr_lake',
        [OutputKey.GlueTable]: 'ctr',
      }),
    );
  });

  it('lists what is under errors/: time, type, reason, contact id and size, oldest first', async () => {
    // Arrange
    errorsInBucket();
    const { out, io } = captureIo();

    // Act
    const code = await quarantineMain([], io, deps());

    // Assert
    expect(code).toBe(0);
    expect(out.stdout).toMatch(/^3 quarantined records under s3:\/\/lake-bucket\/errors\/ \(oldest first\)\n/);
    expect(out.stdout).toMatch(/#\s+time\s+type\s+reason\s+contact id\s+size\n/);
    expect(out.stdout).toMatch(
      new RegExp(
        `1\\s+2026-03-05 14:03:11Z\\s+processing-failed\\s+INVALID_FIELD\\s+${ctrs[0]!.ContactId}\\s+[\\d.]+ KiB\\n`,
      ),
    );
    expect(out.stdout).toMatch(
      new RegExp(`2\\s+2026-03-05 14:03:11Z\\s+processing-failed\\s+Lambda\\.FunctionError\\s+${ctrs[1]!.ContactId}`),
    );
    expect(out.stdout).toMatch(/3\s+2026-03-05 15:00:00Z/);
    expect(out.stdout).toMatch(/By reason:\n {2}INVALID_FIELD ×2\n {2}Lambda\.FunctionError ×1\n/);
  });

  it('prints one record decoded, with the original CTR and what a redrive would do', async () => {
    // Arrange
    errorsInBucket();
    const { out, io } = captureIo();

    // Act
    const code = await quarantineMain(['--show', '2'], io, deps());

    // Assert
    expect(code).toBe(0);
    expect(out.stdout).toMatch(
      /^Record 2: s3:\/\/lake-bucket\/errors\/processing-failed\/2026\/03\/05\/14\/\S+\.gz line 2 /,
    );
    expect(out.stdout).toMatch(/firehose error +Lambda\.FunctionError: Task timed out\n/);
    expect(out.stdout).toMatch(/redrive +would put it back on the delivery stream: transient: Lambda\.FunctionError\n/);
    expect(out.stdout).toContain(JSON.stringify(ctrs[1], null, 2));
  });

  it('refuses a record number past the end, saying how many there are', async () => {
    // Arrange
    errorsInBucket();
    const { out, io } = captureIo();

    // Act
    const code = await quarantineMain(['--show', '9'], io, deps());

    // Assert
    expect(code).toBe(2);
    expect(out.stderr).toMatch(/^error: --show 9: s3:\/\/lake-bucket\/errors\/ holds 3 records\n/);
  });

  it('says when nothing was quarantined', async () => {
    // Arrange
    s3.on(ListObjectsV2Command).resolves({ Contents: [] });
    const { out, io } = captureIo();

    // Act
    const code = await quarantineMain([], io, deps());

    // Assert
    expect(code).toBe(0);
    expect(out.stdout).toBe('Nothing under s3://lake-bucket/errors/: no record was quarantined.\n');
  });

  it('redrives through the deployed stream and delivery stream, and says what it left', async () => {
    // Arrange
    errorsInBucket();
    kinesis.on(DescribeStreamSummaryCommand).resolves(streamSummary('stream', 'PROVISIONED', 1));
    kinesis.on(PutRecordsCommand).resolves({ FailedRecordCount: 0, Records: [{ SequenceNumber: '1', ShardId: 's' }] });
    firehose.on(PutRecordBatchCommand).resolves({ FailedPutCount: 0, RequestResponses: [{ RecordId: 'r' }] });
    athena.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: 'q' });
    athena
      .on(GetQueryExecutionCommand)
      .resolves({ QueryExecution: { Status: { State: 'SUCCEEDED' }, Statistics: { DataScannedInBytes: 10 } } });
    athena.on(GetQueryResultsCommand).resolves({
      ResultSet: { ResultSetMetadata: { ColumnInfo: [{ Name: 'fingerprint', Type: 'varchar' }] }, Rows: [] },
    });
    const { out, io } = captureIo();

    // Act
    const code = await quarantineMain(['--redrive'], io, deps());

    // Assert
    expect(code).toBe(0);
    expect(out.stdout).toMatch(
      /^Redrive: 2 sent back \(1 to the stream, 1 to the delivery stream\), 0 already in the lake, 1 left, 0 failed\.\n/,
    );
    expect(out.stdout).toMatch(
      /Left under errors\/ \(1\):\n {2}#1 INVALID_FIELD ContactId \S+: the checker still quarantines it/,
    );
    expect(kinesis).toHaveReceivedCommandWith(PutRecordsCommand, { StreamName: 'stream' });
    expect(firehose).toHaveReceivedCommandWith(PutRecordBatchCommand, { DeliveryStreamName: 'delivery' });
  });

  it('refuses --show with --redrive, and deployment options with --lake', async () => {
    // Arrange
    const { out, io } = captureIo();

    // Act
    const both = await quarantineMain(['--show', '1', '--redrive'], io, deps());
    const local = await quarantineMain(['--lake', 'lake', '--profile', 'p'], io, deps());

    // Assert
    expect([both, local]).toEqual([2, 2]);
    expect(out.stderr).toMatch(/--show and --redrive go one at a time/);
    expect(out.stderr).toMatch(/--lake lists a local lake: --profile, --region and --stack are for a deployment/);
  });

  it('says why when the lake bucket cannot be listed', async () => {
    // Arrange
    s3.on(ListObjectsV2Command).rejects(Object.assign(new Error('Access Denied'), { name: 'AccessDenied' }));
    const { out, io } = captureIo();

    // Act
    const code = await quarantineMain([], io, deps());

    // Assert
    expect(code).toBe(1);
    expect(out.stderr).toBe('error: cannot list s3://lake-bucket/errors/: AccessDenied: Access Denied\n');
  });
});
