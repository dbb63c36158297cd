import fc from 'fast-check';
import { isCanonicalJsonText } from '../../lambda/shared/canonical-text';
import { canonicalJson, contentFingerprint, contentFingerprintOfJson } from '../../lambda/shared/fingerprint';

/**
 * The checker hashes a CTR's raw bytes when isCanonicalJsonText says they already are the RFC 8785 form, and
 * serialises the parsed value otherwise (contentFingerprintOfJson). These properties prove the two paths agree: on
 * any JSON value written canonically, and on the same values written every other way JSON allows (keys in any order,
 * duplicate keys, whitespace, escapes a serialiser need not use, numbers as 1.0, 1e2 or -0), the fast path either
 * declines or gives exactly the canonical text's hash.
 */

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** The checker's view of a text: its UTF-8 bytes, what a fatal decoder makes of them, and what JSON.parse makes of that. */
function asRecord(text: string): { bytes: Buffer; decoded: string; parsed: unknown } {
  const bytes = Buffer.from(text, 'utf8');
  const decoded = utf8.decode(bytes);
  return { bytes, decoded, parsed: JSON.parse(decoded) as unknown };
}

/** One way of departing from the canonical form per written text, so that each is exercised alone too. */
type Departure = 'none' | 'order' | 'duplicate' | 'space' | 'escape' | 'number';
const DEPARTURES: readonly Departure[] = ['none', 'order', 'duplicate', 'space', 'escape', 'number'];

interface Style {
  readonly departure: Departure;
  /** A choice among `options` (0 to options - 1), drawn from the run's choices. */
  readonly choose: (options: number) => number;
}

/** Writes a JSON value canonically but for its departure, applied at places drawn from `choose`. */
function writeJson(value: unknown, style: Style): string {
  const { departure, choose } = style;
  const space = (): string => (departure === 'space' ? ([' ', '', '\n', '\t', ''][choose(5)] as string) : '');
  if (value === null) return 'null';
  if (typeof value === 'boolean') return String(value);
  if (typeof value === 'number') return writeNumber(value, style);
  if (typeof value === 'string') return writeString(value, style);
  if (Array.isArray(value))
    return `[${value.map((item) => `${space()}${writeJson(item, style)}`).join(',')}${space()}]`;
  const keys = Object.keys(value as object);
  const order = departure === 'order' ? shuffled(keys, choose) : [...keys].sort();
  const members = order.map(
    (key) =>
      `${space()}${writeString(key, style)}${space()}:${space()}${writeJson((value as Record<string, unknown>)[key], style)}`,
  );
  // A duplicate key before the real one: JSON.parse keeps the last, so the value is unchanged but the text is not canonical.
  if (departure === 'duplicate' && order.length > 0 && choose(2) === 0) {
    members.unshift(`${writeString(order[0] as string, style)}:${['0', '""', 'null', '{}'][choose(4)] as string}`);
  }
  return `{${members.join(',')}${space()}}`;
}

function writeNumber(value: number, { departure, choose }: Style): string {
  if (departure !== 'number') return JSON.stringify(value);
  switch (choose(4)) {
    case 0:
      return value.toExponential();
    case 1:
      return Number.isInteger(value) && Math.abs(value) < 1e15 ? `${String(value)}.0` : String(value);
    case 2:
      return Object.is(value, 0) ? '-0' : value.toExponential().replace('e+', 'e');
    default:
      return JSON.stringify(value);
  }
}

function writeString(value: string, { departure, choose }: Style): string {
  if (departure !== 'escape') return JSON.stringify(value);
  let out = '"';
  for (const char of value) {
    const code = char.charCodeAt(0);
    const pick = choose(6);
    if (char === '/' && pick === 0) out += '\\/';
    else if (pick === 1 && char.length === 1) out += `\\u${code.toString(16).padStart(4, '0')}`;
    else if (pick === 2 && char.length === 1) out += `\\u${code.toString(16).padStart(4, '0').toUpperCase()}`;
    else out += JSON.stringify(char).slice(1, -1);
  }
  return `${out}"`;
}

function shuffled<T>(items: readonly T[], choose: (options: number) => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = choose(i + 1);
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

/** A value, how its text departs from the canonical form, and the choices that place the departures. */
const writtenValue = fc.record({
  value: fc.jsonValue({ maxDepth: 4 }),
  departure: fc.constantFrom(...DEPARTURES),
  choices: fc.array(fc.nat(), { minLength: 1, maxLength: 64 }),
});

function styleOf(departure: Departure, choices: readonly number[]): Style {
  let next = 0;
  return { departure, choose: (options) => (choices[next++ % choices.length] as number) % options };
}

describe('the fingerprint fast path', () => {
  it('says a text is canonical only when it is the canonical form of what it parses to', () => {
    let fast = 0;
    fc.assert(
      fc.property(writtenValue, ({ value, departure, choices }) => {
        const { decoded, parsed } = asRecord(writeJson(value, styleOf(departure, choices)));
        if (isCanonicalJsonText(decoded, parsed)) {
          fast += 1;
          expect(decoded).toBe(canonicalJson(parsed));
        }
      }),
      { numRuns: 1000 },
    );
    // The property must have exercised the fast path, not only the declines.
    expect(fast).toBeGreaterThan(50);
  });

  it('gives the serialiser’s fingerprint for a text written in any form, or fails as it does', () => {
    fc.assert(
      fc.property(writtenValue, ({ value, departure, choices }) => {
        const { bytes, decoded, parsed } = asRecord(writeJson(value, styleOf(departure, choices)));
        let expected: string | Error;
        try {
          expected = contentFingerprint(parsed);
        } catch (error) {
          expected = error as Error;
        }

        if (expected instanceof Error) expect(() => contentFingerprintOfJson(bytes, decoded, parsed)).toThrow();
        else expect(contentFingerprintOfJson(bytes, decoded, parsed)).toBe(expected);
      }),
      { numRuns: 1000 },
    );
  });

  it('takes the fast path for every JSON value written canonically with integers only and no escape', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 4 }), (value) => {
        let text: string;
        try {
          text = canonicalJson(value);
        } catch {
          return; // no canonical form (a lone surrogate): nothing to take a fast path on
        }
        const { bytes, decoded, parsed } = asRecord(text);
        const simple = !decoded.includes('\\') && !/[.eE]|-0(?![0-9])|[0-9]{16}/.test(stripStrings(decoded));
        const digitKey = /"[0-9][^"]*":|"__proto__":/.test(decoded);

        expect(isCanonicalJsonText(decoded, parsed)).toBe(simple && !digitKey);
        expect(contentFingerprintOfJson(bytes, decoded, parsed)).toBe(contentFingerprint(parsed));
      }),
      { numRuns: 1000 },
    );
  });
});

/** The text outside its strings and literals (for a text with no escaped quote): punctuation and numbers. */
function stripStrings(text: string): string {
  return text.replace(/"[^"]*"/g, '""').replace(/true|false|null/g, '');
}
