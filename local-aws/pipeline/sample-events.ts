import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';

/** The reference scenario: 6 CTRs, each of 3 contacts twice. */
export const DEFAULT_SAMPLES = resolve(__dirname, '..', '..', 'samples', 'duplicated-ctrs.json');

import { RECORDS_PER_EVENT } from './emulator-events';

export { RECORDS_PER_EVENT };

/** A samples file that cannot be used, with a message meant for the person who named it. */
export class SamplesFileError extends Error {
  constructor(
    readonly file: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'SamplesFileError';
  }
}

/** One samples file read: the emulator events it makes and how many records they hold. */
export interface SampleEvents {
  readonly file: string;
  readonly events: readonly unknown[];
  readonly records: number;
}

/**
 * Reads a samples file: a CTR, an array of CTRs, or `{ "records": [...] }`, i.e. an emulator event. Arrays are
 * split into events of RECORDS_PER_EVENT records (a Lambda payload is at most 6 MB); anything else is one event,
 * which the emulator validates.
 */
export async function readSampleEvents(file: string): Promise<SampleEvents> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : String(cause);
    throw new SamplesFileError(file, `cannot read samples file ${file}: ${why}`, { cause });
  }
  // A byte order mark is not JSON, but editors on Windows write one: read past it.
  if (text.startsWith('\uFEFF')) text = text.slice(1);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (cause) {
    const { line, column, reason } = jsonSyntaxError(text, cause as Error);
    throw new SamplesFileError(
      file,
      `samples file ${file} is not valid JSON at line ${line}, column ${column}: ${reason}`,
      { cause },
    );
  }
  if (!Array.isArray(parsed)) return { file, events: [parsed], records: countRecords(parsed) };
  const events: unknown[][] = [];
  for (let i = 0; i < parsed.length; i += RECORDS_PER_EVENT) events.push(parsed.slice(i, i + RECORDS_PER_EVENT));
  // An empty array is still sent, so that the emulator refuses it with its own message.
  return { file, events: events.length > 0 ? events : [parsed], records: parsed.length };
}

function countRecords(event: unknown): number {
  const records = (event as { records?: unknown } | null)?.records;
  return Array.isArray(records) ? records.length : 1;
}

/**
 * Where JSON.parse stopped in `text`, and why, in one line. V8 gives the position in most messages ("... in JSON at
 * position 19"), but for an unexpected character it quotes the text around it instead, newlines included. Then the
 * position is the shortest prefix of the text that fails for a reason other than ending too soon: every shorter
 * prefix is valid so far, and JSON.parse reports it at its end (or as "Unexpected end of JSON input").
 */
export function jsonSyntaxError(text: string, error: Error): { line: number; column: number; reason: string } {
  const reason = error.message
    .replace(/, (?:\.\.\.)?".*$/s, '')
    .replace(/ (?:in JSON )?at position \d+.*$/s, '')
    .trim();
  const stated = /at position (\d+)/.exec(error.message);
  const offset = stated
    ? Number(stated[1])
    : /end of JSON input/.test(error.message)
      ? text.length
      : failingPrefix(text);
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return { line, column: offset - before.lastIndexOf('\n'), reason };
}

/** The offset of the character that makes `text` invalid JSON (text.length when none does). */
function failingPrefix(text: string): number {
  const failsBefore = (length: number): boolean => {
    try {
      JSON.parse(text.slice(0, length));
      return false;
    } catch (error) {
      const stated = /at position (\d+)/.exec((error as Error).message);
      if (stated) return Number(stated[1]) < length;
      return !/end of JSON input/.test((error as Error).message);
    }
  };
  let [lo, hi] = [1, text.length];
  if (!failsBefore(hi)) return text.length;
  while (lo < hi) {
    const mid = Math.floor((lo + hi) / 2);
    if (failsBefore(mid)) hi = mid;
    else lo = mid + 1;
  }
  return lo - 1;
}
