import { GetObjectCommand, ListObjectsV2Command, NoSuchBucket, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { gzipSync } from 'node:zlib';
import { listSources, readSource, type SourceItem } from '../../../../local-aws/ctr-sources/read-ctrs';
import { parseS3Url } from '../../../../local-aws/ctr-sources/s3-sources';
import { loadRealCtrs } from '../../../support/real-ctrs';
import { s3Body } from '../../../support/s3-body';

const s3 = mockClient(S3Client);
const client = new S3Client({ region: 'eu-west-1' });

beforeEach(() => s3.reset());

describe('parseS3Url', () => {
  it.each([
    ['s3://my-bucket/exports/2019/', { bucket: 'my-bucket', prefix: 'exports/2019/' }],
    ['s3://my-bucket', { bucket: 'my-bucket', prefix: '' }],
    ['exports/file.json', undefined],
  ])('reads %s', (url, expected) => {
    expect(parseS3Url(url)).toEqual(expected);
  });

  it('refuses a bucket name S3 would refuse', () => {
    expect(() => parseS3Url('s3://My_Bucket/x')).toThrow('"My_Bucket" is not an S3 bucket name');
  });
});

describe('S3 sources', () => {
  const ctrs = loadRealCtrs();
  // Firehose's objects: records back to back, GZIP, no extension but .gz, under YYYY/MM/DD/HH/.
  const firehoseObject = (from: number, to: number): Buffer =>
    gzipSync(
      Buffer.from(
        ctrs
          .slice(from, to)
          .map((c) => JSON.stringify(c))
          .join(''),
      ),
    );

  it('lists every object under the prefix across pages, skips folder markers, and reads each', async () => {
    // Arrange
    const objects = {
      '2019/08/04/01/a.gz': firehoseObject(0, 4),
      '2019/08/04/02/b.gz': firehoseObject(4, ctrs.length),
    };
    s3.on(ListObjectsV2Command, { Bucket: 'lake', Prefix: '2019/', ContinuationToken: undefined }).resolves({
      Contents: [
        { Key: '2019/08/', Size: 0 },
        { Key: '2019/08/04/01/a.gz', Size: objects['2019/08/04/01/a.gz'].length },
      ],
      IsTruncated: true,
      NextContinuationToken: 'page-2',
    });
    s3.on(ListObjectsV2Command, { Bucket: 'lake', Prefix: '2019/', ContinuationToken: 'page-2' }).resolves({
      Contents: [{ Key: '2019/08/04/02/b.gz', Size: objects['2019/08/04/02/b.gz'].length }],
      IsTruncated: false,
    });
    for (const [key, body] of Object.entries(objects)) {
      s3.on(GetObjectCommand, { Bucket: 'lake', Key: key }).resolves({ Body: s3Body(body, 100) });
    }

    // Act
    const sources = await listSources(['s3://lake/2019/'], { s3: () => client });
    const items: SourceItem[] = [];
    for (const source of sources) for await (const item of readSource(source)) items.push(item);

    // Assert
    expect(sources.map((s) => [s.name, s.size])).toEqual([
      ['s3://lake/2019/08/04/01/a.gz', objects['2019/08/04/01/a.gz'].length],
      ['s3://lake/2019/08/04/02/b.gz', objects['2019/08/04/02/b.gz'].length],
    ]);
    expect(items.map((i) => (i.kind === 'record' ? i.value : i))).toEqual(ctrs);
    expect(items[4]).toMatchObject({ source: 's3://lake/2019/08/04/02/b.gz', position: { byte: 0, line: 1 } });
  });

  it('refuses a prefix with no object, as a missing file is refused', async () => {
    // Arrange
    s3.on(ListObjectsV2Command).resolves({ Contents: [], IsTruncated: false });

    // Act
    const listing = listSources(['s3://lake/typo/'], { s3: () => client });

    // Assert
    await expect(listing).rejects.toThrow('s3://lake/typo/ holds no object');
  });

  it('says why a prefix cannot be listed', async () => {
    // Arrange
    s3.on(ListObjectsV2Command).rejects(
      new NoSuchBucket({ message: 'The specified bucket does not exist', $metadata: {} }),
    );

    // Act
    const listing = listSources(['s3://nowhere/x'], { s3: () => client });

    // Assert
    await expect(listing).rejects.toThrow('cannot list s3://nowhere/x: no such bucket');
  });

  it('reports an object that cannot be read as a malformed piece of that object', async () => {
    // Arrange
    s3.on(ListObjectsV2Command).resolves({ Contents: [{ Key: 'k', Size: 3 }], IsTruncated: false });
    s3.on(GetObjectCommand).rejects(Object.assign(new Error('Access Denied'), { name: 'AccessDenied' }));
    const [source] = await listSources(['s3://lake/k'], { s3: () => client });

    // Act
    const items: SourceItem[] = [];
    for await (const item of readSource(source!)) items.push(item);

    // Assert
    expect(items).toEqual([
      expect.objectContaining({
        kind: 'malformed',
        source: 's3://lake/k',
        reason: 'cannot read s3://lake/k: Access Denied',
      }),
    ]);
  });
});
