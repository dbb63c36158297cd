import { dayOf, isDay, locateObject, partitionOfDay } from '../../../lambda/compaction/partition';

describe('partition', () => {
  it('accepts real days only', () => {
    expect(isDay('2026-02-28')).toBe(true);
    expect(isDay('2024-02-29')).toBe(true);
    expect(isDay('2026-02-29')).toBe(false);
    expect(isDay('2026-3-05')).toBe(false);
    expect(() => partitionOfDay('yesterday')).toThrow('expected a day as YYYY-MM-DD, received "yesterday"');
  });

  it('maps a day to its partition keys and prefix', () => {
    expect(partitionOfDay('2026-03-05')).toEqual({
      day: '2026-03-05',
      keys: { year: '2026', month: '03', day: '05' },
      prefix: 'ctr/year=2026/month=03/day=05/',
    });
  });

  it('locates an object directly in a day partition, and nothing else', () => {
    expect(locateObject('ctr/year=2026/month=03/day=05/a.parquet')).toEqual({
      partition: partitionOfDay('2026-03-05'),
      name: 'a.parquet',
    });
    expect(locateObject('ctr/year=2026/month=03/day=05/sub/a.parquet')).toBeUndefined();
    expect(locateObject('ctr/year=2026/month=02/day=30/a.parquet')).toBeUndefined();
    expect(locateObject('errors/processing-failed/2026/03/05/10/a')).toBeUndefined();
  });

  it('names the UTC day of an instant', () => {
    expect(dayOf(new Date('2026-03-05T23:59:59.999Z'))).toBe('2026-03-05');
  });
});
