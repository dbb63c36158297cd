import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { assertCtr, describe as describeValue, isIsoTimestamp } from '../../../lambda/shared/ctr';
import { InvalidRecordError } from '../../../lambda/shared/errors';
import { aChatCtr, aCtr, anAbandonedCtr, aTaskCtr, aTransferredCall, aVoiceCtr } from '../../support/ctr-factory';
import { thrownBy } from '../../support/thrown';

const SEED = join(__dirname, '..', '..', '..', '..', 'shared', 'seed', 'duplicated_samples.json');

function refusal(value: unknown): InvalidRecordError {
  return thrownBy(() => assertCtr(value), InvalidRecordError);
}

describe('assertCtr', () => {
  it('accepts the public seed records', () => {
    // Arrange
    const records = JSON.parse(readFileSync(SEED, 'utf8')) as unknown[];

    // Act / Assert
    for (const record of records) expect(() => assertCtr(record)).not.toThrow();
  });

  it('accepts every kind of synthetic contact', () => {
    // Arrange
    const ctrs = [aVoiceCtr(), anAbandonedCtr(), aChatCtr(), aTaskCtr(), ...aTransferredCall()];

    // Act / Assert
    for (const ctr of ctrs) expect(() => assertCtr(ctr)).not.toThrow();
  });

  it('accepts a minimal CTR and keeps unknown fields', () => {
    // Arrange
    const ctr: unknown = { ContactId: 'c-1', InitiationTimestamp: '2026-03-02T09:14:07Z', NewFieldFrom2030: { x: 1 } };

    // Act
    assertCtr(ctr);

    // Assert
    expect(ctr.NewFieldFrom2030).toEqual({ x: 1 });
  });

  it.each([
    ['null', null, 'NOT_AN_OBJECT', /received null/],
    ['an array', [aCtr()], 'NOT_AN_OBJECT', /received an array/],
    ['a string', '{"ContactId":"c"}', 'NOT_AN_OBJECT', /received a string/],
    ['no ContactId', aCtr({ ContactId: undefined }), 'MISSING_CONTACT_ID', /received no ContactId/],
    ['an empty ContactId', aCtr({ ContactId: '' }), 'MISSING_CONTACT_ID', /1-256 characters/],
    ['a numeric ContactId', aCtr({ ContactId: 42 }), 'MISSING_CONTACT_ID', /ContactId number 42/],
    ['a 257-character ContactId', aCtr({ ContactId: 'c'.repeat(257) }), 'MISSING_CONTACT_ID', /1-256/],
    [
      'no InitiationTimestamp',
      aCtr({ InitiationTimestamp: undefined }),
      'INVALID_FIELD',
      /InitiationTimestamp.*received nothing/,
    ],
    [
      'a date-only InitiationTimestamp',
      aCtr({ InitiationTimestamp: '2026-03-02' }),
      'INVALID_FIELD',
      /InitiationTimestamp/,
    ],
    [
      'an impossible date',
      aCtr({ InitiationTimestamp: '2026-02-30T99:00:00Z' }),
      'INVALID_FIELD',
      /InitiationTimestamp/,
    ],
    [
      'a numeric DisconnectTimestamp',
      aCtr({ DisconnectTimestamp: 1767225600 }),
      'INVALID_FIELD',
      /DisconnectTimestamp/,
    ],
    ['a numeric Channel', aCtr({ Channel: 1 }), 'INVALID_FIELD', /Channel to be a string or null/],
    ['a boolean PreviousContactId', aCtr({ PreviousContactId: true }), 'INVALID_FIELD', /PreviousContactId/],
    ['a string Queue', aCtr({ Queue: 'Billing' }), 'INVALID_FIELD', /Queue to be an object or null/],
    [
      'an array of Attributes',
      aCtr({ Attributes: [] }),
      'INVALID_FIELD',
      /Attributes to be an object or null, received an array/,
    ],
  ])('refuses %s', (_label, value, code, message) => {
    // Act
    const error = refusal(value);

    // Assert
    expect(error.code).toBe(code);
    expect(error.message).toMatch(message);
  });

  it('accepts null for every optional field, as Connect writes empty ones', () => {
    // Arrange
    const ctr = aCtr({
      Agent: null,
      Queue: null,
      CustomerEndpoint: null,
      SystemEndpoint: null,
      Attributes: null,
      Channel: null,
      DisconnectTimestamp: null,
      LastUpdateTimestamp: null,
    });

    // Act / Assert
    expect(() => assertCtr(ctr)).not.toThrow();
  });
});

describe('isIsoTimestamp', () => {
  it.each([
    ['2026-03-02T09:14:07Z', true],
    ['2026-03-02T09:14:07.123Z', true],
    ['2026-03-02T09:14:07+05:30', true],
    ['2026-03-02 09:14:07', false],
    ['2026-03-02T09:14Z', false],
    ['2026-13-02T09:14:07Z', false],
    [1767225600000, false],
    [null, false],
  ])('%p → %p', (value, expected) => {
    // Act / Assert
    expect(isIsoTimestamp(value)).toBe(expected);
  });
});

describe('describe', () => {
  it.each([
    [undefined, 'nothing'],
    [null, 'null'],
    [[1], 'an array'],
    [{ a: 1 }, 'an object'],
    [12, 'number 12'],
    ['x'.repeat(50), `string "${'x'.repeat(39)}…`],
  ])('renders %p briefly', (value, expected) => {
    // Act / Assert
    expect(describeValue(value)).toBe(expected);
  });
});
