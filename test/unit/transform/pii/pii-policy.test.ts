import { ConfigurationError } from '../../../../lambda/shared/errors';
import { readPiiSettings } from '../../../../lambda/transform/pii/pii-policy';
import { thrownBy } from '../../../support/thrown';

const SECRET = 'arn:aws:secretsmanager:us-east-1:111122223333:secret:ctr-lake-pii-key-AbCdEf';

describe('readPiiSettings', () => {
  it('reads pseudonymise with its attribute keys, its secret and the expected key version', () => {
    // Act
    const settings = readPiiSettings({
      PII_MODE: 'pseudonymise',
      PII_ATTRIBUTE_KEYS: '["callerName","accountPhone"]',
      PII_KEY_SECRET_ID: SECRET,
      PII_KEY_VERSION: '2',
    });

    // Assert
    expect(settings).toEqual({
      policy: { mode: 'pseudonymise', attributeKeys: ['callerName', 'accountPhone'] },
      key: { secretId: SECRET, expectedVersion: 2 },
    });
  });

  it.each(['keep', 'drop'] as const)('reads %s, which needs no key', (mode) => {
    expect(readPiiSettings({ PII_MODE: mode })).toEqual({ policy: { mode, attributeKeys: [] } });
  });

  it('refuses to start without a mode: no row is written without knowing what to do with phone numbers', () => {
    // Act
    const error = thrownBy(() => readPiiSettings({}), ConfigurationError);

    // Assert
    expect(error.message).toContain('PII_MODE must be one of pseudonymise, keep, drop, received ""');
  });

  it('reports every problem at once', () => {
    // Act
    const error = thrownBy(
      () => readPiiSettings({ PII_MODE: 'pseudonymise', PII_ATTRIBUTE_KEYS: 'callerName', PII_KEY_VERSION: '0' }),
      ConfigurationError,
    );

    // Assert
    expect(error.message).toContain('PII_ATTRIBUTE_KEYS must be a JSON array of at most 50 attribute keys');
    expect(error.message).toContain('PII_KEY_SECRET_ID is required when PII_MODE is pseudonymise');
    expect(error.message).toContain('PII_KEY_VERSION must be a whole number from 1, received "0"');
  });

  it.each([
    ['an empty key', '[""]'],
    ['a key that is not a string', '[1]'],
    ['an object', '{"a":1}'],
    ['51 keys', JSON.stringify(Array.from({ length: 51 }, (_, i) => `k${i}`))],
    ['a key of 129 characters', JSON.stringify(['k'.repeat(129)])],
    ['over 2,048 characters of JSON', JSON.stringify(Array.from({ length: 50 }, (_, i) => `${i}`.padEnd(60, 'k')))],
  ])('refuses attribute keys with %s', (_what, text) => {
    expect(() => readPiiSettings({ PII_MODE: 'keep', PII_ATTRIBUTE_KEYS: text })).toThrow(ConfigurationError);
  });
});
