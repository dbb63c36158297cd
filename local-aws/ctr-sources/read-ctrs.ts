import type { S3Client } from '@aws-sdk/client-s3';
import { types } from 'node:util';
import { resolve } from 'node:path';
import { fileSources } from './file-sources';
import { JsonRecordReader, type Position, type ReadItem } from './json-record-reader';
import { parseS3Url, s3Sources } from './s3-sources';
import { decodeSourceBytes } from './source-bytes';
import { SourceError, type CtrSource } from './source';

export type { CtrSource } from './source';
export type { Position } from './json-record-reader';
export { SourceError } from './source';

/** A record or a malformed piece, with the source it came from. */
export type SourceItem = ReadItem & { readonly source: string };

/** A malformed piece as commands report it (`malformed: [{ source, position, reason }]`). */
export interface MalformedPiece {
  readonly source: string;
  readonly position: Position;
  readonly reason: string;
}

export interface ListSourcesOptions {
  /** Where relative paths start. @default process.cwd() */
  readonly cwd?: string;
  /** Reads `s3://` sources; asked for only when one is named. */
  readonly s3?: () => S3Client;
}

/**
 * The sources named by files, directories (read recursively) and `s3://bucket/prefix` URLs, in the order given and,
 * within a directory or prefix, in name order: a rerun reads the same sources in the same order, which a checkpoint
 * relies on. Throws SourceError for a name that lists nothing, before anything is read.
 */
export async function listSources(specs: readonly string[], options: ListSourcesOptions = {}): Promise<CtrSource[]> {
  const cwd = options.cwd ?? process.cwd();
  const sources: CtrSource[] = [];
  for (const spec of specs) {
    if (parseS3Url(spec)) {
      if (!options.s3) throw new SourceError(spec, `${spec}: S3 sources are not read here`);
      for await (const source of s3Sources(spec, options.s3())) sources.push(source);
    } else {
      for await (const source of fileSources(spec, cwd)) sources.push(source);
    }
  }
  return sources;
}

/** A source name as it identifies the source from any working directory: an S3 URL as is, a path made absolute. */
export function canonicalSpec(spec: string, cwd: string): string {
  return parseS3Url(spec) ? spec : resolve(cwd, spec);
}

export interface ReadSourceOptions {
  /** Told of every raw (possibly compressed) byte read. */
  readonly onRawBytes?: (bytes: number) => void;
  readonly maxValueBytes?: number;
}

/**
 * Reads one source as a stream, in constant memory: gzip (by magic bytes) and a UTF-8 byte order mark are handled,
 * then every record and malformed piece is yielded in order (json-record-reader.ts says which layouts are read). A
 * source that cannot be opened, or whose gzip data is damaged, yields one malformed piece saying so and ends; what
 * was read before the damage stands.
 */
export async function* readSource(source: CtrSource, options: ReadSourceOptions = {}): AsyncGenerator<SourceItem> {
  let decoded;
  try {
    decoded = await decodeSourceBytes(await source.open(), options.onRawBytes);
  } catch (error) {
    yield malformedItem(source, { byte: 0, line: 1 }, `cannot read ${source.name}: ${describe(error)}`);
    return;
  }
  const reader = new JsonRecordReader({
    startOffset: decoded.bomBytes,
    ...(options.maxValueBytes !== undefined ? { maxValueBytes: options.maxValueBytes } : {}),
  });
  try {
    for await (const chunk of decoded.chunks) {
      for (const item of reader.write(chunk)) yield { ...item, source: source.name };
    }
  } catch (error) {
    const at = reader.endPosition;
    const what = decoded.gzip ? 'the gzip data is damaged or truncated' : 'reading failed';
    for (const item of reader.end()) yield { ...item, source: source.name };
    yield malformedItem(source, at, `${what} after ${at.byte} bytes: ${describe(error)}`);
    return;
  }
  for (const item of reader.end()) yield { ...item, source: source.name };
}

function malformedItem(source: CtrSource, position: Position, reason: string): SourceItem {
  return { kind: 'malformed', source: source.name, position, reason };
}

/** The message of anything thrown; isNativeError also knows Node's own errors made in another realm (zlib's). */
function describe(error: unknown): string {
  return error instanceof Error || types.isNativeError(error) ? error.message : String(error);
}
