import {
  addDays,
  isDay,
  isTimeZoneName,
  localDayBounds,
  offsetMs,
  utcDaysOfLocalDays,
} from '../../../lib/config/time-zone';

const HOUR = 3_600_000;

describe('isTimeZoneName', () => {
  it.each(['UTC', 'Asia/Seoul', 'America/New_York', 'America/Argentina/Buenos_Aires', 'Etc/GMT+5', 'US/Eastern'])(
    'accepts the IANA name %s',
    (name) => {
      expect(isTimeZoneName(name)).toBe(true);
    },
  );

  it.each(['', 'utc', 'asia/seoul', 'EST5EDT', '+09:00', 'Mars/Olympus', "Asia/Seoul'--", 'Asia/Seoul '])(
    'refuses %p',
    (name) => {
      expect(isTimeZoneName(name)).toBe(false);
    },
  );
});

describe('days', () => {
  it('knows a real calendar day from a malformed or impossible one', () => {
    expect(isDay('2024-02-29')).toBe(true);
    expect(isDay('2026-02-29')).toBe(false);
    expect(isDay('2026-3-8')).toBe(false);
  });

  it('adds days across month and year ends', () => {
    expect(addDays('2026-02-28', 1)).toBe('2026-03-01');
    expect(addDays('2026-01-01', -1)).toBe('2025-12-31');
  });
});

describe('offsetMs', () => {
  it('reads the offset east positive, with New York daylight saving time', () => {
    expect(offsetMs('Asia/Seoul', Date.parse('2026-03-08T00:00:00Z'))).toBe(9 * HOUR);
    expect(offsetMs('America/New_York', Date.parse('2026-03-08T06:59:59Z'))).toBe(-5 * HOUR);
    expect(offsetMs('America/New_York', Date.parse('2026-03-08T07:00:00Z'))).toBe(-4 * HOUR);
    expect(offsetMs('UTC', Date.parse('2026-03-08T12:00:00Z'))).toBe(0);
  });
});

describe('localDayBounds', () => {
  it('gives a Seoul day as 15:00 UTC the day before to 15:00 UTC', () => {
    expect(localDayBounds('2026-03-08', 'Asia/Seoul')).toEqual({
      startMs: Date.parse('2026-03-07T15:00:00Z'),
      endMs: Date.parse('2026-03-08T15:00:00Z'),
    });
  });

  it('gives New York its 23-hour spring-forward day and its 25-hour fall-back day', () => {
    const spring = localDayBounds('2026-03-08', 'America/New_York');
    const fall = localDayBounds('2026-11-01', 'America/New_York');

    expect(spring).toEqual({ startMs: Date.parse('2026-03-08T05:00:00Z'), endMs: Date.parse('2026-03-09T04:00:00Z') });
    expect(fall).toEqual({ startMs: Date.parse('2026-11-01T04:00:00Z'), endMs: Date.parse('2026-11-02T05:00:00Z') });
  });
});

describe('utcDaysOfLocalDays', () => {
  it('spans the UTC day before for a zone east of UTC and the day after for one west of it', () => {
    expect(utcDaysOfLocalDays('2026-03-08', '2026-03-08', 'Asia/Seoul')).toEqual(['2026-03-07', '2026-03-08']);
    expect(utcDaysOfLocalDays('2026-03-08', '2026-03-08', 'America/New_York')).toEqual(['2026-03-08', '2026-03-09']);
    expect(utcDaysOfLocalDays('2026-11-01', '2026-11-01', 'America/New_York')).toEqual(['2026-11-01', '2026-11-02']);
  });

  it('is the day itself in UTC, and covers a range across a month end', () => {
    expect(utcDaysOfLocalDays('2026-03-08', '2026-03-08', 'UTC')).toEqual(['2026-03-08']);
    expect(utcDaysOfLocalDays('2026-03-31', '2026-04-01', 'Asia/Seoul')).toEqual([
      '2026-03-30',
      '2026-03-31',
      '2026-04-01',
    ]);
  });
});
