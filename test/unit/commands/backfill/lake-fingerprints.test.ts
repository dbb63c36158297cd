import {
  dayFingerprintsSql,
  LakeFingerprints,
  lakeDayOf,
  type LakeDay,
} from '../../../../commands/backfill/lake-fingerprints';

const day = (d: string): LakeDay => ({ year: '2019', month: '08', day: d });

describe('lakeDayOf', () => {
  it.each([
    ['2019-08-04T01:54:00Z', day('04')],
    ['2019-08-04T23:30:00-02:00', day('05')],
    ['yesterday', undefined],
    [undefined, undefined],
  ])('puts InitiationTimestamp %s in the lake partition the transform would', (timestamp, expected) => {
    expect(lakeDayOf({ ContactId: 'c', InitiationTimestamp: timestamp })).toEqual(expected);
  });
});

describe('dayFingerprintsSql', () => {
  it('filters on the partition columns only, so Athena and DuckDB read that day alone', () => {
    expect(dayFingerprintsSql('ctr', day('04'))).toBe(
      "SELECT DISTINCT fingerprint FROM ctr WHERE year = '2019' AND month = '08' AND day = '04'",
    );
  });
});

describe('LakeFingerprints', () => {
  it('asks once per day, and answers from what it learned', async () => {
    // Arrange
    const asked: string[] = [];
    const lake = new LakeFingerprints(async (_sql, d) => {
      asked.push(d.day);
      return { fingerprints: [`f${d.day}`], bytesScanned: 100 };
    }, 'ctr');

    // Act
    const answers = [
      await lake.holds(day('04'), 'f04'),
      await lake.holds(day('04'), 'f05'),
      await lake.holds(day('05'), 'f05'),
      await lake.holds(day('04'), 'f04'),
    ];

    // Assert
    expect(answers).toEqual([true, false, true, true]);
    expect(asked).toEqual(['04', '05']);
    expect(lake.stats).toEqual({ queries: 2, bytesScanned: 200, fingerprints: 2 });
  });

  it('keeps the days used most recently, and asks again for a day it let go', async () => {
    // Arrange
    const asked: string[] = [];
    const lake = new LakeFingerprints(
      async (_sql, d) => {
        asked.push(d.day);
        return { fingerprints: [], bytesScanned: 0 };
      },
      'ctr',
      2,
    );

    // Act: 01, 02, 01 (kept, now most recent), 03 (lets 02 go), 01 (kept), 02 (asked again).
    for (const d of ['01', '02', '01', '03', '01', '02']) await lake.holds(day(d), 'f');

    // Assert
    expect(asked).toEqual(['01', '02', '03', '02']);
  });

  it('fails with the query when the lake cannot be asked', async () => {
    // Arrange
    const lake = new LakeFingerprints(async () => Promise.reject(new Error('Athena is down')), 'ctr');

    // Act
    const answer = lake.holds(day('04'), 'f');

    // Assert
    await expect(answer).rejects.toThrow('Athena is down');
  });
});
