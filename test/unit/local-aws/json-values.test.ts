import { BIGINT, INTEGER, MAP, TIMESTAMP, VARCHAR, LIST, DuckDBDecimalType } from '@duckdb/node-api';
import { toIsoUtc, toJsonValue } from '../../../local-aws/query/json-values';

describe('toJsonValue', () => {
  it('turns BIGINT text into a number when it is exact', () => {
    // Act / Assert
    expect(toJsonValue('42', BIGINT)).toBe(42);
    expect(toJsonValue('9007199254740993', BIGINT)).toBe('9007199254740993');
  });

  it('turns DECIMAL text into a number', () => {
    // Act / Assert
    expect(toJsonValue('425.50', new DuckDBDecimalType(10, 2))).toBe(425.5);
  });

  it('writes timestamps as ISO-8601 UTC', () => {
    // Act / Assert
    expect(toJsonValue('2026-03-04 08:47:33', TIMESTAMP)).toBe('2026-03-04T08:47:33.000Z');
  });

  it('turns a map into an object', () => {
    // Act / Assert
    expect(toJsonValue([{ key: 'language', value: 'en-US' }], MAP(VARCHAR, VARCHAR))).toEqual({ language: 'en-US' });
  });

  it('keeps nulls, plain values and lists', () => {
    // Act / Assert
    expect(toJsonValue(null, INTEGER)).toBeNull();
    expect(toJsonValue('VOICE', VARCHAR)).toBe('VOICE');
    expect(toJsonValue([1, 2], LIST(INTEGER))).toEqual([1, 2]);
  });
});

describe('toIsoUtc', () => {
  it('keeps text it cannot read as a date', () => {
    // Act / Assert
    expect(toIsoUtc('294247-01-10 04:00:54')).toBe('294247-01-10 04:00:54');
  });
});
