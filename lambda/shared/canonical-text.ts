/**
 * Whether a JSON text is already the RFC 8785 canonical form of what JSON.parse made of it, decided without
 * serialising anything: Amazon Connect writes CTRs compact with their keys sorted, so for them the raw bytes are the
 * canonical bytes and can be hashed as they are (fingerprint.ts). Anything the check is not sure of answers false,
 * and the caller serialises the parsed value as before: false is always safe, true must only be said of a canonical
 * text. test/property/fingerprint-fast-path.property.test.ts checks the claim against the serialiser.
 *
 * `text` must be one JSON.parse accepted, decoded from well-formed UTF-8 (so it holds no lone surrogate), and `parsed`
 * what JSON.parse returned. The text is canonical when:
 * 1. it holds no backslash: then no string in it has an escape, and none can hold what RFC 8785 escapes (a quote, a
 *    backslash, a control character, which JSON.parse refuses raw), so each string is written as RFC 8785 writes it;
 *    a text with an escape takes the slow path;
 * 2. its tokens are written as RFC 8785 writes them (CANONICAL_TOKENS): no whitespace; numbers only as integers of at
 *    most 15 digits without a leading zero and not -0, which ECMAScript writes back digit for digit (any other number
 *    takes the slow path); true, false, null;
 * 3. every object's keys, as JavaScript enumerates them, are in strictly increasing UTF-16 code-unit order, none of
 *    them starts with a digit (JavaScript enumerates integer-like keys first, whatever their place in the text) and
 *    none is __proto__;
 * 4. the text is exactly as long as the parsed value written out: JSON.parse keeps one of duplicate keys (the last
 *    value, at the first key's place), and a text holding duplicates is longer than the value it parses to by at
 *    least one `,"k":v` member.
 * With 1 to 4 the text's members are the enumerated ones, sorted, each written canonically: the canonical form.
 */
export function isCanonicalJsonText(text: string, parsed: unknown): boolean {
  try {
    return !text.includes('\\') && CANONICAL_TOKENS.test(text) && writtenLength(parsed) === text.length;
  } catch {
    // A text or value deep enough to exhaust the regular expression's or the walk's stack: the slow path decides.
    return false;
  }
}

/** A whole text of canonically written tokens with no backslash, nothing between them (isCanonicalJsonText, 2). */
const CANONICAL_TOKENS = /^(?:"[^"]*"|[,:{}[\]]|true|false|null|(?:0|-?[1-9][0-9]{0,14})(?![0-9.eE]))*$/;

/**
 * The length of the value written compactly, when it holds no string needing an escape (isCanonicalJsonText, 1) and
 * its objects' keys are as isCanonicalJsonText, 3 says; -1 when they are not.
 */
function writtenLength(value: unknown): number {
  switch (typeof value) {
    case 'string':
      return value.length + 2;
    case 'number':
      return String(value).length;
    case 'boolean':
      return value ? 4 : 5;
    case 'object':
      break;
    default:
      return -1;
  }
  if (value === null) return 4;
  let length = 1;
  if (Array.isArray(value)) {
    for (const item of value) {
      const inner = writtenLength(item);
      if (inner < 0) return -1;
      length += inner + 1;
    }
    return value.length === 0 ? 2 : length;
  }
  let previous: string | undefined;
  for (const key in value) {
    const first = key.charCodeAt(0);
    if ((previous !== undefined && !(previous < key)) || (first >= 0x30 && first <= 0x39) || key === '__proto__') {
      return -1;
    }
    const inner = writtenLength((value as Record<string, unknown>)[key]);
    if (inner < 0) return -1;
    // "key":value, then a comma or the closing brace.
    length += key.length + 3 + inner + 1;
    previous = key;
  }
  return previous === undefined ? 2 : length;
}
