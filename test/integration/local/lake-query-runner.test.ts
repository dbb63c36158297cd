import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LakeWriter } from '../../../local/lake/lake-writer';
import { LakeQueryRunner } from '../../../local/query/lake-query-runner';

const row = (contactId: string, lastUpdate: string, fingerprint: string) =>
  Buffer.from(
    `${JSON.stringify({
      contact_id: contactId,
      fingerprint,
      channel: 'VOICE',
      initiation_timestamp: '2026-03-04 08:00:00.000',
      last_update_timestamp: lastUpdate,
    })}\n`,
  );
const PARTITION = { year: '2026', month: '03', day: '04' };

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
    expect(results.ctr_latest!.columns).toContain('raw_ctr');
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
});
