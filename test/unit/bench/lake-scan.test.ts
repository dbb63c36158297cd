import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { measureLakeScan } from '../../../local/bench/lake-scan';

describe('measureLakeScan', () => {
  let workDir: string;

  beforeEach(async () => {
    workDir = await mkdtemp(join(tmpdir(), 'lake-scan-'));
  });

  afterEach(async () => {
    await rm(workDir, { recursive: true, force: true });
  });

  it('lands every CTR as one row per format and measures one day against the whole JSON lake', async () => {
    // Act
    const scan = await measureLakeScan({ workDir, seed: 11, ctrs: 600, days: 3, transformBatchRecords: 100 });

    // Assert
    expect(scan.rows).toBe(600);
    expect(scan.days).toBe(3);
    expect(scan.oneDay.counted).toBe(scan.oneDay.rows);
    expect(scan.oneDayBytes).toBeLessThan(scan.parquetBytes);
    expect(scan.oneDayFooterBytes).toBeLessThan(scan.oneDayBytes);
    expect(scan.jsonBytes).toBeLessThan(scan.jsonUncompressedBytes);
    expect(scan.oneDayFraction).toBeCloseTo(scan.oneDayBytes / scan.jsonBytes, 12);
    expect(scan.parquetBytesPerRow).toBeCloseTo(scan.parquetBytes / 600, 12);
    expect(scan.transformMsPerRecord).toBeGreaterThan(0);
  });
});
