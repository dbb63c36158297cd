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

  describe("Firehose's record format conversion rules (OpenX JSON SerDe, CaseInsensitive false)", () => {
    /** Writes rows as Parquet and reads back the given columns of what converted, with the refused indexes. */
    async function convert(
      lines: Buffer[],
      columns: string,
    ): Promise<{ refused: number[]; reasons: string[]; rows: Record<string, unknown>[] }> {
      const writer = new LakeWriter({ lakeDir: lake, format: 'parquet', streamName: 'lake' });
      const report = await writer.writeRows(PARTITION, lines, AT);
      await writer.close();
      let rows: Record<string, unknown>[] = [];
      if (report.key) {
        const db = await openDuckDb();
        const read = await db.connection.runAndReadAll(
          `SELECT ${columns} FROM read_parquet(${sqlString(join(lake, report.key))}) ORDER BY contact_id`,
        );
        db.close();
        rows = read.getRowObjectsJson() as Record<string, unknown>[];
      }
      return {
        refused: report.refused.map((r) => r.index),
        reasons: report.refused.map((r) => r.reason),
        rows,
      };
    }

    it('fills a column only from the key of exactly its name: a key in another case is not that column', async () => {
      // Act
      const { rows } = await convert(
        [row('a', { channel: 'VOICE' }), row('b', { Channel: 'CHAT' }), row('c', { CONTACT_ID: 'x' })],
        'contact_id, channel',
      );

      // Assert
      expect(rows).toEqual([
        { contact_id: 'a', channel: 'VOICE' },
        { contact_id: 'b', channel: null },
        { contact_id: 'c', channel: null },
      ]);
    });

    it('keeps the case of attribute names in the attributes map', async () => {
      // Act
      const { rows } = await convert(
        [row('a', { attributes: { CustomerType: 'VIP', customertype: 'lower' } })],
        "contact_id, map_keys(attributes) AS names, attributes['CustomerType'] AS customer_type",
      );

      // Assert
      expect(rows).toEqual([{ contact_id: 'a', names: ['CustomerType', 'customertype'], customer_type: 'VIP' }]);
    });

    it.each([
      ['the row form', '2026-03-04 08:47:33.250', '2026-03-04 08:47:33.25'],
      ['ISO with Z and nine fraction digits', '2026-03-04T08:47:33.123456789Z', '2026-03-04 08:47:33.123456'],
      ['one-digit month and day, no fraction', '2026-3-4 08:47:33', '2026-03-04 08:47:33'],
    ])('reads a timestamp in %s, a form the OpenX SerDe parses', async (_form, text, stored) => {
      // Act
      const { refused, rows } = await convert(
        [row('a', { initiation_timestamp: text })],
        'contact_id, CAST(initiation_timestamp AS VARCHAR) AS initiation_timestamp',
      );

      // Assert
      expect(refused).toEqual([]);
      expect(rows).toEqual([{ contact_id: 'a', initiation_timestamp: stored }]);
    });

    it.each([
      ['an offset', '2026-03-04T08:47:33+01:00'],
      ['ISO without Z', '2026-03-04T08:47:33'],
      ['a date alone', '2026-03-04'],
      ['ten fraction digits', '2026-03-04 08:47:33.1234567890'],
      ['a day that does not exist', '2026-02-30 08:47:33'],
    ])('refuses a row whose timestamp is %s, which the OpenX SerDe cannot read as written', async (_form, value) => {
      // Act
      const { refused, reasons } = await convert([row('a'), row('b', { initiation_timestamp: value })], 'contact_id');

      // Assert
      expect(refused).toEqual([1]);
      expect(reasons[0]).toContain('initiation_timestamp');
    });

    it('refuses an epoch number for a timestamp: AWS reads epoch seconds or milliseconds, the stand-in does not guess which', async () => {
      // Act
      const { refused } = await convert([row('a', { initiation_timestamp: 1772613453 })], 'contact_id');

      // Assert
      expect(refused).toEqual([0]);
    });

    it.each([
      ['a fraction in an int column', { queue_duration: 1.5 }, 'queue_duration'],
      ['an int beyond 32 bits', { queue_duration: 2 ** 31 }, 'queue_duration'],
      ['a number in a string column', { channel: 7 }, 'channel'],
      ['an attribute value that is no string', { attributes: { nested: { a: 1 } } }, 'attributes'],
      ['an array for the map', { attributes: ['a'] }, 'attributes'],
    ])('refuses a row with %s rather than altering it', async (_case, extra, column) => {
      // Act
      const { refused, reasons } = await convert([row('a'), row('b', extra)], 'contact_id');

      // Assert
      expect(refused).toEqual([1]);
      expect(reasons[0]).toContain(column);
    });

    it('reads null and absent columns as NULL, and a null attribute value as a NULL entry', async () => {
      // Act
      const { rows } = await convert(
        [row('a', { channel: null, attributes: { gone: null, kept: 'x' } })],
        "contact_id, channel, disconnect_reason, attributes['gone'] AS gone, attributes['kept'] AS kept",
      );

      // Assert
      expect(rows).toEqual([{ contact_id: 'a', channel: null, disconnect_reason: null, gone: null, kept: 'x' }]);
    });
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
