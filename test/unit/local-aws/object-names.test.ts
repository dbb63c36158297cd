import { errorPrefix, firehoseObjectName, rowPrefix } from '../../../local-aws/firehose/object-names';

const AT = new Date('2026-03-04T08:05:09Z');

describe('object names', () => {
  it('names objects like Firehose: stream, version, UTC time and a random part', () => {
    // Act / Assert
    expect(firehoseObjectName('lake', AT, '.parquet')).toMatch(/^lake-1-2026-03-04-08-05-09-[0-9a-f-]{36}\.parquet$/);
  });

  it('puts rows under the Hive-style partition prefix', () => {
    // Act / Assert
    expect(rowPrefix({ year: '2026', month: '03', day: '04' })).toBe('ctr/year=2026/month=03/day=04/');
  });

  it('puts errors under the error output type and the UTC hour', () => {
    // Act / Assert
    expect(errorPrefix('processing-failed', AT)).toBe('errors/processing-failed/2026/03/04/08/');
  });
});
