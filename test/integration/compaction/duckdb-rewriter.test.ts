import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { DuckDbRewriter } from '../../../lambda/compaction/duckdb-rewriter';
import { contentFingerprint } from '../../../lambda/shared/fingerprint';
import type { LakeFormat } from '../../../lambda/shared/lake-format';
import { openDuckDb } from '../../../local-aws/lake/duckdb';
import { sqlString } from '../../../local-aws/lake/sql';
import { reorderKeys } from '../../../rigs/synthetic/ctr-generator';
import { mulberry32 } from '../../../rigs/synthetic/prng';
import { aCtrOn, rowLine, temporaryDir } from '../../support/lake-fixture';
import { LakeWriter } from '../../../local-aws/lake/lake-writer';

const DAY = { year: '2026', month: '03', day: '04' };
let work: { dir: string; remove: () => Promise<void> };
let engine: DuckDbRewriter;

beforeEach(async () => {
  work = await temporaryDir('rewriter');
  engine = new DuckDbRewriter({ tempDirectory: join(work.dir, 'spill') });
});
afterEach(async () => {
  await engine.close();
  await work.remove();
});

/** Writes each list of lines as one lake object, in order, and returns their paths in that order. */
async function objects(format: LakeFormat, ...files: Buffer[][]): Promise<string[]> {
  const writer = new LakeWriter({ lakeDir: work.dir, format, streamName: 's' });
  const paths: string[] = [];
  try {
    for (const [i, lines] of files.entries()) {
      const { key } = await writer.writeRows(DAY, lines, new Date(Date.parse('2026-04-01T00:00:00Z') + i * 1000));
      paths.push(join(work.dir, key!));
    }
  } finally {
    await writer.close();
  }
  return paths;
}

describe('DuckDbRewriter', () => {
  it.each(['parquet', 'json'] as const)('counts rows, distinct fingerprints and rows per file (%s)', async (format) => {
    // Arrange
    const [a, b] = [aCtrOn('2026-03-04'), aCtrOn('2026-03-04')];
    const files = await objects(format, [rowLine(a), rowLine(b)], [rowLine(a)]);

    // Act
    const counts = await engine.count(files, format);
    const missing = await engine.countMissing(files, files.slice(1), format);

    // Assert
    expect(counts).toEqual({ rows: 3, distinctFingerprints: 2, rowsWithoutFingerprint: 0, rowsPerFile: [2, 1] });
    expect(missing).toBe(1);
  });

  it('keeps the first copy of each fingerprint in file order, with the Glue types, as Snappy Parquet', async () => {
    // Arrange: the same CTR twice, the later copy re-serialised with its keys in another order.
    const ctr = aCtrOn('2026-03-04');
    const other = aCtrOn('2026-03-04');
    const reordered = JSON.stringify(reorderKeys(mulberry32(7), ctr as never));
    const files = await objects('parquet', [rowLine(other), rowLine(ctr)], [rowLine(ctr, reordered)]);
    const output = join(work.dir, 'out.parquet');

    // Act
    await engine.rewrite(files, 'parquet', [output]);

    // Assert
    const db = await openDuckDb();
    try {
      const kept = await db.connection.runAndReadAll(
        `SELECT fingerprint, raw_ctr FROM read_parquet(${sqlString(output)}) ORDER BY fingerprint`,
      );
      const schema = await db.connection.runAndReadAll(
        `SELECT name, type, logical_type IS NOT NULL AS logical FROM parquet_schema(${sqlString(output)}) ` +
          `WHERE name IN ('initiation_timestamp', 'queue_duration', 'contact_id', 'attributes')`,
      );
      const codecs = await db.connection.runAndReadAll(
        `SELECT DISTINCT compression FROM parquet_metadata(${sqlString(output)})`,
      );
      expect(kept.getRowObjectsJson()).toEqual(
        [
          { fingerprint: contentFingerprint(ctr), raw_ctr: JSON.stringify(ctr) },
          { fingerprint: contentFingerprint(other), raw_ctr: JSON.stringify(other) },
        ].sort((x, y) => x.fingerprint.localeCompare(y.fingerprint)),
      );
      expect(schema.getRowObjectsJson()).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ name: 'initiation_timestamp', type: 'INT64', logical: true }),
          expect.objectContaining({ name: 'queue_duration', type: 'INT32' }),
          expect.objectContaining({ name: 'contact_id', type: 'BYTE_ARRAY' }),
          expect.objectContaining({ name: 'attributes' }),
        ]),
      );
      expect(codecs.getRowObjectsJson()).toEqual([{ compression: 'SNAPPY' }]);
    } finally {
      db.close();
    }
  });

  it('copies JSON lines byte for byte, first copy of each fingerprint, GZIP', async () => {
    // Arrange
    const ctr = aCtrOn('2026-03-04', { Attributes: { note: 'é "quoted"\ttab \u2028' } });
    const other = aCtrOn('2026-03-04');
    const files = await objects('json', [rowLine(ctr), rowLine(other)], [rowLine(ctr), rowLine(other)]);
    const output = join(work.dir, 'out.json.gz');

    // Act
    await engine.rewrite(files, 'json', [output]);

    // Assert
    const lines = gunzipSync(await readFile(output))
      .toString('utf8')
      .split('\n')
      .filter(Boolean)
      .sort();
    expect(lines).toEqual([rowLine(ctr), rowLine(other)].map((line) => line.toString('utf8').trimEnd()).sort());
  });

  it.each(['parquet', 'json'] as const)(
    'spreads fingerprints over several outputs, each fingerprint in exactly one (%s)',
    async (format) => {
      // Arrange
      const ctrs = Array.from({ length: 40 }, () => aCtrOn('2026-03-04'));
      const files = await objects(
        format,
        ctrs.map((c) => rowLine(c)),
        ctrs.slice(0, 20).map((c) => rowLine(c)),
      );
      const outputs = [0, 1, 2].map((i) => join(work.dir, `out-${i}.${format === 'json' ? 'json.gz' : 'parquet'}`));

      // Act
      await engine.rewrite(files, format, outputs);
      const counts = await engine.count(outputs, format);

      // Assert
      expect(counts.rows).toBe(40);
      expect(counts.distinctFingerprints).toBe(40);
      expect(counts.rowsPerFile.filter((n) => n > 0).length).toBeGreaterThan(1);
      expect(await engine.countMissing(files, outputs, format)).toBe(0);
      expect((await readdir(work.dir)).filter((name) => name.startsWith('out-'))).toHaveLength(3);
    },
  );
});
