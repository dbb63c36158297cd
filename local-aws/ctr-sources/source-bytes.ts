import { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';

const GZIP_MAGIC = [0x1f, 0x8b] as const;
const UTF8_BOM = [0xef, 0xbb, 0xbf] as const;

/** The decompressed bytes of a source, and how many bytes of a byte order mark were dropped from their start. */
export interface DecodedBytes {
  readonly chunks: AsyncIterable<Buffer>;
  readonly gzip: boolean;
  readonly bomBytes: number;
}

/**
 * Decodes a source's raw bytes: gunzipped when they start with the gzip magic bytes (whatever the name says, since
 * Firehose's objects have no extension unless compression adds `.gz`; concatenated gzip members, as `cat a.gz b.gz`
 * makes, are read through), then without a leading UTF-8 byte order mark. `onRawBytes` is told of every raw byte
 * read, for progress against the source's size. A corrupt or truncated gzip stream makes `chunks` throw once the
 * bytes before the damage are out.
 */
export async function decodeSourceBytes(
  raw: AsyncIterable<Uint8Array>,
  onRawBytes: (bytes: number) => void = () => undefined,
): Promise<DecodedBytes> {
  const counted = countBytes(raw, onRawBytes);
  const { head, rest } = await peek(counted, GZIP_MAGIC.length);
  const gzip = startsWith(head, GZIP_MAGIC);
  const decoded = gzip ? gunzip(rest) : rest;
  let text;
  try {
    text = await peek(decoded, UTF8_BOM.length);
  } catch (error) {
    // Damage within the first bytes: reported by `chunks`, like damage further on.
    return { chunks: failing(error), gzip, bomBytes: 0 };
  }
  const bomBytes = startsWith(text.head, UTF8_BOM) ? UTF8_BOM.length : 0;
  return { chunks: skip(text.rest, bomBytes), gzip, bomBytes };
}

async function* countBytes(raw: AsyncIterable<Uint8Array>, onRawBytes: (bytes: number) => void): AsyncIterable<Buffer> {
  for await (const chunk of raw) {
    onRawBytes(chunk.byteLength);
    yield Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  }
}

/** Reads at least `bytes` bytes (or all there is) and returns them with an iterable of everything, them included. */
async function peek(
  source: AsyncIterable<Buffer>,
  bytes: number,
): Promise<{ head: Buffer; rest: AsyncIterable<Buffer> }> {
  const iterator = source[Symbol.asyncIterator]();
  const taken: Buffer[] = [];
  let length = 0;
  let done = false;
  while (length < bytes) {
    const next = await iterator.next();
    if (next.done) {
      done = true;
      break;
    }
    taken.push(next.value);
    length += next.value.length;
  }
  const head = Buffer.concat(taken);
  async function* rest(): AsyncIterable<Buffer> {
    if (head.length > 0) yield head;
    if (done) return;
    for (;;) {
      const next = await iterator.next();
      if (next.done) return;
      yield next.value;
    }
  }
  return { head, rest: rest() };
}

async function* gunzip(compressed: AsyncIterable<Buffer>): AsyncIterable<Buffer> {
  const input = Readable.from(compressed);
  const gunzipper = createGunzip();
  input.on('error', (error) => gunzipper.destroy(error));
  input.pipe(gunzipper);
  try {
    for await (const chunk of gunzipper) yield chunk as Buffer;
  } finally {
    input.destroy();
    gunzipper.destroy();
  }
}

async function* skip(chunks: AsyncIterable<Buffer>, bytes: number): AsyncIterable<Buffer> {
  let left = bytes;
  for await (const chunk of chunks) {
    if (left >= chunk.length) {
      left -= chunk.length;
      continue;
    }
    yield left > 0 ? chunk.subarray(left) : chunk;
    left = 0;
  }
}

// eslint-disable-next-line require-yield -- an iterable that fails when read
async function* failing(error: unknown): AsyncIterable<Buffer> {
  throw error;
}

function startsWith(bytes: Buffer, prefix: readonly number[]): boolean {
  return bytes.length >= prefix.length && prefix.every((byte, i) => bytes[i] === byte);
}
