import { readdirSync, readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

/**
 * The real third-party CTRs of ../shared/real-ctrs (SOURCES.md there), read where they live beside the repository,
 * never copied into it. Each file is a JSON array of records.
 */
export const REAL_CTRS_DIR = join(__dirname, '..', '..', '..', 'shared', 'real-ctrs');

export type RealCtr = Record<string, unknown> & { readonly ContactId: string; readonly InitiationTimestamp: string };

/** Every real CTR, file by file in name order, each file's records in order. */
export function loadRealCtrs(): RealCtr[] {
  return readdirSync(REAL_CTRS_DIR)
    .filter((name) => name.endsWith('.json'))
    .sort()
    .flatMap((name) => JSON.parse(readFileSync(join(REAL_CTRS_DIR, name), 'utf8')) as RealCtr[]);
}

/** One way of writing CTRs into a file, as exports found in the wild do. */
export interface CtrFileFormat {
  readonly name: string;
  readonly render: (ctrs: readonly RealCtr[]) => Buffer;
}

const utf8 = (text: string): Buffer => Buffer.from(text, 'utf8');

/** The layouts the reader must take: Firehose's (objects back to back), JSON Lines, arrays, the console wrapper. */
export const CTR_FILE_FORMATS: readonly CtrFileFormat[] = [
  { name: 'concatenated', render: (ctrs) => utf8(ctrs.map((c) => JSON.stringify(c)).join('')) },
  { name: 'concatenated-pretty', render: (ctrs) => utf8(ctrs.map((c) => JSON.stringify(c, null, 2)).join('\n')) },
  { name: 'jsonl', render: (ctrs) => utf8(ctrs.map((c) => `${JSON.stringify(c)}\n`).join('')) },
  { name: 'array', render: (ctrs) => utf8(JSON.stringify(ctrs, null, 2)) },
  { name: 'records-wrapper', render: (ctrs) => utf8(JSON.stringify({ records: ctrs })) },
];

export const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/** The same bytes with a byte order mark, gzipped, or both. */
export const VARIANTS: readonly { readonly name: string; readonly apply: (bytes: Buffer) => Buffer }[] = [
  { name: 'plain', apply: (bytes) => bytes },
  { name: 'bom', apply: (bytes) => Buffer.concat([UTF8_BOM, bytes]) },
  { name: 'gzip', apply: (bytes) => gzipSync(bytes) },
  { name: 'bom+gzip', apply: (bytes) => gzipSync(Buffer.concat([UTF8_BOM, bytes])) },
];

/** A JSON Lines file of the CTRs with one truncated record in the middle, as a crashed writer leaves it. */
export function jsonLinesWithBrokenMiddle(ctrs: readonly RealCtr[]): { bytes: Buffer; broken: RealCtr; line: number } {
  const middle = Math.floor(ctrs.length / 2);
  const lines = ctrs.map((c) => JSON.stringify(c));
  lines[middle] = lines[middle]!.slice(0, Math.floor(lines[middle]!.length / 2));
  return { bytes: utf8(lines.map((l) => `${l}\n`).join('')), broken: ctrs[middle]!, line: middle + 1 };
}

/** Objects back to back with one cut short in the middle, so the next object follows the truncated one directly. */
export function concatenatedWithBrokenMiddle(ctrs: readonly RealCtr[]): {
  bytes: Buffer;
  broken: RealCtr;
  byte: number;
} {
  const middle = Math.floor(ctrs.length / 2);
  const texts = ctrs.map((c) => JSON.stringify(c));
  texts[middle] = texts[middle]!.slice(0, Math.floor(texts[middle]!.length / 2));
  const byte = Buffer.byteLength(texts.slice(0, middle).join(''), 'utf8');
  return { bytes: utf8(texts.join('')), broken: ctrs[middle]!, byte };
}

/** Writes `bytes` to `dir/name`, creating the directory. */
export async function writeSource(dir: string, name: string, bytes: Buffer): Promise<string> {
  await mkdir(dir, { recursive: true });
  const path = join(dir, name);
  await writeFile(path, bytes);
  return path;
}
