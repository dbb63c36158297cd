import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';

/** The reference scenario: 6 CTRs, each of 3 contacts twice. */
export const DEFAULT_SAMPLES = resolve(__dirname, '..', '..', 'samples', 'duplicated-ctrs.json');

/** Arrays are sent in emulator events of at most this many records, like a caller batching its invocations. */
export const RECORDS_PER_EVENT = 500;

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
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (cause) {
    throw new SamplesFileError(file, `samples file ${file} is not valid JSON: ${(cause as Error).message}`, { cause });
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
