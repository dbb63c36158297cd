import { createSecretKey, type KeyObject } from 'node:crypto';
import { CtrLakeError } from '../../shared/errors';

/**
 * The key pseudonyms are made with, and its version. The material is a KeyObject: printing, logging or
 * JSON-serialising it shows its type and size, never its bytes (`SecretKeyObject { type: 'secret', ... }`, `{}`).
 */
export interface PseudonymKey {
  /** Which key this is (`ctrLake:piiKeyVersion` when it was generated): every row records it. */
  readonly version: number;
  readonly material: KeyObject;
}

/** Where the transform gets its key: a port, so the core never imports the AWS SDK. */
export interface PseudonymKeyProvider {
  load(): Promise<PseudonymKey>;
}

/** The key could not be read or is malformed. The message names where it came from, never its content. */
export class PseudonymKeyError extends CtrLakeError {
  readonly code = 'PSEUDONYM_KEY';
}

/** Characters of the generated key at least: 32 characters of Secrets Manager's alphabet carry over 190 bits. */
export const MIN_KEY_CHARACTERS = 32;

/**
 * The key's stored form, in the Secrets Manager secret and in the local key file alike: a JSON object
 * `{"version": 1, "key": "<64 random letters and digits>"}`. The HMAC key is the UTF-8 bytes of `key`.
 */
export interface StoredPseudonymKey {
  readonly version: number;
  readonly key: string;
}

/** The JSON field holding the key material (the secret's generateStringKey). */
export const KEY_FIELD = 'key';
export const VERSION_FIELD = 'version';

/**
 * Reads a stored key. Throws PseudonymKeyError naming `source` and what is wrong: never with JSON.parse's error as
 * the cause, since its message quotes the text it failed on, here the key.
 */
export function parsePseudonymKey(text: string, source: string): PseudonymKey {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new PseudonymKeyError(`the pseudonym key in ${source} is not JSON`);
  }
  const fields = (typeof value === 'object' && value !== null ? value : {}) as Record<string, unknown>;
  const key = fields[KEY_FIELD];
  const version = typeof fields[VERSION_FIELD] === 'string' ? Number(fields[VERSION_FIELD]) : fields[VERSION_FIELD];
  if (typeof key !== 'string' || key.length < MIN_KEY_CHARACTERS) {
    throw new PseudonymKeyError(
      `the pseudonym key in ${source} has no "${KEY_FIELD}" of at least ${MIN_KEY_CHARACTERS} characters`,
    );
  }
  if (typeof version !== 'number' || !Number.isSafeInteger(version) || version < 1) {
    throw new PseudonymKeyError(`the pseudonym key in ${source} has no whole "${VERSION_FIELD}" from 1`);
  }
  return { version, material: createSecretKey(Buffer.from(key, 'utf8')) };
}

/**
 * The provider's key, loaded on first use and then kept for the life of the container: one Secrets Manager call per
 * cold start, not per batch. A failed load is not kept, so the next invocation (Firehose's retry) tries again.
 */
export function loadOnce(provider: PseudonymKeyProvider): PseudonymKeyProvider {
  let loading: Promise<PseudonymKey> | undefined;
  return {
    load: () => {
      loading ??= provider.load().catch((error: unknown) => {
        loading = undefined;
        throw error;
      });
      return loading;
    },
  };
}
