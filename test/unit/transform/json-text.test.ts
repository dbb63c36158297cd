import fc from 'fast-check';
import { jsonText } from '../../../lambda/transform/json-text';
import { nestedJson } from './nested-json';

describe('jsonText', () => {
  it('writes what JSON.stringify writes for any JSON value', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(jsonText(value)).toBe(JSON.stringify(value));
      }),
      { numRuns: 500 },
    );
  });

  it('keeps keys in enumeration order and an own "__proto__" key, as JSON.stringify does', () => {
    // Arrange: JSON.parse defines "__proto__" as an own key; integer-like keys enumerate first.
    const value = JSON.parse('{"b":1,"__proto__":{"x":[true,null]},"10":"ten","a":"\\u0000\\"é"}') as unknown;

    // Act / Assert
    expect(jsonText(value)).toBe(JSON.stringify(value));
  });

  it.each(['array', 'object'] as const)(
    'writes an %s nested 10,000 levels, where JSON.stringify overflows',
    (shape) => {
      // Arrange
      const text = nestedJson(10_000, shape, '"leaf"');
      const value = JSON.parse(text) as unknown;

      // Act
      const written = jsonText(value);

      // Assert
      expect(() => JSON.stringify(value)).toThrow(RangeError);
      expect(written).toBe(text);
    },
  );

  it.each([
    ['undefined', undefined],
    ['a function', () => 1],
    ['a bigint', 1n],
    ['a symbol inside an array', [Symbol('s')]],
  ])('refuses %s, which has no JSON text here', (_label, value) => {
    // Act / Assert
    expect(() => jsonText(value)).toThrow(TypeError);
  });
});
