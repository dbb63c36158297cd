import {
  CopyObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  NoSuchKey,
  PutObjectCommand,
  S3Client,
  type GetObjectCommandOutput,
} from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { S3ObjectStore } from '../../../lambda/compaction/adapters/s3-object-store';
import { LOCAL_CLIENT_CONFIG } from '../../../local-aws/servers';
import { temporaryDir } from '../../support/lake-fixture';

const s3 = mockClient(S3Client);
const BUCKET = 'lake-bucket';

function aStore(): S3ObjectStore {
  return new S3ObjectStore(BUCKET, new S3Client(LOCAL_CLIENT_CONFIG));
}

/** A GetObject body as the SDK returns it in Node: a Readable with the SDK's transform helpers. */
function body(text: string): GetObjectCommandOutput['Body'] {
  const bytes = Buffer.from(text);
  return Object.assign(Readable.from([bytes]), {
    transformToByteArray: async () => new Uint8Array(bytes),
    transformToString: async () => text,
    transformToWebStream: () => {
      throw new Error('not used');
    },
  }) as unknown as GetObjectCommandOutput['Body'];
}

beforeEach(() => s3.reset());

describe('S3ObjectStore', () => {
  it('lists every page under the prefix and marks archived storage classes', async () => {
    // Arrange
    s3.on(ListObjectsV2Command, { Prefix: 'ctr/' })
      .resolvesOnce({
        Contents: [{ Key: 'ctr/a', Size: 3, StorageClass: 'STANDARD' }],
        IsTruncated: true,
        NextContinuationToken: 't1',
      })
      .resolvesOnce({
        Contents: [
          { Key: 'ctr/b', Size: 4, StorageClass: 'DEEP_ARCHIVE' },
          { Key: 'ctr/c', Size: 5, StorageClass: 'GLACIER_IR' },
        ],
      });

    // Act
    const listed = await aStore().list('ctr/');

    // Assert
    expect(listed).toEqual([
      { key: 'ctr/a', size: 3, archived: false },
      { key: 'ctr/b', size: 4, archived: true },
      { key: 'ctr/c', size: 5, archived: false },
    ]);
    expect(s3).toHaveReceivedNthCommandWith(2, ListObjectsV2Command, {
      Bucket: BUCKET,
      Prefix: 'ctr/',
      ContinuationToken: 't1',
    });
  });

  it('answers undefined for a missing object on get, and rethrows anything else', async () => {
    // Arrange
    s3.on(GetObjectCommand, { Key: 'gone' }).rejects(new NoSuchKey({ message: 'NoSuchKey', $metadata: {} }));
    s3.on(GetObjectCommand, { Key: 'denied' }).rejects(new Error('AccessDenied'));

    // Act / Assert
    await expect(aStore().get('gone')).resolves.toBeUndefined();
    await expect(aStore().get('denied')).rejects.toThrow('AccessDenied');
  });

  it('downloads to a file and uploads a file with its length', async () => {
    // Arrange
    const work = await temporaryDir('s3-store');
    s3.on(GetObjectCommand, { Key: 'ctr/a' }).resolves({ Body: body('row bytes') });
    s3.on(PutObjectCommand).resolves({});
    const local = join(work.dir, 'a');
    const upload = join(work.dir, 'b');
    await writeFile(upload, 'staged bytes');

    try {
      // Act
      await aStore().download('ctr/a', local);
      await aStore().upload(upload, 'compaction/staging/b');

      // Assert
      expect(await readFile(local, 'utf8')).toBe('row bytes');
      expect(s3).toHaveReceivedCommandWith(PutObjectCommand, {
        Bucket: BUCKET,
        Key: 'compaction/staging/b',
        ContentLength: 12,
      });
    } finally {
      await work.remove();
    }
  });

  it('copies server-side with the source key URL-encoded and its slashes kept', async () => {
    // Arrange
    s3.on(CopyObjectCommand).resolves({});

    // Act
    await aStore().copy('compaction/staging/year=2026/a b.parquet', 'ctr/year=2026/c.parquet');

    // Assert
    expect(s3).toHaveReceivedCommandWith(CopyObjectCommand, {
      Bucket: BUCKET,
      Key: 'ctr/year=2026/c.parquet',
      CopySource: `${BUCKET}/compaction/staging/year%3D2026/a%20b.parquet`,
    });
  });

  it('deletes in batches of 1,000 keys and fails when S3 reports a key it could not delete', async () => {
    // Arrange
    const keys = Array.from({ length: 1500 }, (_, i) => `ctr/k${i}`);
    s3.on(DeleteObjectsCommand)
      .resolvesOnce({})
      .resolvesOnce({
        Errors: [{ Key: 'ctr/k1200', Code: 'AccessDenied', Message: 'Access Denied' }],
      });

    // Act
    const deleting = aStore().delete(keys);

    // Assert
    await expect(deleting).rejects.toThrow('DeleteObjects failed for 1 of 500 keys (first: ctr/k1200: AccessDenied');
    expect(s3).toHaveReceivedCommandTimes(DeleteObjectsCommand, 2);
    const first = s3.commandCalls(DeleteObjectsCommand)[0]!.args[0].input;
    expect(first.Delete?.Objects).toHaveLength(1000);
    expect(first.Delete?.Quiet).toBe(true);
  });
});
