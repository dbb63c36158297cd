import { createHash } from 'node:crypto';
import { canonicalize } from './canonical-json';
import { isCanonicalJsonText } from './canonical-text';
import type { Ctr } from './ctr';

/** How the checker derives the dedup key of a CTR. */
export type DedupKeyStrategy = 'content' | 'version';

export const DEDUP_KEY_STRATEGIES: readonly DedupKeyStrategy[] = ['content', 'version'];

/**
 * SHA-256 (hex) of the RFC 8785 canonical JSON of a CTR: key order and insignificant whitespace do not change it,
 * so a re-serialised redelivery still matches. For compact input whose keys are already sorted, as Amazon Connect
 * writes them, it equals the SHA-256 of the raw bytes.
 */
export function contentFingerprint(ctr: unknown): string {
  return sha256Hex(canonicalJson(ctr));
}

/**
 * The same fingerprint as `contentFingerprint(parsed)`, for a CTR the caller has as UTF-8 bytes, the text a fatal
 * UTF-8 decoder made of them, and what JSON.parse made of that text (decode-record.ts has all three). When the text is
 * already its RFC 8785 form (isCanonicalJsonText: compact, keys sorted, canonical escapes and numbers, as Amazon
 * Connect writes CTRs) its bytes are the canonical bytes, so they are hashed as they are, with no serialisation; any
 * other text takes contentFingerprint. A byte order mark, which the decoder drops from the text, takes it too.
 * test/property/fingerprint-fast-path.property.test.ts proves the two paths agree.
 */
export function contentFingerprintOfJson(bytes: Uint8Array, text: string, parsed: unknown): string {
  const bom = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  if (!bom && isCanonicalJsonText(text, parsed)) return createHash('sha256').update(bytes).digest('hex');
  return contentFingerprint(parsed);
}

/**
 * The same fingerprint as contentFingerprint, computed without recursion: canonicalize (./canonical-json) walks the
 * value with its own stack, so any nesting depth works where contentFingerprint's fast path (which recurses) overflows the
 * call stack with a RangeError. Slower; for the rare value nested that deep.
 */
export function contentFingerprintAtAnyDepth(ctr: unknown): string {
  return sha256Hex(canonicalJsonIteratively(ctr));
}

function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

// JSON.stringify writes a lone surrogate as an escape where RFC 8785 refuses the value outright.
const LONE_SURROGATE_ESCAPE = /\\ud[89a-f][0-9a-f]{2}/i;

/**
 * The RFC 8785 canonical form of a value parsed from JSON. For such a value whose object keys are already in
 * code-unit order at every level (Amazon Connect writes CTRs that way), RFC 8785 and JSON.stringify agree: both
 * serialise numbers as ECMAScript does and escape strings alike. So that case takes the native serialiser, several
 * times faster than walking the value in JavaScript; anything else, and anything with a lone surrogate or a
 * non-finite number, goes through canonicalize (./canonical-json), which refuses both (no canonical form).
 */
export function canonicalJson(value: unknown): string {
  if (keysSortedDeep(value)) {
    const text = JSON.stringify(value);
    if (text !== undefined && !LONE_SURROGATE_ESCAPE.test(text)) return text;
  }
  return canonicalJsonIteratively(value);
}

function canonicalJsonIteratively(value: unknown): string {
  return canonicalize(value);
}

/**
 * True when every object in the value enumerates its keys in strictly increasing code-unit order and every number
 * is finite. Enumeration order is what JSON.stringify writes, and JavaScript lists integer-like keys first ("2"
 * before "10"): such objects fail the check and take the slow path, which sorts them as RFC 8785 says. A number past
 * the double range (`1e400`) parses to Infinity, which JSON.stringify would write as `null`, giving the CTR the
 * fingerprint of its twin holding null: it takes the slow path too, which refuses it as RFC 8785 does.
 */
function keysSortedDeep(value: unknown): boolean {
  if (typeof value === 'number') return Number.isFinite(value);
  if (typeof value !== 'object' || value === null) return true;
  if (Array.isArray(value)) {
    for (const item of value) if (!keysSortedDeep(item)) return false;
    return true;
  }
  if (Object.getPrototypeOf(value) !== Object.prototype) return false;
  let previous: string | undefined;
  for (const key of Object.keys(value)) {
    if (previous !== undefined && !(previous < key)) return false;
    if (!keysSortedDeep((value as Record<string, unknown>)[key])) return false;
    previous = key;
  }
  return true;
}

/**
 * The dedup key of a CTR under a strategy. `content` is the fingerprint itself; `version` is the pair AWS documents
 * for CTR dedup (ContactId, LastUpdateTimestamp), hashed so the key has a fixed size, and prefixed so the two
 * strategies can never collide in one table.
 */
export function dedupKey(ctr: Ctr, fingerprint: string, strategy: DedupKeyStrategy): string {
  if (strategy === 'content') return fingerprint;
  const version = `${ctr.ContactId}\u0000${ctr.LastUpdateTimestamp ?? ctr.InitiationTimestamp}`;
  return `v:${createHash('sha256').update(version, 'utf8').digest('hex')}`;
}
