import type { GetObjectCommandOutput } from '@aws-sdk/client-s3';
import { Readable } from 'node:stream';

/**
 * A GetObject body as the SDK returns it in Node (a Readable stream with the SDK's helpers), made from bytes, for
 * aws-sdk-client-mock answers. The SDK's own mixin (@smithy/util-stream) is not a dependency of the project, so the
 * helpers the code under test might call are provided here and the object is cast to the SDK's type once.
 */
export function s3Body(bytes: Buffer, chunkBytes = 1024): GetObjectCommandOutput['Body'] {
  const chunks: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += chunkBytes) chunks.push(bytes.subarray(i, i + chunkBytes));
  const stream = Object.assign(Readable.from(chunks), {
    transformToByteArray: async () => new Uint8Array(bytes),
    transformToString: async (encoding?: string) => bytes.toString((encoding ?? 'utf8') as BufferEncoding),
    transformToWebStream: () => Readable.toWeb(Readable.from(chunks)),
  });
  return stream as unknown as GetObjectCommandOutput['Body'];
}
