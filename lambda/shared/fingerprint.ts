import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';
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
  const canonical = canonicalize(ctr);
  if (canonical === undefined) {
    throw new TypeError('cannot fingerprint a value with no JSON form');
  }
  return createHash('sha256').update(canonical, 'utf8').digest('hex');
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
