import { ConfigurationError } from '../../shared/errors';

/**
 * What the transform does with personal values (the `ctrLake:piiMode` of the deployment):
 * - `pseudonymise`: each becomes a keyed pseudonym (pseudonym.ts): equal values stay equal, none can be read back;
 * - `drop`: each becomes null;
 * - `keep`: the lake holds them as the CTR does.
 */
export type PiiMode = 'pseudonymise' | 'keep' | 'drop';
export const PII_MODES: readonly PiiMode[] = ['pseudonymise', 'keep', 'drop'];
export const DEFAULT_PII_MODE: PiiMode = 'pseudonymise';

/** The endpoint objects of a CTR whose `Address` is a phone number (or, for chat and tasks, another address). */
export const PII_ENDPOINT_FIELDS = ['CustomerEndpoint', 'SystemEndpoint', 'TransferredToEndpoint'] as const;

/** Which values are personal and what to do with them. */
export interface PiiPolicy {
  readonly mode: PiiMode;
  /** Contact attributes (keys of the CTR's `Attributes`) that hold personal data too. */
  readonly attributeKeys: readonly string[];
}

/** The transform's environment variables for the policy and its key (docs/CONTRACTS.md). */
export const PII_ENV = {
  mode: 'PII_MODE',
  /** A JSON array of attribute keys. */
  attributeKeys: 'PII_ATTRIBUTE_KEYS',
  /** ARN (or name) of the Secrets Manager secret holding the pseudonym key; `pseudonymise` only. */
  keySecretId: 'PII_KEY_SECRET_ID',
  /** The key version the deployment configured (`ctrLake:piiKeyVersion`); `pseudonymise` only. */
  keyVersion: 'PII_KEY_VERSION',
} as const;

/**
 * Limits of `ctrLake:piiAttributeKeys`. Lambda refuses a function whose environment variables take more than 4 KB
 * in all, so the list's JSON text (PII_ATTRIBUTE_KEYS) gets at most half of that.
 */
export const MAX_PII_ATTRIBUTE_KEYS = 50;
export const MAX_PII_ATTRIBUTE_KEY_LENGTH = 128;
export const MAX_PII_ATTRIBUTE_KEYS_JSON = 2048;

/** The transform's PII settings, read once per cold start. */
export interface PiiSettings {
  readonly policy: PiiPolicy;
  /** Where the key is, when the mode needs one. */
  readonly key?: { readonly secretId: string; readonly expectedVersion: number };
}

/**
 * Reads the PII settings from the transform's environment. Every problem is reported at once, as a
 * ConfigurationError: no record can be written safely without knowing what to do with its phone numbers.
 */
export function readPiiSettings(env: Readonly<Record<string, string | undefined>>): PiiSettings {
  const problems: string[] = [];
  const modeText = env[PII_ENV.mode]?.trim();
  const mode = PII_MODES.find((m) => m === modeText);
  if (!mode) problems.push(`${PII_ENV.mode} must be one of ${PII_MODES.join(', ')}, received "${modeText ?? ''}"`);

  const attributeKeys = parseAttributeKeys(env[PII_ENV.attributeKeys], problems);

  let key: PiiSettings['key'];
  if (mode === 'pseudonymise') {
    const secretId = env[PII_ENV.keySecretId]?.trim() ?? '';
    if (!secretId) problems.push(`${PII_ENV.keySecretId} is required when ${PII_ENV.mode} is pseudonymise`);
    const versionText = env[PII_ENV.keyVersion]?.trim() ?? '';
    const expectedVersion = Number(versionText);
    if (!/^\d+$/.test(versionText) || !Number.isSafeInteger(expectedVersion) || expectedVersion < 1) {
      problems.push(`${PII_ENV.keyVersion} must be a whole number from 1, received "${versionText}"`);
    }
    key = { secretId, expectedVersion };
  }

  if (problems.length > 0 || !mode) {
    throw new ConfigurationError(`invalid PII configuration of the transform: ${problems.join('; ')}`);
  }
  return { policy: { mode, attributeKeys }, ...(key ? { key } : {}) };
}

function parseAttributeKeys(text: string | undefined, problems: string[]): string[] {
  if (text === undefined || text.trim() === '') return [];
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    value = undefined;
  }
  const keys = Array.isArray(value) ? value : undefined;
  const valid =
    keys !== undefined &&
    keys.length <= MAX_PII_ATTRIBUTE_KEYS &&
    text.length <= MAX_PII_ATTRIBUTE_KEYS_JSON &&
    keys.every((k) => typeof k === 'string' && k.length > 0 && k.length <= MAX_PII_ATTRIBUTE_KEY_LENGTH);
  if (!valid) {
    problems.push(
      `${PII_ENV.attributeKeys} must be a JSON array of at most ${MAX_PII_ATTRIBUTE_KEYS} attribute keys of ` +
        `1-${MAX_PII_ATTRIBUTE_KEY_LENGTH} characters, ${MAX_PII_ATTRIBUTE_KEYS_JSON} characters in all`,
    );
    return [];
  }
  return keys as string[];
}
