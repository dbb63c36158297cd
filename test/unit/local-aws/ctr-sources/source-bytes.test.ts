import { gzipSync } from 'node:zlib';
import { decodeSourceBytes } from '../../../../local-aws/ctr-sources/source-bytes';

async function* chunks(bytes: Buffer, size: number): AsyncIterable<Uint8Array> {
  for (let i = 0; i < bytes.length; i += size) yield new Uint8Array(bytes.subarray(i, i + size));
}

async function collect(iterable: AsyncIterable<Buffer>): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const part of iterable) parts.push(part);
  return Buffer.concat(parts);
}

const BOM = Buffer.from([0xef, 0xbb, 0xbf]);
const TEXT = Buffer.from('{"ContactId":"é"}\n', 'utf8');

describe('decodeSourceBytes', () => {
  it.each([
    ['plain', TEXT, false, 0],
    ['with a byte order mark', Buffer.concat([BOM, TEXT]), false, 3],
    ['gzipped, whatever the name', gzipSync(TEXT), true, 0],
    ['gzipped with a byte order mark inside', gzipSync(Buffer.concat([BOM, TEXT])), true, 3],
    [
      'two gzip members one after the other',
      Buffer.concat([gzipSync(TEXT.subarray(0, 5)), gzipSync(TEXT.subarray(5))]),
      true,
      0,
    ],
  ])('decodes %s, even one byte at a time', async (_name, raw, gzip, bomBytes) => {
    // Act
    const decoded = await decodeSourceBytes(chunks(raw, 1));

    // Assert
    expect({ gzip: decoded.gzip, bomBytes: decoded.bomBytes }).toEqual({ gzip, bomBytes });
    expect(await collect(decoded.chunks)).toEqual(TEXT);
  });

  it('decodes an empty source to nothing', async () => {
    // Act
    const decoded = await decodeSourceBytes(chunks(Buffer.alloc(0), 1));

    // Assert
    expect(await collect(decoded.chunks)).toEqual(Buffer.alloc(0));
  });

  it('counts raw bytes as they are read', async () => {
    // Arrange
    const raw = gzipSync(TEXT);
    let counted = 0;

    // Act
    const decoded = await decodeSourceBytes(chunks(raw, 4), (n) => (counted += n));
    await collect(decoded.chunks);

    // Assert
    expect(counted).toBe(raw.length);
  });

  it('throws from the chunks when the gzip data is damaged', async () => {
    // Arrange
    const raw = gzipSync(TEXT);
    raw[raw.length - 5] ^= 0xff; // the CRC no longer matches

    // Act
    const decoded = await decodeSourceBytes(chunks(raw, 64));

    // Assert: zlib's error is made in Node's realm, not the test's, so it is matched by shape.
    await expect(collect(decoded.chunks)).rejects.toMatchObject({
      code: 'Z_DATA_ERROR',
      message: 'incorrect data check',
    });
  });
});
