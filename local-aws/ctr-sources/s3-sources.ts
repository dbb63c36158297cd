import { GetObjectCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { SourceError, type CtrSource } from './source';

/** `s3://bucket/prefix` → bucket and prefix; undefined when the text is not an S3 URL at all. */
export function parseS3Url(text: string): { bucket: string; prefix: string } | undefined {
  if (!text.startsWith('s3://')) return undefined;
  const rest = text.slice('s3://'.length);
  const slash = rest.indexOf('/');
  const bucket = slash < 0 ? rest : rest.slice(0, slash);
  if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucket)) {
    throw new SourceError(text, `${text}: "${bucket}" is not an S3 bucket name (expected s3://bucket/prefix)`);
  }
  return { bucket, prefix: slash < 0 ? '' : rest.slice(slash + 1) };
}

/**
 * Every object under an S3 prefix, in key order (ListObjectsV2 returns keys in UTF-8 binary order, page by page), as
 * sources read with GetObject. Keys ending in `/` (the console's folder markers) are skipped. A prefix with no object
 * is an error, as a missing file is: a typo should not look like an empty backfill.
 */
export async function* s3Sources(url: string, client: S3Client): AsyncGenerator<CtrSource> {
  const { bucket, prefix } = parseS3Url(url)!;
  let token: string | undefined;
  let found = 0;
  do {
    let page;
    try {
      page = await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }));
    } catch (cause) {
      throw new SourceError(url, `cannot list ${url}: ${describeS3Error(cause)}`, { cause });
    }
    for (const object of page.Contents ?? []) {
      if (!object.Key || object.Key.endsWith('/')) continue;
      found += 1;
      yield s3Source(client, bucket, object.Key, object.Size);
    }
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  if (found === 0) throw new SourceError(url, `${url} holds no object`);
}

function s3Source(client: S3Client, bucket: string, key: string, size: number | undefined): CtrSource {
  const url = `s3://${bucket}/${key}`;
  return {
    name: url,
    id: url,
    size,
    open: async () => {
      const answer = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      const body: unknown = answer.Body;
      if (!isAsyncIterable(body)) throw new Error(`GetObject returned no readable body for ${url}`);
      return body;
    },
  };
}

function isAsyncIterable(value: unknown): value is AsyncIterable<Uint8Array> {
  return typeof value === 'object' && value !== null && Symbol.asyncIterator in value;
}

export function describeS3Error(error: unknown): string {
  const name = (error as { name?: string }).name ?? 'Error';
  const message = error instanceof Error ? error.message : String(error);
  return name === 'NoSuchBucket' ? 'no such bucket' : `${name}: ${message}`;
}
