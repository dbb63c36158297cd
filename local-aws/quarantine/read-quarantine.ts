import type { S3Client } from '@aws-sdk/client-s3';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { LAKE_ERROR_PREFIX } from '../../lambda/shared/row-schema';
import { listSources, readSource, type CtrSource, type MalformedPiece } from '../ctr-sources/read-ctrs';
import { decodeErrorRecord, type QuarantinedRecord } from './quarantined-record';

/** Where a lake keeps its error prefix: a local lake directory, or the deployed lake bucket. */
export type ErrorPrefixLocation =
  | { readonly kind: 'local'; readonly lakeDir: string }
  | { readonly kind: 's3'; readonly bucket: string; readonly client: S3Client };

/** The objects under the lake's `errors/` prefix, in key order (so oldest hour first); none when there is none. */
export async function listErrorObjects(location: ErrorPrefixLocation): Promise<CtrSource[]> {
  if (location.kind === 'local') {
    const dir = join(location.lakeDir, LAKE_ERROR_PREFIX);
    return existsSync(dir) ? listSources([dir]) : [];
  }
  const { client } = location;
  const url = `s3://${location.bucket}/${LAKE_ERROR_PREFIX}`;
  try {
    return await listSources([url], { s3: () => client });
  } catch (error) {
    if (error instanceof Error && error.message === `${url} holds no object`) return [];
    throw error;
  }
}

export type QuarantineItem =
  | { readonly kind: 'record'; readonly record: QuarantinedRecord }
  | { readonly kind: 'malformed'; readonly piece: MalformedPiece };

/**
 * Every record of the error objects, decoded (quarantined-record.ts), in order, read as a stream. Error objects are
 * JSON lines, GZIP when the lake is JSON, which the CTR reader reads like any other source; a line it cannot read is
 * yielded as a malformed piece.
 */
export async function* readQuarantine(objects: readonly CtrSource[]): AsyncGenerator<QuarantineItem> {
  for (const object of objects) {
    for await (const item of readSource(object)) {
      if (item.kind === 'record') {
        const where = { object: item.source, position: item.position };
        yield { kind: 'record', record: decodeErrorRecord(item.value, where) };
      } else {
        yield { kind: 'malformed', piece: { source: item.source, position: item.position, reason: item.reason } };
      }
    }
  }
}
