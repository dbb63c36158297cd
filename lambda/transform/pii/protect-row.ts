import type { Ctr } from '../../shared/ctr';
import type { LakeRow } from '../../shared/row-schema';
import { jsonText } from '../json-text';
import { personalColumnsOf } from '../to-lake-row';
import { PII_ENDPOINT_FIELDS, type PiiPolicy } from './pii-policy';
import { phoneCanonical, pseudonymOf } from './pseudonym';
import type { PseudonymKey } from './pseudonym-key';
import { rewriteJson, type JsonPath } from './rewrite-json';

/** Turns a row as the CTR has it into the row the lake may hold. */
export type RowProtector = (row: LakeRow) => LakeRow;

const ENDPOINTS: ReadonlySet<string> = new Set(PII_ENDPOINT_FIELDS);

/**
 * The row protector of a policy (`key` is required to pseudonymise). What it does to a row:
 *
 * 1. In `raw_ctr`, every value at a personal path (`<Endpoint>.Address` of PII_ENDPOINT_FIELDS, `Attributes.<key>`
 *    of the policy's keys) is replaced wherever it occurs, duplicate keys included: by its pseudonym (a non-string
 *    value by the pseudonym of its JSON text) or by null. Null stays null; an empty string, which says nothing
 *    about anyone, stays empty when pseudonymising.
 * 2. Copies of those values elsewhere in `raw_ctr` are replaced too, when the value is a phone number: any other
 *    string or number anywhere in the CTR written as the same number (phoneCanonical: with or without `+`,
 *    separators) is a copy, such as an attribute a contact flow set from the caller's number.
 * 3. The personal columns (`customer_endpoint`, `system_endpoint`, `attributes`) are projected again from the
 *    protected `raw_ctr`, exactly as the row was built: the columns and the raw CTR cannot disagree.
 * 4. `pii_key_version` records the key's version when pseudonymising (null otherwise), so pseudonyms made under
 *    different keys are never taken for one another.
 *
 * Everything else in the row, the fingerprint included (the checker computed it over the original CTR), is kept.
 */
export function rowProtector(policy: PiiPolicy, key?: PseudonymKey): RowProtector {
  if (policy.mode === 'keep') return (row) => row;
  if (policy.mode === 'pseudonymise' && key === undefined) {
    throw new TypeError('pseudonymising needs a key');
  }
  const attributeKeys: ReadonlySet<string> = new Set(policy.attributeKeys);
  const isPersonal = (path: JsonPath): boolean =>
    path.length === 2 &&
    ((path[1] === 'Address' && typeof path[0] === 'string' && ENDPOINTS.has(path[0])) ||
      (path[0] === 'Attributes' && typeof path[1] === 'string' && attributeKeys.has(path[1])));
  // A clear value's replacement: its pseudonym, or null when dropping.
  const replacement = (value: string): string =>
    key === undefined ? 'null' : JSON.stringify(pseudonymOf(key.material, value));
  const keyVersion = key?.version ?? null;

  return (row) => {
    const raw = row.raw_ctr;
    if (raw === null) return { ...row, pii_key_version: keyVersion };
    const phones = personalPhones(raw, isPersonal);
    const protectedRaw = rewriteJson(raw, {
      selects: isPersonal,
      whole: (_path, text) => {
        const value = clearValueOf(text);
        if (value === undefined) return undefined;
        return value === '' && key !== undefined ? undefined : replacement(value);
      },
      ...(phones.size > 0
        ? {
            scalar: (_kind: 'string' | 'number', value: string) => {
              const phone = phoneCanonical(value);
              return phone !== undefined && phones.has(phone) ? replacement(value) : undefined;
            },
          }
        : {}),
    });
    const columns = protectedRaw === raw ? {} : personalColumnsOf(JSON.parse(protectedRaw) as Ctr);
    return { ...row, ...columns, raw_ctr: protectedRaw, pii_key_version: keyVersion };
  };
}

/** The canonical form of every phone number found at a personal path, in any copy of it. */
function personalPhones(raw: string, isPersonal: (path: JsonPath) => boolean): Set<string> {
  const phones = new Set<string>();
  rewriteJson(raw, {
    selects: isPersonal,
    whole: (_path, text) => {
      const value = clearValueOf(text);
      const phone = value === undefined ? undefined : phoneCanonical(value);
      if (phone !== undefined) phones.add(phone);
      return undefined;
    },
  });
  return phones;
}

/** A personal value as the text its pseudonym is made from: a string itself, anything else its JSON; null: none. */
function clearValueOf(text: string): string | undefined {
  const value: unknown = JSON.parse(text);
  if (value === null) return undefined;
  return typeof value === 'string' ? value : jsonText(value);
}
