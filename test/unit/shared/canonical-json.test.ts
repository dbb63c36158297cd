import canonicalizePackage from 'canonicalize';
import fc from 'fast-check';
import { canonicalize } from '../../../lambda/shared/canonical-json';

/** `[[[…1…]]]` nested `depth` levels, built as text: a recursive serialiser could not write it. */
function nestedArrayText(depth: number): string {
  return `${'['.repeat(depth)}1${']'.repeat(depth)}`;
}

describe('canonicalize (RFC 8785)', () => {
  it('equals the canonicalize package (4.x, recursive) on any JSON value', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        // Act / Assert
        expect(canonicalize(value)).toBe(canonicalizePackage(value));
      }),
      { numRuns: 1000 },
    );
  });

  it('equals the package on JSON text with any key order, escapes and numbers, as a CTR arrives', () => {
    fc.assert(
      fc.property(fc.json(), (text) => {
        // Arrange
        const value = JSON.parse(text) as unknown;

        // Act / Assert
        expect(canonicalize(value)).toBe(canonicalizePackage(value));
      }),
      { numRuns: 1000 },
    );
  });

  it.each([
    // RFC 8785 section 3.2.2.3 and appendix B: ECMAScript's shortest round-trip number form.
    ['0', '0'],
    ['-0', '0'],
    ['1.0', '1'],
    ['1e2', '100'],
    ['1E+30', '1e+30'],
    ['0.000001', '0.000001'],
    ['1e-7', '1e-7'],
    ['4.50', '4.5'],
    ['2e-3', '0.002'],
    ['0.000001234', '0.000001234'],
    ['1.7976931348623157e308', '1.7976931348623157e+308'],
    ['5e-324', '5e-324'],
    ['9007199254740993', '9007199254740992'],
    ['333333333.33333329', '333333333.3333333'],
    ['295147905179352830000', '295147905179352830000'],
  ])('writes the number %s as %s', (text, canonical) => {
    // Act / Assert
    expect(canonicalize(JSON.parse(text))).toBe(canonical);
  });

  it("sorts member names by UTF-16 code units (RFC 8785 section 3.2.3's example)", () => {
    // Arrange: the RFC's own example of the sort order, as JSON text
    const text = String.raw`{"\u20ac":"Euro Sign","\r":"Carriage Return","\ufb33":"Hebrew Letter Dalet With Dagesh","1":"One","\ud83d\ude00":"Emoji: Grinning Face","\u0080":"Control","\u00f6":"Latin Small Letter O With Diaeresis"}`;

    // Act
    const canonical = canonicalize(JSON.parse(text));

    // Assert: member names in the order written (Object.keys would list the integer-like "1" first)
    const names = [...canonical.matchAll(/"((?:[^"\\]|\\.)*)":/g)].map(
      (match) => JSON.parse(`"${match[1]}"`) as string,
    );
    expect(names.map((name) => name.codePointAt(0)!.toString(16))).toEqual([
      'd',
      '31',
      '80',
      'f6',
      '20ac',
      '1f600',
      'fb33',
    ]);
  });

  it('writes strings as RFC 8785 section 3.2.2.2 says: short escapes, \\u00xx for other controls, the rest as is', () => {
    // Arrange
    const value = JSON.parse(String.raw`{"s":"\u0041\/\b\f\n\r\t\u001f\u007f\"\\\u00e9\ud83d\ude00"}`) as unknown;

    // Act / Assert
    expect(canonicalize(value)).toBe(String.raw`{"s":"A/\b\f\n\r\t\u001f` + '\u007f' + String.raw`\"\\` + 'é😀"}');
  });

  it('writes a value nested far deeper than the call stack allows', () => {
    // Arrange: JSON.parse copes with this depth; a recursive walk overflows a few thousand levels down
    const depth = 200_000;
    const value = JSON.parse(nestedArrayText(depth)) as unknown;

    // Act / Assert
    expect(() => canonicalizePackage(value)).toThrow(RangeError);
    expect(canonicalize(value)).toBe(nestedArrayText(depth));
  });

  it('sorts the members of deeply nested objects too', () => {
    // Arrange
    const depth = 50_000;
    const text = `${'{"b":1,"a":'.repeat(depth)}null${'}'.repeat(depth)}`;

    // Act
    const canonical = canonicalize(JSON.parse(text));

    // Assert
    expect(canonical).toBe(`${'{"a":'.repeat(depth)}null${',"b":1}'.repeat(depth)}`);
  });

  it.each([
    ['a lone high surrogate', String.raw`{"a":"\ud800"}`, 'Lone surrogate is not allowed'],
    ['a lone low surrogate in a name', String.raw`{"\udc00":1}`, 'Lone surrogate is not allowed'],
    ['a number past the double range', '{"a":[1,1e400]}', 'Infinity is not allowed'],
  ])('refuses %s with the package message', (_name, text, message) => {
    // Arrange
    const value = JSON.parse(text) as unknown;

    // Act / Assert
    expect(() => canonicalize(value)).toThrow(message);
    expect(() => canonicalizePackage(value)).toThrow(message);
  });

  it('refuses NaN, a cycle and a value with no JSON form', () => {
    // Arrange
    const cyclic: Record<string, unknown> = { a: [1] };
    (cyclic.a as unknown[]).push(cyclic);

    // Act / Assert
    expect(() => canonicalize({ a: Number.NaN })).toThrow('NaN is not allowed');
    expect(() => canonicalize(cyclic)).toThrow('Circular reference detected');
    expect(() => canonicalize(undefined)).toThrow(TypeError);
  });

  it('writes a value seen twice but not inside itself, and drops members with no JSON form as JSON.stringify does', () => {
    // Arrange
    const shared = { x: 1 };
    const value = { b: shared, a: shared, u: undefined, list: [undefined], when: new Date(0) };

    // Act / Assert
    expect(canonicalize(value)).toBe('{"a":{"x":1},"b":{"x":1},"list":[null],"when":"1970-01-01T00:00:00.000Z"}');
    expect(canonicalize(value)).toBe(canonicalizePackage(value));
    // The package writes a function as `undefined`, so JSON.stringify is the reference here.
    const withFunctions = { f: () => 1, list: [() => 1, Symbol('s')] };
    expect(canonicalize(withFunctions)).toBe(JSON.stringify(withFunctions));
  });
});
