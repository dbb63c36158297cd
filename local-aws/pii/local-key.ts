import { randomInt } from 'node:crypto';
import { readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  KEY_FIELD,
  parsePseudonymKey,
  PseudonymKeyError,
  VERSION_FIELD,
  type PseudonymKey,
} from '../../lambda/transform/pii/pseudonym-key';
import { stateDir } from '../lake/lake-writer';

/** The local lake's pseudonym key: in its state directory, beside the dedup table, never under the lake's data. */
export const LOCAL_KEY_FILE = 'pii-key.json';

/** Letters and digits, as Secrets Manager generates the deployed key (ExcludePunctuation). */
const KEY_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const KEY_LENGTH = 64;

export function localKeyPath(lakeDir: string): string {
  return join(stateDir(lakeDir), LOCAL_KEY_FILE);
}

/** A local key: its stored text (the secret's form), the key itself and where it is. */
export interface LocalKey {
  readonly path: string;
  readonly secretString: string;
  readonly key: PseudonymKey;
}

/**
 * The lake's key, created on first use, so that runs on one lake give one number one pseudonym. The file has the
 * deployed secret's form (`{"version": N, "key": "..."}`), readable by its owner only. When the configured version
 * differs from the file's, a new key is generated as a deploy does, and the previous file is kept beside it as
 * `pii-key.v<old version>.json` to make the earlier pseudonyms of the lake reproducible.
 */
export async function ensureLocalKey(lakeDir: string, version: number): Promise<LocalKey> {
  const path = localKeyPath(lakeDir);
  const existing = await readLocalKeyIfAny(lakeDir);
  if (existing && existing.key.version === version) return existing;
  if (existing) await rename(path, join(stateDir(lakeDir), `pii-key.v${existing.key.version}.json`));
  const secretString = JSON.stringify({ [VERSION_FIELD]: version, [KEY_FIELD]: randomKey() });
  // 'wx': never overwrite a key another run has just written.
  await writeFile(path, `${secretString}\n`, { flag: 'wx', mode: 0o600 });
  return { path, secretString, key: parsePseudonymKey(secretString, path) };
}

/** The lake's key, which must exist (`npm run pseudonym -- --lake DIR` reads it). */
export async function readLocalKey(lakeDir: string): Promise<LocalKey> {
  const found = await readLocalKeyIfAny(lakeDir);
  if (!found) {
    throw new PseudonymKeyError(
      `no pseudonym key at ${localKeyPath(lakeDir)}: the lake has not been run in pseudonymise mode ` +
        '(npm start -- --lake DIR creates it)',
    );
  }
  return found;
}

async function readLocalKeyIfAny(lakeDir: string): Promise<LocalKey | undefined> {
  const path = localKeyPath(lakeDir);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  const secretString = text.trim();
  return { path, secretString, key: parsePseudonymKey(secretString, path) };
}

function randomKey(): string {
  return Array.from({ length: KEY_LENGTH }, () => KEY_ALPHABET[randomInt(KEY_ALPHABET.length)]).join('');
}
