import {
  CopyObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  NoSuchKey,
  paginateListObjectsV2,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { createReadStream, createWriteStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ObjectStore, StoredObject } from '../ports';

/** Storage classes whose objects need a restore before a GET. */
const ARCHIVED_CLASSES = new Set(['GLACIER', 'DEEP_ARCHIVE']);
/** DeleteObjects takes at most 1,000 keys per request. */
const DELETE_BATCH = 1000;
/** PutObject and CopyObject take at most 5 GiB; the job's objects stay far below (targetObjectBytes). */
const SINGLE_REQUEST_LIMIT = 5 * 1024 ** 3;

/**
 * The lake bucket as the compaction core's ObjectStore. Objects are written with the bucket's default encryption
 * (SSE-KMS with the lake key and an S3 Bucket Key), so no request names a key. Deletes name no version: in the
 * versioned lake bucket they add a delete marker and the replaced versions expire with the bucket's
 * noncurrent-version rule (docs/CONTRACTS.md).
 */
export class S3ObjectStore implements ObjectStore {
  constructor(
    private readonly bucket: string,
    private readonly client: S3Client,
  ) {}

  async list(prefix: string): Promise<StoredObject[]> {
    const found: StoredObject[] = [];
    for await (const page of paginateListObjectsV2({ client: this.client }, { Bucket: this.bucket, Prefix: prefix })) {
      for (const object of page.Contents ?? []) {
        if (object.Key === undefined) continue;
        found.push({
          key: object.Key,
          size: object.Size ?? 0,
          archived: ARCHIVED_CLASSES.has(object.StorageClass ?? ''),
        });
      }
    }
    return found;
  }

  async get(key: string): Promise<Buffer | undefined> {
    try {
      const object = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
      if (!object.Body) throw new Error(`GetObject ${key} returned no body`);
      return Buffer.from(await object.Body.transformToByteArray());
    } catch (error) {
      if (error instanceof NoSuchKey) return undefined;
      throw error;
    }
  }

  async put(key: string, body: Buffer): Promise<void> {
    await this.client.send(new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: body }));
  }

  async download(key: string, localPath: string): Promise<void> {
    const object = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
    if (!object.Body) throw new Error(`GetObject ${key} returned no body`);
    await pipeline(object.Body as Readable, createWriteStream(localPath));
  }

  async upload(localPath: string, key: string): Promise<void> {
    const { size } = await stat(localPath);
    if (size > SINGLE_REQUEST_LIMIT) throw new RangeError(`${localPath} is ${size} bytes, more than one PUT takes`);
    await this.client.send(
      new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: createReadStream(localPath), ContentLength: size }),
    );
  }

  async copy(sourceKey: string, targetKey: string): Promise<void> {
    await this.client.send(
      new CopyObjectCommand({
        Bucket: this.bucket,
        Key: targetKey,
        // CopySource is `bucket/key` with the key URL-encoded (its slashes kept).
        CopySource: `${this.bucket}/${sourceKey.split('/').map(encodeURIComponent).join('/')}`,
      }),
    );
  }

  async delete(keys: readonly string[]): Promise<void> {
    for (let start = 0; start < keys.length; start += DELETE_BATCH) {
      const batch = keys.slice(start, start + DELETE_BATCH);
      const result = await this.client.send(
        new DeleteObjectsCommand({
          Bucket: this.bucket,
          Delete: { Objects: batch.map((Key) => ({ Key })), Quiet: true },
        }),
      );
      // DeleteObjects answers 200 even when some keys failed: each failure is listed in Errors.
      const errors = result.Errors ?? [];
      if (errors.length > 0) {
        const first = errors[0];
        throw new Error(
          `DeleteObjects failed for ${errors.length} of ${batch.length} keys (first: ${first?.Key}: ${first?.Code} ${first?.Message})`,
        );
      }
    }
  }
}
