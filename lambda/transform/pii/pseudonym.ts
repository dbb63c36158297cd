import { createHmac, type KeyObject } from 'node:crypto';

/** What every pseudonym starts with, so that a reader (or a query) tells it from a clear value at a glance. */
export const PSEUDONYM_PREFIX = 'hmac:';

/** `hmac:` and the 64 lowercase hex digits of an HMAC-SHA-256: 69 characters, whatever the value's length. */
export const PSEUDONYM_PATTERN = /^hmac:[0-9a-f]{64}$/;

/** HMAC-SHA-256 (RFC 2104, FIPS 180-4) of `data` under `key`, as lowercase hex. */
export function hmacSha256Hex(key: KeyObject, data: string | Uint8Array): string {
  return createHmac('sha256', key).update(data).digest('hex');
}

/**
 * The keyed pseudonym of a personal value: `hmac:` + HMAC-SHA-256 of its UTF-8 form (phone numbers in their
 * canonical form, see phoneCanonical) under the deployment's key. The same value gives the same pseudonym under one
 * key, so pseudonyms can be counted and joined; without the key a guessed number cannot be hashed to confirm it.
 */
export function pseudonymOf(key: KeyObject, value: string): string {
  return `${PSEUDONYM_PREFIX}${hmacSha256Hex(key, phoneCanonical(value) ?? value)}`;
}

/** A phone number as people and systems write it: an optional `+`, digits, and spaces, dots, hyphens or brackets. */
const PHONE_LIKE = /^\+?[0-9 ().-]+$/;
/** E.164 numbers have at most 15 digits; fewer than 7 is a short code or an extension, not a caller's number. */
const MIN_PHONE_DIGITS = 7;
const MAX_PHONE_DIGITS = 15;

/**
 * `+` and the digits of a value written like a phone number, or undefined for anything else. Connect writes E.164
 * (`+15551234567`), but copies of a number lose the `+` (a real CTR has `" 19182690528"`: a `+` URL-decoded to a
 * space) or gain separators: all of them are one number, so they get one pseudonym and are found as copies.
 */
export function phoneCanonical(value: string): string | undefined {
  const trimmed = value.trim();
  if (!PHONE_LIKE.test(trimmed)) return undefined;
  const digits = trimmed.replace(/\D/g, '');
  return digits.length >= MIN_PHONE_DIGITS && digits.length <= MAX_PHONE_DIGITS ? `+${digits}` : undefined;
}
