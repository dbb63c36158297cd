import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dayFingerprintsSql } from '../../../commands/backfill/lake-fingerprints';
import { LAKE_DATA_PREFIX } from '../../../lambda/shared/row-schema';
import { LakeWriter } from '../../../local-aws/lake/lake-writer';
import { LakeQueryRunner } from '../../../local-aws/query/lake-query-runner';

const row = (fingerprint: string, initiation: string): Buffer =>
  Buffer.from(`${JSON.stringify({ contact_id: fingerprint, fingerprint, initiation_timestamp: initiation })}\n`);

describe("the backfill's lake check query", () => {
  let lake: string;
  beforeEach(async () => {
    lake = await mkdtemp(join(tmpdir(), 'lake-check-'));
  });
  afterEach(async () => {
    await rm(lake, { recursive: true, force: true });
  });

  it.each(['parquet', 'json'] as const)(
    'reads only the day it names (%s): another day unreadable does not fail it',
    async (format) => {
      // Arrange: two days; the second day's objects are made unreadable, so a query that opened them would fail.
      const writer = new LakeWriter({ lakeDir: lake, format, streamName: 'lake' });
      const day = { year: '2019', month: '08', day: '04' };
      const next = { year: '2019', month: '08', day: '05' };
      await writer.writeRows(
        day,
        [row('a'.repeat(64), '2019-08-04 01:54:00.000'), row('b'.repeat(64), '2019-08-04 02:00:00.000')],
        new Date(),
      );
      await writer.writeRows(next, [row('c'.repeat(64), '2019-08-05 09:00:00.000')], new Date());
      await writer.close();
      const nextDir = join(lake, LAKE_DATA_PREFIX, 'year=2019', 'month=08', 'day=05');
      for (const file of await readdir(nextDir)) await writeFile(join(nextDir, file), 'not a lake object');
      const runner = await LakeQueryRunner.open({ lakeDir: lake });

      // Act
      const { rows } = await runner.query(dayFingerprintsSql('ctr', day));
      const everyDay = await runner.query('SELECT DISTINCT fingerprint FROM ctr').then(
        () => 'read every object',
        (error: unknown) => String(error),
      );
      runner.close();

      // Assert
      expect(rows.map((r) => r.fingerprint).sort()).toEqual(['a'.repeat(64), 'b'.repeat(64)]);
      expect(everyDay).toMatch(/day=05/); // the unreadable day is there to be read: the day filter is what skips it
    },
  );
});
