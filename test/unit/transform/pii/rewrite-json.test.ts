import { rewriteJson, type JsonPath } from '../../../../lambda/transform/pii/rewrite-json';

/** The paths of every value, selected or not, in the order the rewriter meets them. */
function pathsOf(text: string): string[] {
  const seen: string[] = [];
  rewriteJson(text, {
    selects: (path) => {
      seen.push(path.join('.'));
      return false;
    },
    whole: () => undefined,
  });
  return seen;
}

const at =
  (...target: (string | number)[]) =>
  (path: JsonPath): boolean =>
    path.length === target.length && path.every((segment, i) => segment === target[i]);

describe('rewriteJson', () => {
  it('visits every value with its path of keys and indexes, containers before their content', () => {
    // Act
    const paths = pathsOf('{"a":{"b":[1,{"c":null}],"d":"x"},"e":[],"f":{}}');

    // Assert
    expect(paths).toEqual(['', 'a', 'a.b', 'a.b.0', 'a.b.1', 'a.b.1.c', 'a.d', 'e', 'f']);
  });

  it('replaces a selected value and keeps every other byte as written', () => {
    // Arrange
    const text = '{ "n" : 1.50 ,\n\t"big": 123456789012345678901234567890, "a": { "Address" : "+15551234567" } }';

    // Act
    const result = rewriteJson(text, { selects: at('a', 'Address'), whole: () => '"X"' });

    // Assert
    expect(result).toBe(text.replace('"+15551234567"', '"X"'));
  });

  it('hands a selected container over whole, as written, and skips its content', () => {
    // Arrange
    const text = '{"a":{"deep":[{"x":"}]"}, "y"]},"b":2}';
    const seen: string[] = [];

    // Act
    const result = rewriteJson(text, {
      selects: at('a'),
      whole: (_path, value) => {
        seen.push(value);
        return 'null';
      },
    });

    // Assert
    expect(seen).toEqual(['{"deep":[{"x":"}]"}, "y"]}']);
    expect(result).toBe('{"a":null,"b":2}');
  });

  it('finds every copy under a duplicate key, which JSON.parse would hide', () => {
    // Arrange
    const text = '{"a":{"Address":"one"},"a":{"Address":"two"}}';

    // Act
    const result = rewriteJson(text, { selects: at('a', 'Address'), whole: () => '"X"' });

    // Assert
    expect(result).toBe('{"a":{"Address":"X"},"a":{"Address":"X"}}');
  });

  it('decodes escaped keys and strings before the rewriter sees them', () => {
    // Arrange
    const text = '{"A\\u0064dress":"\\u002b1\\"5","x":["a\\\\"]}';
    const strings: string[] = [];

    // Act
    const result = rewriteJson(text, {
      selects: at('Address'),
      whole: (_path, value) => JSON.stringify(`${JSON.parse(value) as string}!`),
      scalar: (_kind, value) => {
        strings.push(value);
        return undefined;
      },
    });

    // Assert
    expect(JSON.parse(result)).toEqual({ Address: '+1"5!', x: ['a\\'] });
    expect(strings).toEqual(['a\\']);
  });

  it('offers other strings (decoded) and numbers (as written), never object keys', () => {
    // Arrange
    const seen: string[] = [];

    // Act
    const result = rewriteJson('{"15551234567":"15551234567","n":-1.5e3,"t":true,"z":null}', {
      selects: () => false,
      whole: () => undefined,
      scalar: (kind, value) => {
        seen.push(`${kind}:${value}`);
        return kind === 'string' ? '"S"' : undefined;
      },
    });

    // Assert
    expect(seen).toEqual(['string:15551234567', 'number:-1.5e3']);
    expect(result).toBe('{"15551234567":"S","n":-1.5e3,"t":true,"z":null}');
  });

  it('returns the very same string when nothing is replaced', () => {
    // Arrange
    const text = '{"a":[1,2,{"b":"c"}]}';

    // Act / Assert
    expect(rewriteJson(text, { selects: () => false, whole: () => undefined })).toBe(text);
  });

  it('goes 200,000 levels deep without a stack overflow', () => {
    // Arrange
    const depth = 200_000;
    const text = `${'{"a":'.repeat(depth)}"+15551234567"${'}'.repeat(depth)}`;
    let seenDepth = 0;

    // Act
    const result = rewriteJson(text, {
      selects: (path) => path.length === depth,
      whole: (path) => {
        seenDepth = path.length;
        return 'null';
      },
    });

    // Assert
    expect(seenDepth).toBe(depth);
    expect(result).toBe(`${'{"a":'.repeat(depth)}null${'}'.repeat(depth)}`);
  });
});
