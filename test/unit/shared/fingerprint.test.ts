import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import canonicalize from 'canonicalize';
import fc from 'fast-check';
import { canonicalJson, contentFingerprint, contentFingerprintAtAnyDepth } from '../../../lambda/shared/fingerprint';

const SEED = join(__dirname, '..', '..', '..', '..', 'shared', 'seed', 'duplicated_samples.json');

describe('contentFingerprint', () => {
  it('reproduces the published fingerprints of the shared seed sample', () => {
    // Arrange
    const records = JSON.parse(readFileSync(SEED, 'utf8')) as unknown[];

    // Act
    const fingerprints = records.map(contentFingerprint);

    // Assert
    expect(fingerprints).toEqual([
      'ef7d9f7e4b26f827d2e526c4797852d978e6e9e2ccfdcaf162e9126a4eaca6a7',
      'ef7d9f7e4b26f827d2e526c4797852d978e6e9e2ccfdcaf162e9126a4eaca6a7',
      '886176cd231d8c6a7ef5520cb60eace2d9826cb6a98031cee5fbdf8683334e58',
      '886176cd231d8c6a7ef5520cb60eace2d9826cb6a98031cee5fbdf8683334e58',
      'eaa1aa065a550dd3df0c912b1e9180100d7fa5dc9ffb378253721c68d4234b1d',
      'eaa1aa065a550dd3df0c912b1e9180100d7fa5dc9ffb378253721c68d4234b1d',
    ]);
  });

  it('ignores key order and whitespace', () => {
    // Arrange
    const a = JSON.parse('{"ContactId":"c-1","Attributes":{"b":"2","a":"1"}}') as unknown;
    const b = JSON.parse('{ "Attributes": { "a": "1", "b": "2" },\n "ContactId": "c-1" }') as unknown;

    // Act / Assert
    expect(contentFingerprint(a)).toBe(contentFingerprint(b));
  });
});

/** Rebuilds a JSON value with every object's keys inserted in code-unit order, as Amazon Connect writes CTRs. */
function sortKeysDeep(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeysDeep);
  if (typeof value !== 'object' || value === null) return value;
  const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return Object.fromEntries(entries.map(([k, v]) => [k, sortKeysDeep(v)]));
}

/** Number texts at the edges of IEEE 754 doubles, each with whether JSON.parse gives a finite number. */
const EDGE_NUMBERS: ReadonlyArray<readonly [string, boolean]> = [
  ['1.7976931348623157e308', true],
  ['-1.7976931348623157e308', true],
  ['1.7976931348623158e308', true], // rounds down to the largest double
  ['1.7976931348623159e308', false], // rounds up: Infinity
  ['1.8e308', false],
  ['1e400', false],
  ['-1e400', false],
  ['123456789012345678901234567890', true],
  ['5e-324', true],
  ['1e-400', true], // underflows to 0, as RFC 8785 reads it
  ['-0', true],
  ['0.1', true],
];

/**
 * A JSON document (as text) holding numbers at and past the double range among arbitrary JSON, and whether every
 * number in it parses to a finite double.
 */
const jsonWithEdgeNumbers = fc
  .record({
    base: fc.jsonValue({ maxDepth: 3 }),
    numbers: fc.array(fc.constantFrom(...EDGE_NUMBERS), { minLength: 1, maxLength: 4 }),
    keys: fc.array(fc.string({ maxLength: 4 }), { minLength: 4, maxLength: 4 }),
  })
  .map(({ base, numbers, keys }) => {
    const members = numbers.map(([number], i) => `${JSON.stringify(`${keys[i]}#${i}`)}:${number}`);
    return {
      text: `{${[...members, `"base":${JSON.stringify(base)}`, `"list":[${numbers.map(([n]) => n).join(',')}]`].join(',')}}`,
      finite: numbers.every(([, finite]) => finite),
    };
  });

describe('canonicalJson', () => {
  it('equals the canonicalize package for any JSON value', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(canonicalJson(value)).toBe(canonicalize(value));
      }),
      { numRuns: 500 },
    );
  });

  it('equals the canonicalize package for JSON values whose keys are already sorted (the fast path)', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const sorted = sortKeysDeep(value);
        expect(canonicalJson(sorted)).toBe(canonicalize(sorted));
      }),
      { numRuns: 500 },
    );
  });

  it('equals the canonicalize package for numbers at and past the double range, and refuses both infinities', () => {
    fc.assert(
      fc.property(jsonWithEdgeNumbers, fc.boolean(), ({ text, finite }, sorted) => {
        // Arrange: numbers written as text, as a CTR carries them, so that overflow happens in JSON.parse
        const parsed = JSON.parse(text) as unknown;
        const value = sorted ? sortKeysDeep(parsed) : parsed;

        // Act / Assert
        if (finite) expect(canonicalJson(value)).toBe(canonicalize(value));
        else expect(() => canonicalJson(value)).toThrow('Infinity is not allowed');
      }),
      { numRuns: 500 },
    );
  });

  it.each([
    ['integer-like keys, which JavaScript enumerates first', '{"b":1,"10":2,"9":3}'],
    ['keys outside the BMP against high BMP keys', String.raw`{"\uffff":1,"\ud83d\ude00":2}`],
    ['numbers written in a non-canonical form', '{"a":1.0,"b":1e2,"c":-0,"d":0.1}'],
    ['escapes that JSON allows but RFC 8785 does not keep', String.raw`{"a":"\u0041\/","b":"\u001f"}`],
  ])('sorts and serialises %s as RFC 8785 does', (_name, text) => {
    // Arrange
    const value = JSON.parse(text) as unknown;

    // Act / Assert
    expect(canonicalJson(value)).toBe(canonicalize(value));
  });

  it.each([
    ['sorted keys (the fast path)', '{"ContactId":"c","Zeta":1e400}', '{"ContactId":"c","Zeta":null}'],
    ['unsorted keys (the canonicalize path)', '{"Zeta":1e400,"ContactId":"c"}', '{"Zeta":null,"ContactId":"c"}'],
    ['a negative overflow in an array', '{"a":[1,-1e400]}', '{"a":[1,null]}'],
  ])(
    'refuses a number past the double range with %s, so it never shares a fingerprint with null',
    (_name, text, twin) => {
      // Arrange: JSON.parse turns 1e400 into Infinity, which JSON.stringify would write as null
      const value = JSON.parse(text) as unknown;

      // Act / Assert
      expect(() => canonicalJson(value)).toThrow('Infinity is not allowed');
      expect(() => contentFingerprint(value)).toThrow('Infinity is not allowed');
      expect(() => contentFingerprintAtAnyDepth(value)).toThrow('Infinity is not allowed');
      expect(canonicalJson(JSON.parse(twin))).toContain('null');
    },
  );

  it('refuses a lone surrogate, as RFC 8785 does, even when the keys are sorted', () => {
    // Arrange
    const value = JSON.parse(String.raw`{"a":"\ud800"}`) as unknown;

    // Act / Assert
    expect(() => canonicalJson(value)).toThrow(/surrogate/i);
  });
});
