import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LAKE_DATA_PREFIX, PARTITION_KEYS, ROW_COLUMNS } from '../../../lambda/shared/row-schema';
import { LakeWriter } from '../../../local-aws/lake/lake-writer';
import { LakeQueryRunner } from '../../../local-aws/query/lake-query-runner';

const row = (contactId: string, lastUpdate: string, fingerprint: string, initiation = '2026-03-04 08:00:00.000') =>
  Buffer.from(
    `${JSON.stringify({
      contact_id: contactId,
      fingerprint,
      channel: 'VOICE',
      initiation_timestamp: initiation,
      last_update_timestamp: lastUpdate,
    })}\n`,
  );
const PARTITION = { year: '2026', month: '03', day: '04' };
const NEXT_DAY = { year: '2026', month: '03', day: '05' };

/** Overwrites every object of a partition with bytes no reader accepts: a query that opens one fails. */
async function corruptPartition(lake: string, partition: typeof PARTITION): Promise<void> {
  const dir = join(
    lake,
    LAKE_DATA_PREFIX,
    `year=${partition.year}`,
    `month=${partition.month}`,
    `day=${partition.day}`,
  );
  for (const file of await readdir(dir)) await writeFile(join(dir, file), 'not a lake object');
}

describe('LakeQueryRunner', () => {
  let lake: string;
  beforeEach(async () => {
    lake = await mkdtemp(join(tmpdir(), 'lake-query-'));
  });
  afterEach(async () => {
    await rm(lake, { recursive: true, force: true });
  });

  it('answers every named query on an empty lake', async () => {
    // Arrange
    const runner = await LakeQueryRunner.open({ lakeDir: lake });

    // Act
    const results = await runner.runAll();
    const rows = await runner.rowCount();
    runner.close();

    // Assert
    expect(rows).toBe(0);
    expect(Object.values(results).every((result) => result.rows.length === 0)).toBe(true);
    expect(results.ctr_latest!.columns).toEqual([...ROW_COLUMNS, ...PARTITION_KEYS].map((column) => column.name));
  });

  it('reads Parquet and JSON objects alike, with the partition columns as strings', async () => {
    // Arrange
    const parquet = new LakeWriter({ lakeDir: lake, format: 'parquet', streamName: 'lake' });
    await parquet.writeRows(PARTITION, [row('a', '2026-03-04 09:00:00.000', 'fa')], new Date());
    await parquet.close();
    await new LakeWriter({ lakeDir: lake, format: 'json', streamName: 'lake' }).writeRows(
      PARTITION,
      [row('b', '2026-03-04 09:00:00.000', 'fb')],
      new Date(),
    );
    const runner = await LakeQueryRunner.open({ lakeDir: lake });

    // Act
    const { rows } = await runner.query('SELECT contact_id, year, month, day FROM ctr ORDER BY contact_id');
    runner.close();

    // Assert
    expect(rows).toEqual([
      { contact_id: 'a', year: '2026', month: '03', day: '04' },
      { contact_id: 'b', year: '2026', month: '03', day: '04' },
    ]);
  });

  it('creates ctr_latest from its SQL file: the newest version of each contact', async () => {
    // Arrange
    const writer = new LakeWriter({ lakeDir: lake, format: 'parquet', streamName: 'lake' });
    await writer.writeRows(
      PARTITION,
      [row('a', '2026-03-04 09:00:00.000', 'old'), row('a', '2026-03-04 10:00:00.000', 'new')],
      new Date(),
    );
    await writer.close();
    const runner = await LakeQueryRunner.open({ lakeDir: lake });

    // Act
    const { rows } = await runner.query('SELECT fingerprint FROM ctr_latest');
    runner.close();

    // Assert
    expect(rows).toEqual([{ fingerprint: 'new' }]);
  });

  it.each(['parquet', 'json'] as const)(
    'prunes partitions through ctr_latest: a %s query filtered on one day never opens another day',
    async (format) => {
      // Arrange: the other day's objects are unreadable, so reading them would fail the query. (They sort after the
      // kept day's, so DuckDB does not open them to learn the Parquet schema either.)
      const writer = new LakeWriter({ lakeDir: lake, format, streamName: 'lake' });
      await writer.writeRows(
        PARTITION,
        [row('a', '2026-03-04 09:00:00.000', 'old'), row('a', '2026-03-04 10:00:00.000', 'new')],
        new Date(),
      );
      await writer.writeRows(
        NEXT_DAY,
        [row('b', '2026-03-05 09:00:00.000', 'fb', '2026-03-05 08:00:00.000')],
        new Date(),
      );
      await writer.close();
      await corruptPartition(lake, NEXT_DAY);
      const runner = await LakeQueryRunner.open({ lakeDir: lake });

      // Act
      const filtered = await runner.query(
        "SELECT contact_id, fingerprint, year, month, day FROM ctr_latest WHERE year = '2026' AND month = '03' AND day = '04'",
      );
      const unfiltered = await runner.query('SELECT contact_id FROM ctr_latest').then(
        () => 'read every object',
        (error: unknown) => String(error),
      );
      runner.close();

      // Assert
      expect(filtered.rows).toEqual([{ contact_id: 'a', fingerprint: 'new', ...PARTITION }]);
      expect(unfiltered).toMatch(/day=05/);
    },
  );

  it('sees objects written after it opened once refreshed', async () => {
    // Arrange
    const runner = await LakeQueryRunner.open({ lakeDir: lake });
    const writer = new LakeWriter({ lakeDir: lake, format: 'json', streamName: 'lake' });
    await writer.writeRows(PARTITION, [row('a', '2026-03-04 09:00:00.000', 'fa')], new Date());

    // Act
    await runner.refresh();
    const rows = await runner.rowCount();
    runner.close();

    // Assert
    expect(rows).toBe(1);
  });

  it('runs the Athena functions it provides as macros', async () => {
    // Arrange
    const runner = await LakeQueryRunner.open({ lakeDir: lake });

    // Act
    const { rows } = await runner.query(
      "SELECT from_iso8601_timestamp('2026-03-04T10:00:00+02:00') AS ts, to_iso8601(TIMESTAMP '2026-03-04 08:00:00') AS iso",
    );
    runner.close();

    // Assert
    expect(rows).toEqual([{ ts: '2026-03-04T08:00:00.000Z', iso: '2026-03-04T08:00:00.000Z' }]);
  });

  it('needs the ctr_latest view definition', async () => {
    // Arrange
    const queries = await mkdtemp(join(tmpdir(), 'queries-'));
    await writeFile(join(queries, 'calls_per_day.sql'), 'SELECT 1');

    // Act / Assert
    await expect(LakeQueryRunner.open({ lakeDir: lake, queriesDir: queries })).rejects.toThrow(/no ctr_latest\.sql/);
    await rm(queries, { recursive: true, force: true });
  });

  describe('repeat_callers', () => {
    /** One call's CTR row: who called, which call it belongs to, how it started, and on which day. */
    const callRow = (
      contactId: string,
      caller: string | null,
      options: { initialContactId?: string; method?: string; day?: string } = {},
    ) =>
      Buffer.from(
        `${JSON.stringify({
          contact_id: contactId,
          fingerprint: `f-${contactId}`,
          channel: 'VOICE',
          initiation_method: options.method ?? 'INBOUND',
          initiation_timestamp: `2026-03-${options.day ?? '04'} 08:00:00.000`,
          last_update_timestamp: `2026-03-${options.day ?? '04'} 09:00:00.000`,
          customer_endpoint: caller,
          initial_contact_id: options.initialContactId ?? null,
        })}\n`,
      );

    async function repeatCallers(rows: Record<string, Buffer[]>): Promise<unknown[]> {
      const writer = new LakeWriter({ lakeDir: lake, format: 'parquet', streamName: 'lake' });
      for (const [day, lines] of Object.entries(rows)) {
        await writer.writeRows({ year: '2026', month: '03', day }, lines, new Date());
      }
      await writer.close();
      const runner = await LakeQueryRunner.open({ lakeDir: lake });
      try {
        return [...(await runner.runNamed('repeat_callers')).rows];
      } finally {
        runner.close();
      }
    }

    it('lists callers with more than one call, a transferred call counted once, calls made by the centre left out', async () => {
      // Arrange
      const repeat = 'hmac:'.padEnd(69, 'a');
      const once = 'hmac:'.padEnd(69, 'b');

      // Act
      const rows = await repeatCallers({
        '04': [
          callRow('c1', repeat),
          callRow('c2', repeat, { initialContactId: 'c1', method: 'TRANSFER' }),
          callRow('c3', once),
          callRow('c4', once, { method: 'OUTBOUND' }),
        ],
        '05': [
          callRow('c5', repeat, { day: '05' }),
          callRow('c6', null, { day: '05' }),
          callRow('c7', '', { day: '05' }),
        ],
      });

      // Assert
      expect(rows).toEqual([{ caller: repeat, calls: 2, first_day: '2026-03-04', last_day: '2026-03-05' }]);
    });

    it('works on numbers in clear (keep) and returns nothing when they were dropped', async () => {
      // Act
      const rows = await repeatCallers({
        '04': [callRow('c1', '+15551234567'), callRow('c2', '+15551234567'), callRow('c3', null), callRow('c4', null)],
      });

      // Assert
      expect(rows).toEqual([{ caller: '+15551234567', calls: 2, first_day: '2026-03-04', last_day: '2026-03-04' }]);
    });
  });
});
