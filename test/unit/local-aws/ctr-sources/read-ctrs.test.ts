import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import {
  listSources,
  readSource,
  SourceError,
  type CtrSource,
  type SourceItem,
} from '../../../../local-aws/ctr-sources/read-ctrs';
import {
  concatenatedWithBrokenMiddle,
  CTR_FILE_FORMATS,
  jsonLinesWithBrokenMiddle,
  loadRealCtrs,
  VARIANTS,
  writeSource,
} from '../../../support/real-ctrs';

async function readAll(source: CtrSource): Promise<SourceItem[]> {
  const items: SourceItem[] = [];
  for await (const item of readSource(source)) items.push(item);
  return items;
}

async function readPath(path: string): Promise<SourceItem[]> {
  const items: SourceItem[] = [];
  for (const source of await listSources([path])) items.push(...(await readAll(source)));
  return items;
}

async function* chunks(bytes: Buffer, size: number): AsyncIterable<Uint8Array> {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

const records = (items: readonly SourceItem[]): unknown[] =>
  items.flatMap((item) => (item.kind === 'record' ? [item.value] : []));
const malformed = (items: readonly SourceItem[]) => items.filter((item) => item.kind === 'malformed');

describe('reading the real CTRs of ../shared/real-ctrs', () => {
  const ctrs = loadRealCtrs();
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'read-ctrs-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('has records to read', () => {
    expect(ctrs.length).toBeGreaterThanOrEqual(9);
  });

  const cases = CTR_FILE_FORMATS.flatMap((format) => VARIANTS.map((variant) => [format, variant] as const));
  it.each(cases.map(([format, variant]) => [`${format.name} (${variant.name})`, format, variant]))(
    'reads every record of %s',
    async (name, format, variant) => {
      // Arrange
      const path = await writeSource(dir, name.replace(/\W+/g, '-'), variant.apply(format.render(ctrs)));

      // Act
      const items = await readPath(path);

      // Assert
      expect(malformed(items)).toEqual([]);
      expect(records(items)).toEqual(ctrs);
    },
  );

  it.each(VARIANTS.map((variant) => [variant.name, variant]))(
    'reports the truncated record in the middle of a JSON Lines file (%s) with its line, and reads the rest',
    async (name, variant) => {
      // Arrange
      const { bytes, broken, line } = jsonLinesWithBrokenMiddle(ctrs);
      const path = await writeSource(dir, `broken-${name}.jsonl`, variant.apply(bytes));

      // Act
      const items = await readPath(path);

      // Assert
      expect(records(items)).toEqual(ctrs.filter((c) => c !== broken));
      expect(malformed(items)).toEqual([expect.objectContaining({ source: path })]);
      expect(malformed(items)[0]!.position.line).toBe(line);
    },
  );

  it.each(VARIANTS.map((variant) => [variant.name, variant]))(
    'reports the truncated object in the middle of objects back to back (%s) at its byte, and reads the rest',
    async (name, variant) => {
      // Arrange
      const { bytes, broken, byte } = concatenatedWithBrokenMiddle(ctrs);
      const path = await writeSource(dir, `broken-${name}`, variant.apply(bytes));
      const bom = name.includes('bom') ? 3 : 0;

      // Act
      const items = await readPath(path);

      // Assert
      expect(records(items)).toEqual(ctrs.filter((c) => c !== broken));
      expect(malformed(items)).toHaveLength(1);
      expect(malformed(items)[0]!.position).toEqual({ byte: byte + bom, line: 1 });
    },
  );

  it('reads a directory recursively in name order, skipping hidden files', async () => {
    // Arrange
    const root = join(dir, 'tree');
    const [a, b, c] = [ctrs.slice(0, 3), ctrs.slice(3, 6), ctrs.slice(6)];
    await writeSource(join(root, '2019', '08'), 'b.json.gz', gzipSync(JSON.stringify(b)));
    await writeSource(join(root, '2019', '07'), 'a', Buffer.from(a.map((x) => JSON.stringify(x)).join('')));
    await writeSource(root, 'z.jsonl', Buffer.from(c.map((x) => `${JSON.stringify(x)}\n`).join('')));
    await writeSource(join(root, '.state'), 'ignored.json', Buffer.from('not json'));
    await writeSource(root, '.DS_Store', Buffer.from('\u0000\u0001'));

    // Act
    const sources = await listSources([root]);
    const items = await readPath(root);

    // Assert
    expect(sources.map((s) => s.id)).toEqual([
      join(root, '2019', '07', 'a'),
      join(root, '2019', '08', 'b.json.gz'),
      join(root, 'z.jsonl'),
    ]);
    expect(records(items)).toEqual(ctrs);
  });

  it('reports a gzip file cut short after the records before the damage', async () => {
    // Arrange: a large enough file that gunzip hands out the first records before it reaches the cut.
    const many = Array.from({ length: 40 }, () => ctrs).flat();
    const whole = gzipSync(Buffer.from(many.map((c) => `${JSON.stringify(c)}\n`).join('')));
    const path = await writeSource(dir, 'cut.gz', whole.subarray(0, Math.floor(whole.length * 0.8)));

    // Act
    const items = await readPath(path);

    // Assert
    expect(records(items).length).toBeGreaterThan(0);
    expect(records(items).length).toBeLessThan(many.length);
    expect(records(items)).toEqual(many.slice(0, records(items).length));
    expect(malformed(items).at(-1)).toMatchObject({
      reason: expect.stringMatching(/^the gzip data is damaged or truncated after \d+ bytes: unexpected end of file/),
    });
  });
});

describe('listSources', () => {
  it('refuses a path that does not exist, naming it', async () => {
    // Act
    const listing = listSources(['no/such/file.json']);

    // Assert
    await expect(listing).rejects.toBeInstanceOf(SourceError);
    await expect(listing).rejects.toThrow('cannot read no/such/file.json: no such file or directory');
  });

  it('refuses an S3 URL when no S3 client is given', async () => {
    await expect(listSources(['s3://bucket/prefix'])).rejects.toThrow('S3 sources are not read here');
  });
});

describe('readSource', () => {
  it('reports a source that cannot be opened as one malformed piece', async () => {
    // Arrange
    const source: CtrSource = {
      name: 's3://b/k',
      id: 's3://b/k',
      size: 10,
      open: () => Promise.reject(new Error('Access Denied')),
    };

    // Act
    const items = await readAll(source);

    // Assert
    expect(items).toEqual([
      {
        kind: 'malformed',
        source: 's3://b/k',
        position: { byte: 0, line: 1 },
        reason: 'cannot read s3://b/k: Access Denied',
      },
    ]);
  });

  it('counts the raw bytes it reads, compressed bytes for a gzipped source', async () => {
    // Arrange
    const body = gzipSync(Buffer.from('{"ContactId":"a"}'.repeat(100)));
    const source: CtrSource = { name: 'x', id: 'x', size: body.length, open: async () => chunks(body, 5) };
    let counted = 0;

    // Act
    const items: SourceItem[] = [];
    for await (const item of readSource(source, { onRawBytes: (n) => (counted += n) })) items.push(item);

    // Assert
    expect(items).toHaveLength(100);
    expect(counted).toBe(body.length);
  });
});
