/**
 * RFC 8785 (JSON Canonicalization Scheme) for values parsed from JSON, walked with an explicit stack so that any
 * nesting depth works: JSON.parse accepts values nested hundreds of thousands of levels deep, and a recursive
 * serialiser overflows the call stack a few thousand levels down.
 *
 * For such values RFC 8785 is: object members sorted by their names' UTF-16 code units (what Array#sort does by
 * default), no whitespace, strings escaped as ECMAScript's JSON.stringify escapes them, numbers in ECMAScript's
 * shortest round-trip form (JSON.stringify's too), and no NaN, Infinity or lone surrogate (I-JSON refuses them).
 *
 * Why not the `canonicalize` package: its versions 5.x walk iteratively but declare Node.js >= 22, while the
 * development floor is Node.js 20.19 (README, package.json `engines`); 4.x runs on Node.js 20 but recurses. The
 * tests check this module against the 4.x package (test/unit/shared/canonical-json.test.ts), and the error messages
 * are the package's, which the handlers' quarantine reasons quote.
 */
export function canonicalize(value: unknown): string {
  const root = enter(value, new Set());
  if (typeof root === 'string') return root;
  if (root === undefined) throw new TypeError('cannot canonicalise a value with no JSON form');

  const ancestors = new Set<object>([root.container]);
  const stack: Frame[] = [root];
  let out = root.keys === null ? '[' : '{';
  frames: while (stack.length > 0) {
    const frame = stack[stack.length - 1]!;
    const { container, keys } = frame;
    const length = keys === null ? (container as unknown[]).length : keys.length;
    while (frame.index < length) {
      const position = frame.index++;
      const key = keys === null ? undefined : keys[position]!;
      const member =
        key === undefined ? (container as unknown[])[position] : (container as Record<string, unknown>)[key];
      const child = enter(member, ancestors);
      // Like JSON.stringify: a member with no JSON form (undefined, a function) is left out of an object and is
      // null in an array.
      if (child === undefined && key !== undefined) continue;
      if (!frame.first) out += ',';
      frame.first = false;
      if (key !== undefined) out += `${serializeString(key)}:`;
      if (child === undefined) out += 'null';
      else if (typeof child === 'string') out += child;
      else {
        ancestors.add(child.container);
        stack.push(child);
        out += child.keys === null ? '[' : '{';
        continue frames;
      }
    }
    out += keys === null ? ']' : '}';
    ancestors.delete(container);
    stack.pop();
  }
  return out;
}

/** A container being written: an array (keys null) or an object with its sorted member names. */
interface Frame {
  readonly container: object;
  readonly keys: readonly string[] | null;
  index: number;
  first: boolean;
}

/** A primitive's canonical text, a frame for a container, or undefined for a value with no JSON form. */
function enter(value: unknown, ancestors: ReadonlySet<object>): string | Frame | undefined {
  const resolved = hasToJson(value) ? value.toJSON() : value;
  switch (typeof resolved) {
    case 'string':
      return serializeString(resolved);
    case 'number':
      return serializeNumber(resolved);
    case 'boolean':
      return resolved ? 'true' : 'false';
    case 'object':
      break;
    case 'bigint':
      throw new TypeError('BigInt is not allowed');
    default:
      return undefined;
  }
  if (resolved === null) return 'null';
  if (ancestors.has(resolved)) throw new Error('Circular reference detected');
  return {
    container: resolved,
    keys: Array.isArray(resolved) ? null : Object.keys(resolved).sort(),
    index: 0,
    first: true,
  };
}

function hasToJson(value: unknown): value is { toJSON(): unknown } {
  return typeof value === 'object' && value !== null && typeof (value as { toJSON?: unknown }).toJSON === 'function';
}

// With the u flag a surrogate pair is one code point, so only a lone surrogate has the Surrogate category.
const LONE_SURROGATE = /\p{Cs}/u;

function serializeString(text: string): string {
  if (LONE_SURROGATE.test(text)) throw new Error('Lone surrogate is not allowed');
  return JSON.stringify(text);
}

function serializeNumber(number: number): string {
  if (Number.isNaN(number)) throw new Error('NaN is not allowed');
  if (!Number.isFinite(number)) throw new Error('Infinity is not allowed');
  return JSON.stringify(number);
}
