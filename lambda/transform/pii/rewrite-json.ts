/**
 * Replaces chosen values inside JSON text and leaves every other byte as written: `raw_ctr` keeps the CTR exactly as
 * it arrived (key order, spacing, number digits beyond double precision), except the values replaced. Parsing and
 * re-serialising would lose that. Every occurrence is visited, so a value repeated under a duplicate key (which
 * JSON.parse would hide behind the last one) is found too.
 *
 * No recursion: a CTR the checker accepted may be nested hundreds of thousands of levels deep (see json-text.ts), so
 * the position in the document is an explicit stack on the heap.
 *
 * The text must be valid JSON (the transform parsed it before): nothing here reports syntax errors.
 */

/** Where a value is: object keys and array indexes from the root. Valid only during the call it is passed to. */
export type JsonPath = readonly (string | number)[];

export interface JsonRewriter {
  /** Whether the value at `path` goes whole (whatever its type, a container with its content) to `whole`. */
  selects(path: JsonPath): boolean;
  /** JSON text to write instead of a selected value (received as written), or undefined to keep it. */
  whole(path: JsonPath, text: string): string | undefined;
  /**
   * JSON text to write instead of any other string (decoded) or number (as written), or undefined to keep it.
   * Object keys are never offered. Leave it out when only selected values matter: strings are then not decoded.
   */
  scalar?(kind: 'string' | 'number', value: string): string | undefined;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const COMMA = 0x2c;

/** Returns `text` with the rewriter's replacements; the very same string when nothing was replaced. */
export function rewriteJson(text: string, rewriter: JsonRewriter): string {
  const parts: string[] = [];
  let copiedUpTo = 0;
  const replace = (start: number, end: number, replacement: string): void => {
    parts.push(text.slice(copiedUpTo, start), replacement);
    copiedUpTo = end;
  };

  const path: (string | number)[] = [];
  const containers: boolean[] = []; // true: object, false: array
  let pos = skipWhitespace(text, 0);
  let atValue = true;

  const enterKey = (): void => {
    const end = endOfString(text, pos);
    path.push(decodeString(text, pos, end));
    pos = skipWhitespace(text, end);
    pos = skipWhitespace(text, pos + 1); // the colon
  };

  for (;;) {
    if (atValue) {
      atValue = false;
      if (rewriter.selects(path)) {
        const end = endOfValue(text, pos);
        const replacement = rewriter.whole(path, text.slice(pos, end));
        if (replacement !== undefined) replace(pos, end, replacement);
        pos = end;
        continue;
      }
      const c = text.charCodeAt(pos);
      if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
        const isObject = c === OPEN_OBJECT;
        pos = skipWhitespace(text, pos + 1);
        const close = text.charCodeAt(pos);
        if (close === CLOSE_OBJECT || close === CLOSE_ARRAY) {
          pos += 1; // an empty container: nothing to enter
          continue;
        }
        containers.push(isObject);
        if (isObject) enterKey();
        else path.push(0);
        atValue = true;
        continue;
      }
      const end = endOfValue(text, pos);
      if (rewriter.scalar && (c === QUOTE || c === 0x2d || (c >= 0x30 && c <= 0x39))) {
        const replacement =
          c === QUOTE
            ? rewriter.scalar('string', decodeString(text, pos, end))
            : rewriter.scalar('number', text.slice(pos, end));
        if (replacement !== undefined) replace(pos, end, replacement);
      }
      pos = end;
      continue;
    }

    // After a value: a comma and the next member, the end of its container, or the end of the document.
    pos = skipWhitespace(text, pos);
    if (containers.length === 0) break;
    const inObject = containers[containers.length - 1]!;
    if (text.charCodeAt(pos) === COMMA) {
      pos = skipWhitespace(text, pos + 1);
      if (inObject) {
        path.pop();
        enterKey();
      } else {
        path[path.length - 1] = (path[path.length - 1] as number) + 1;
      }
      atValue = true;
    } else {
      containers.pop();
      path.pop();
      pos += 1;
    }
  }

  if (parts.length === 0) return text;
  parts.push(text.slice(copiedUpTo));
  return parts.join('');
}

function skipWhitespace(text: string, from: number): number {
  let pos = from;
  for (;;) {
    const c = text.charCodeAt(pos);
    if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) return pos;
    pos += 1;
  }
}

/** The index after the closing quote of the string starting at `start`. */
function endOfString(text: string, start: number): number {
  let from = start + 1;
  for (;;) {
    const quote = text.indexOf('"', from);
    if (quote < 0) return text.length;
    let backslashes = 0;
    while (text.charCodeAt(quote - 1 - backslashes) === BACKSLASH) backslashes += 1;
    if (backslashes % 2 === 0) return quote + 1;
    from = quote + 1;
  }
}

function decodeString(text: string, start: number, end: number): string {
  const body = text.slice(start + 1, end - 1);
  // Most keys and values have no escape: no need to run the parser on them.
  return body.includes('\\') ? (JSON.parse(text.slice(start, end)) as string) : body;
}

/** The index after the value starting at `start`: a string, a whole container, a number or a literal. */
function endOfValue(text: string, start: number): number {
  const first = text.charCodeAt(start);
  if (first === QUOTE) return endOfString(text, start);
  if (first === OPEN_OBJECT || first === OPEN_ARRAY) {
    let depth = 0;
    let pos = start;
    while (pos < text.length) {
      const c = text.charCodeAt(pos);
      if (c === QUOTE) {
        pos = endOfString(text, pos);
        continue;
      }
      if (c === OPEN_OBJECT || c === OPEN_ARRAY) depth += 1;
      else if (c === CLOSE_OBJECT || c === CLOSE_ARRAY) {
        depth -= 1;
        if (depth === 0) return pos + 1;
      }
      pos += 1;
    }
    return text.length;
  }
  let pos = start;
  for (;;) {
    const c = text.charCodeAt(pos);
    if (
      Number.isNaN(c) ||
      c === COMMA ||
      c === CLOSE_OBJECT ||
      c === CLOSE_ARRAY ||
      c === 0x20 ||
      c === 0x0a ||
      c === 0x0d ||
      c === 0x09
    ) {
      return pos;
    }
    pos += 1;
  }
}
