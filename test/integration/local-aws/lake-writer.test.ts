import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { openDuckDb } from '../../../local-aws/lake/duckdb';
import { LakeWriter } from '../../../local-aws/lake/lake-writer';
import { sqlString } from '../../../local-aws/lake/sql';

const PARTITION = { year: '2026', month: '03', day: '04' };
const AT = new Date('2026-03-04T10:11:12Z');
const row = (contactId: string, extra: Record<string, unknown> = {}) =>
  Buffer.from(
    `${JSON.stringify({
      contact_id: contactId,
      fingerprint: `fp-${contactId}`,
      initiation_timestamp: '2026-03-04 08:47:33.000',
      queue_duration: 95,
      attributes: { language: 'en-US' },
      ...extra,
    })}\n`,
  );

describe('LakeWriter', () => {
  let lake: string;
  beforeEach(async () => {
    lake = await mkdtemp(join(tmpdir(), 'lake-writer-'));
  });
  afterEach(async () => {
    await rm(lake, { recursive: true, force: true });
  });

  it('writes Snappy Parquet typed from the row schema under the partition prefix', async () => {
    // Arrange
    const writer = new LakeWriter({ lakeDir: lake, format: 'parquet', streamName: 'lake' });

    // Act
    const report = await writer.writeRows(PARTITION, [row('a'), row('b')], AT);
    await writer.close();

    // Assert
    expect(report.key).toMatch(/^ctr\/year=2026\/month=03\/day=04\/lake-1-2026-03-04-10-11-12-.+\.parquet$/);
    const db = await openDuckDb();
    const path = sqlString(join(lake, report.key!));
    const types = await db.connection.runAndReadAll(
      `SELECT name, type FROM parquet_schema(${path}) WHERE name IN ('initiation_timestamp', 'queue_duration', 'attributes')`,
    );
    const compression = await db.connection.runAndReadAll(`SELECT DISTINCT compression FROM parquet_metadata(${path})`);
    const rows = await db.connection.runAndReadAll(
      `SELECT contact_id, attributes['language'] AS language FROM read_parquet(${path})`,
    );
    db.close();
    expect(types.getRowObjectsJson()).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ name: 'initiation_timestamp', type: 'INT64' }),
        expect.objectContaining({ name: 'queue_duration', type: 'INT32' }),
      ]),
    );
    expect(compression.getRowObjectsJson()).toEqual([{ compression: 'SNAPPY' }]);
    expect(rows.getRowObjectsJson()).toEqual([
      { contact_id: 'a', language: 'en-US' },
      { contact_id: 'b', language: 'en-US' },
    ]);
  });

  it('keeps the rows that convert and reports the ones that do not', async () => {
    // Arrange
    const writer = new LakeWriter({ lakeDir: lake, format: 'parquet', streamName: 'lake' });

    // Act
    const report = await writer.writeRows(
      PARTITION,
      [row('a'), row('bad', { queue_duration: 'not a number' }), row('c')],
      AT,
    );
    await writer.close();

    // Assert
    expect(report.refused.map((r) => r.index)).toEqual([1]);
    expect(report.key).toBeDefined();
  });

  it('writes GZIP JSON lines in JSON format', async () => {
    // Arrange
    const writer = new LakeWriter({ lakeDir: lake, format: 'json', streamName: 'lake' });

    // Act
    const report = await writer.writeRows(PARTITION, [row('a'), row('b')], AT);

    // Assert
    expect(report.key).toMatch(/\.json\.gz$/);
    const lines = gunzipSync(await readFile(join(lake, report.key!)))
      .toString()
      .trim()
      .split('\n');
    expect(lines.map((l) => (JSON.parse(l) as { contact_id: string }).contact_id)).toEqual(['a', 'b']);
  });

  it('writes error records as JSON lines under the error prefix and leaves no temporary file', async () => {
    // Arrange
    const writer = new LakeWriter({ lakeDir: lake, format: 'parquet', streamName: 'lake' });
    const record = {
      attemptsMade: 1,
      arrivalTimestamp: 1,
      errorCode: 'Lambda.ProcessingFailed',
      errorMessage: 'm',
      attemptEndingTimestamp: 2,
      rawData: 'eA==',
      lambdaArn: 'fn',
    };

    // Act
    const key = await writer.writeErrors('processing-failed', [record], AT);

    // Assert
    expect(key).toMatch(/^errors\/processing-failed\/2026\/03\/04\/10\/lake-1-/);
    expect(JSON.parse(await readFile(join(lake, key), 'utf8'))).toEqual(record);
    expect(await readdir(join(lake, '.state', 'tmp'))).toEqual([]);
  });
});
