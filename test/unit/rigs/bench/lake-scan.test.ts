import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  measureLakeScan,
  oneDayCountSql,
  PARQUET_HEADER_BYTES,
  parquetLayouts,
  parquetScanPlan,
  type ScanFigures,
} from '../../../../rigs/bench/lake-scan';
import { openDuckDb } from '../../../../local-aws/lake/duckdb';
import { sqlString } from '../../../../local-aws/lake/sql';
import { ROW_COLUMNS } from '../../../../lambda/shared/row-schema';

const sum = (values: readonly number[]): number => values.reduce((a, b) => a + b, 0);

describe('measureLakeScan', () => {
  let workDir: string;
  let scan: ScanFigures;

  beforeAll(async () => {
    workDir = await mkdtemp(join(tmpdir(), 'lake-scan-'));
    scan = await measureLakeScan({ workDir, seed: 11, ctrs: 600, days: 3, transformBatchRecords: 100 });
  });

  afterAll(async () => {
    await rm(workDir, { recursive: true, force: true });
  });

  it('lands every CTR as one row per format and counts the measured day from its partition alone', () => {
    expect(scan.rows).toBe(600);
    expect(scan.days).toBe(3);
    expect(scan.oneDay.files).toHaveLength(1);
    expect(scan.oneDay.counted).toBe(scan.oneDay.rows);
    expect(scan.oneDay.calls).toBeGreaterThan(0);
    expect(scan.oneDay.calls).toBeLessThanOrEqual(scan.oneDay.rows);
    expect(scan.jsonBytes).toBeLessThan(scan.jsonUncompressedBytes);
    expect(scan.parquetBytesPerRow).toBeCloseTo(scan.parquetBytes / 600, 12);
    expect(scan.transformMsPerRecord).toBeGreaterThan(0);
  });

  it('reads the footers and the chunks of the four columns the count references, not raw_ctr', () => {
    expect(Object.keys(scan.oneDayColumnBytes).sort()).toEqual(
      ['channel', 'contact_id', 'initial_contact_id', 'initiation_timestamp'].sort(),
    );
    expect(scan.oneDayBytes).toBe(scan.oneDayFooterBytes + sum(Object.values(scan.oneDayColumnBytes)));
    expect(scan.oneDayFooterBytes).toBeGreaterThan(0);
    expect(scan.oneDayBytes).toBeLessThan(scan.oneDayPartitionBytes / 2);
    expect(scan.oneDayFraction).toBeCloseTo(scan.oneDayBytes / scan.jsonBytes, 12);
    expect(scan.oneDayFractionOfUncompressedJson).toBeCloseTo(scan.oneDayBytes / scan.jsonUncompressedBytes, 12);
    expect(scan.oneDayPartitionFraction).toBeCloseTo(scan.oneDayPartitionBytes / scan.jsonBytes, 12);
    expect(scan.oneDayPartitionBytes).toBeLessThan(scan.parquetBytes);
  });

  it('accounts for every byte of the day objects: header, column chunks, bloom filters, footer', async () => {
    const duckdb = await openDuckDb();
    try {
      const layouts = await parquetLayouts(duckdb.connection, scan.oneDay.files);
      for (const layout of layouts) {
        expect(Object.keys(layout.columnChunkBytes).sort()).toEqual(ROW_COLUMNS.map((c) => c.name).sort());
        const accounted =
          PARQUET_HEADER_BYTES +
          sum(Object.values(layout.columnChunkBytes)) +
          layout.bloomFilterBytes +
          layout.footerBytes;
        expect(accounted).toBe(layout.size);
      }
      expect(sum(layouts.map((l) => l.size))).toBe(scan.oneDayPartitionBytes);
      expect(sum(layouts.map((l) => l.footerBytes))).toBe(scan.oneDayFooterBytes);
      for (const [column, bytes] of Object.entries(scan.oneDayColumnBytes)) {
        expect(sum(layouts.map((l) => l.columnChunkBytes[column] ?? 0))).toBe(bytes);
      }
    } finally {
      duckdb.close();
    }
  });
});

describe('parquetScanPlan', () => {
  it('names the columns a query projects and the partitions it opens', async () => {
    const duckdb = await openDuckDb();
    const dir = await mkdtemp(join(tmpdir(), 'scan-plan-'));
    try {
      for (const day of ['01', '02']) {
        const partition = join(dir, 'year=2026', 'month=03', `day=${day}`);
        await mkdir(partition, { recursive: true });
        await duckdb.connection.run(
          `COPY (SELECT 'c${day}' AS contact_id, NULL::VARCHAR AS initial_contact_id, 'VOICE' AS channel, ` +
            `TIMESTAMP '2026-03-${day} 10:00:00' AS initiation_timestamp, 'x' AS raw_ctr) ` +
            `TO ${sqlString(join(partition, 'part.parquet'))} (FORMAT parquet)`,
        );
      }
      const from = `read_parquet(${sqlString(join(dir, '*', '*', '*', '*.parquet'))}, hive_partitioning = true)`;

      const plan = await parquetScanPlan(
        duckdb.connection,
        oneDayCountSql({ from, keys: { year: '2026', month: '03', day: '02' } }),
      );

      expect([...plan.columns].sort()).toEqual(['channel', 'contact_id', 'initial_contact_id', 'initiation_timestamp']);
      expect(plan).toMatchObject({ filesScanned: 1, filesTotal: 2 });
    } finally {
      duckdb.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
