import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { Envelope } from '../../lambda/shared/envelope';
import { LAKE_ERROR_PREFIX } from '../../lambda/shared/row-schema';
import type { ErrorOutputType, FirehoseErrorRecord } from '../../local-aws/firehose/firehose-records';

/** One record Firehose wrote under the error prefix, with the error output type its path names. */
export interface ErrorPrefixRecord extends FirehoseErrorRecord {
  readonly outputType: ErrorOutputType;
}

/** Firehose's error code for a record the transform itself answered `ProcessingFailed`: a quarantine. */
export const PROCESSING_FAILED_BY_TRANSFORM = 'Lambda.ProcessingFailed';

/** Reads every error record in the lake: `errors/<type>/YYYY/MM/DD/HH/<object>`, JSON lines, GZIP or not. */
export async function readErrorPrefix(lakeDir: string): Promise<ErrorPrefixRecord[]> {
  const root = join(lakeDir, LAKE_ERROR_PREFIX);
  if (!existsSync(root)) return [];
  const records: ErrorPrefixRecord[] = [];
  const files = (await readdir(root, { recursive: true, withFileTypes: true })).filter((entry) => entry.isFile());
  for (const file of files) {
    const path = join(file.parentPath, file.name);
    const outputType = relative(root, path).split(sep)[0] as ErrorOutputType;
    const bytes = await readFile(path);
    const text = (path.endsWith('.gz') ? gunzipSync(bytes) : bytes).toString('utf8');
    for (const line of text.split('\n')) {
      if (line.trim() !== '') records.push({ ...(JSON.parse(line) as FirehoseErrorRecord), outputType });
    }
  }
  return records;
}

/**
 * The envelope an error record carries (its rawData is the record as the checker put it), or undefined when the
 * data is not an envelope.
 */
export function envelopeOf(record: FirehoseErrorRecord): Envelope | undefined {
  try {
    const value = JSON.parse(Buffer.from(record.rawData, 'base64').toString('utf8')) as Partial<Envelope> | null;
    return value?.kind === 'ctr' || value?.kind === 'quarantine' ? (value as Envelope) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Records Firehose parked under the error prefix because the transform invocation itself failed (threw, timed out,
 * answered badly) after every retry: valid data, recoverable by re-driving it into the stream, not a quarantine.
 */
export function isParked(record: ErrorPrefixRecord): boolean {
  return record.outputType === 'processing-failed' && record.errorCode !== PROCESSING_FAILED_BY_TRANSFORM;
}
