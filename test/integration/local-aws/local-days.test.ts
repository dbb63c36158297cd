import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LAKE_DATA_PREFIX } from '../../../lambda/shared/row-schema';
import { LakeQueryRunner } from '../../../local-aws/query/lake-query-runner';
import { writeLake, type Contact } from '../../support/lake-fixture';

/**
 * The named queries count per local day and hour of ctrLake:reportingTimeZone on DuckDB, from the same files Athena
 * runs (the stack's copies are checked in test/infra/ctr-analytics.test.ts). Rows are written to their UTC partition
 * as the transform writes them.
 */

/**
 * Makes a UTC day's objects unreadable: a query that opens one fails, so passing proves it was never read. Only a
 * day after the ones a query needs: DuckDB opens the first object in path order to learn the Parquet schema.
 */
async function corruptUtcDay(lake: string, day: string): Promise<void> {
  const [year, month, dd] = day.split('-');
  const dir = join(lake, LAKE_DATA_PREFIX, `year=${year}`, `month=${month}`, `day=${dd}`);
  for (const file of await readdir(dir)) await writeFile(join(dir, file), 'not a lake object');
}

describe('named queries on the local days of ctrLake:reportingTimeZone', () => {
  let lake: string;
  let runner: LakeQueryRunner | undefined;
  beforeEach(async () => {
    lake = await mkdtemp(join(tmpdir(), 'local-days-'));
  });
  afterEach(async () => {
    runner?.close();
    runner = undefined;
    await rm(lake, { recursive: true, force: true });
  });

  describe('Asia/Seoul (UTC+9)', () => {
    const contacts: Contact[] = [
      // 2026-03-07 23:58 KST, transferred at 2026-03-08 00:03 KST: one call, on the 7th.
      { id: 'first', at: '2026-03-07T14:58:00Z', queued: true, answered: true },
      { id: 'transfer', at: '2026-03-07T15:03:00Z', initial: 'first', queued: true, answered: true },
      // 2026-03-08 08:59 KST, still the 7th in UTC; abandoned in the queue.
      { id: 'morning', at: '2026-03-07T23:59:00Z', queued: true },
      // 2026-03-09 00:30 KST, a CHAT.
      { id: 'chat', at: '2026-03-08T15:30:00Z', channel: 'CHAT' },
    ];

    it('counts a call transferred across local midnight once, on the local day of its first contact', async () => {
      await writeLake(lake, contacts);
      runner = await LakeQueryRunner.open({ lakeDir: lake, timeZone: 'Asia/Seoul' });

      const calls = await runner.runNamed('calls_per_day');
      const ctrs = await runner.runNamed('ctrs_per_day');

      expect(calls.rows).toEqual([
        { day: '2026-03-07', channel: 'VOICE', calls: 1 },
        { day: '2026-03-08', channel: 'VOICE', calls: 1 },
        { day: '2026-03-09', channel: 'CHAT', calls: 1 },
      ]);
      expect(ctrs.rows).toEqual([
        { day: '2026-03-07', channel: 'VOICE', ctrs: 1 },
        { day: '2026-03-08', channel: 'VOICE', ctrs: 2 },
        { day: '2026-03-09', channel: 'CHAT', ctrs: 1 },
      ]);
    });

    it('puts contacts on their local weekday and hour, and abandonment on the local day', async () => {
      await writeLake(lake, contacts);
      runner = await LakeQueryRunner.open({ lakeDir: lake, timeZone: 'Asia/Seoul' });

      const hours = await runner.runNamed('contacts_by_hour');
      const abandonment = await runner.runNamed('abandonment_rate_per_day');

      // 2026-03-07 is a Saturday (6), the 8th a Sunday (7), the 9th a Monday (1).
      expect(hours.rows).toEqual([
        { weekday: 1, hour_of_day: 0, contacts: 1 },
        { weekday: 6, hour_of_day: 23, contacts: 1 },
        { weekday: 7, hour_of_day: 0, contacts: 1 },
        { weekday: 7, hour_of_day: 8, contacts: 1 },
      ]);
      expect(abandonment.rows).toEqual([
        { day: '2026-03-07', queued_contacts: 1, abandoned_contacts: 0, abandonment_rate_percent: 0 },
        { day: '2026-03-08', queued_contacts: 2, abandoned_contacts: 1, abandonment_rate_percent: 50 },
      ]);
    });

    it('answers for one local day from the two UTC partitions it spans, and keeps a call on its first day', async () => {
      await writeLake(lake, [...contacts, { id: 'far-before', at: '2026-03-05T12:00:00Z' }]);
      await writeLake(lake, [{ id: 'far-after', at: '2026-03-10T12:00:00Z' }]);
      await corruptUtcDay(lake, '2026-03-10');
      runner = await LakeQueryRunner.open({ lakeDir: lake, timeZone: 'Asia/Seoul' });
      const days = { from: '2026-03-08', to: '2026-03-08' };

      const calls = await runner.runNamed('calls_per_day', { days });
      const ctrs = await runner.runNamed('ctrs_per_day', { days });
      const everything = await runner.runNamed('ctrs_per_day').then(
        () => 'read every partition',
        (error: unknown) => String(error),
      );

      // The transfer at 00:03 on the 8th belongs to the call that started on the 7th: not a call of the 8th.
      expect(calls.rows).toEqual([{ day: '2026-03-08', channel: 'VOICE', calls: 1 }]);
      expect(ctrs.rows).toEqual([{ day: '2026-03-08', channel: 'VOICE', ctrs: 2 }]);
      expect(everything).toMatch(/day=10/);
    });
  });

  describe('America/New_York (UTC-5, UTC-4 in summer)', () => {
    it('counts the 23-hour spring-forward day (2026-03-08) with its local days and hours', async () => {
      await writeLake(lake, [
        { id: 'sat-late', at: '2026-03-08T04:30:00Z' }, // Sat 7th 23:30 EST
        { id: 'sun-early', at: '2026-03-08T06:30:00Z' }, // Sun 8th 01:30 EST
        { id: 'sun-after-change', at: '2026-03-08T07:30:00Z' }, // Sun 8th 03:30 EDT (02:00-03:00 never happens)
        { id: 'sun-late', at: '2026-03-09T03:30:00Z' }, // Sun 8th 23:30 EDT
        { id: 'mon-early', at: '2026-03-09T04:30:00Z' }, // Mon 9th 00:30 EDT
        { id: 'far-after', at: '2026-03-11T12:00:00Z' },
      ]);
      // Local days 7th-9th run from 2026-03-07T05:00Z to 2026-03-10T04:00Z: the 11th is never read.
      await corruptUtcDay(lake, '2026-03-11');
      runner = await LakeQueryRunner.open({ lakeDir: lake, timeZone: 'America/New_York' });
      const days = { from: '2026-03-07', to: '2026-03-09' };

      const ctrs = await runner.runNamed('ctrs_per_day', { days: { from: '2026-03-08', to: '2026-03-08' } });
      const hours = await runner.runNamed('contacts_by_hour', { days });
      const calls = await runner.runNamed('calls_per_day', { days });

      expect(ctrs.rows).toEqual([{ day: '2026-03-08', channel: 'VOICE', ctrs: 3 }]);
      expect(hours.rows).toEqual([
        { weekday: 1, hour_of_day: 0, contacts: 1 },
        { weekday: 6, hour_of_day: 23, contacts: 1 },
        { weekday: 7, hour_of_day: 1, contacts: 1 },
        { weekday: 7, hour_of_day: 3, contacts: 1 },
        { weekday: 7, hour_of_day: 23, contacts: 1 },
      ]);
      expect(calls.rows).toEqual([
        { day: '2026-03-07', channel: 'VOICE', calls: 1 },
        { day: '2026-03-08', channel: 'VOICE', calls: 3 },
        { day: '2026-03-09', channel: 'VOICE', calls: 1 },
      ]);
    });

    it('counts the 25-hour fall-back day (2026-11-01), whose 01:00 hour happens twice', async () => {
      await writeLake(lake, [
        { id: 'edt', at: '2026-11-01T05:30:00Z' }, // 01:30 EDT
        { id: 'est', at: '2026-11-01T06:30:00Z' }, // 01:30 EST, an hour later
        { id: 'last', at: '2026-11-02T04:30:00Z' }, // 23:30 EST, still the 1st
        { id: 'next', at: '2026-11-02T05:30:00Z' }, // 00:30 EST on the 2nd
      ]);
      runner = await LakeQueryRunner.open({ lakeDir: lake, timeZone: 'America/New_York' });

      const ctrs = await runner.runNamed('ctrs_per_day');
      const hours = await runner.runNamed('contacts_by_hour');

      expect(ctrs.rows).toEqual([
        { day: '2026-11-01', channel: 'VOICE', ctrs: 3 },
        { day: '2026-11-02', channel: 'VOICE', ctrs: 1 },
      ]);
      expect(hours.rows).toEqual([
        { weekday: 1, hour_of_day: 0, contacts: 1 },
        { weekday: 7, hour_of_day: 1, contacts: 2 },
        { weekday: 7, hour_of_day: 23, contacts: 1 },
      ]);
    });
  });

  it('keeps UTC days when no zone is configured', async () => {
    await writeLake(lake, [{ id: 'a', at: '2026-03-07T23:30:00Z' }]);
    runner = await LakeQueryRunner.open({ lakeDir: lake });

    expect((await runner.runNamed('calls_per_day')).rows).toEqual([{ day: '2026-03-07', channel: 'VOICE', calls: 1 }]);
  });
});
