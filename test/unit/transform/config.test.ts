import { ConfigurationError } from '../../../lambda/shared/errors';
import { readTransformConfig } from '../../../lambda/transform/config';

describe('readTransformConfig', () => {
  it('reads the first year of the partition projection', () => {
    // Act / Assert
    expect(readTransformConfig({ PROJECTION_START_YEAR: '2019' })).toEqual({ projectionStartYear: 2019 });
  });

  it.each([
    ['missing', undefined],
    ['empty', ''],
    ['not a year', '20x9'],
    ['a fraction', '2019.5'],
    ['five digits', '20190'],
  ])('refuses a PROJECTION_START_YEAR that is %s with a ConfigurationError naming it', (_case, value) => {
    // Act / Assert
    expect(() => readTransformConfig({ PROJECTION_START_YEAR: value })).toThrow(ConfigurationError);
    expect(() => readTransformConfig({ PROJECTION_START_YEAR: value })).toThrow(/PROJECTION_START_YEAR/);
  });
});
