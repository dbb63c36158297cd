import type { FirehoseTransformationEvent } from 'aws-lambda';
import { open, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { encodeEnvelope } from '../../lambda/checker/firehose-batches';
import type { AcceptedEnvelope } from '../../lambda/shared/envelope';
import { contentFingerprint } from '../../lambda/shared/fingerprint';
import type { PartitionKeys } from '../../lambda/shared/row-schema';
import { transformRecords } from '../../lambda/transform/transform-records';
import { rowPrefix } from '../firehose/object-names';
import { openDuckDb } from '../lake/duckdb';
import { LakeWriter } from '../lake/lake-writer';
import type { LakeFormat } from '../lake/lake-format';
import { sqlString } from '../lake/sql';
import { iterateSyntheticCtrs } from './bench-stream';
import { median, nowMs } from './stats';

export interface LakeScanOptions {
  readonly workDir: string;
  readonly seed: number;
  readonly ctrs: number;
  readonly days: number;
  /** Records per transform invocation: about what Firehose's 1 MB Lambda processor buffer holds. */
  readonly transformBatchRecords: number;
}

export interface ScanFigures {
  readonly rows: number;
  readonly days: number;
  /** The lake as Parquet (Snappy), what Firehose's record format conversion writes. */
  readonly parquetBytes: number;
  /** The lake as GZIP JSON lines, the project's JSON layout: what Athena would scan in full for a JSON table. */
  readonly jsonBytes: number;
  /** The same JSON lines uncompressed. */
  readonly jsonUncompressedBytes: number;
  /** Bytes of one day's Parquet objects: the most a one-day count reads with partition projection. */
  readonly oneDayBytes: number;
  /** oneDayBytes as a fraction of a full scan of the JSON lake. */
  readonly oneDayFraction: number;
  /** oneDayBytes as a fraction of a full scan of uncompressed JSON lines (a lake written without compression). */
  readonly oneDayFractionOfUncompressedJson: number;
  /** Bytes of the day's Parquet footers (metadata and magic): all a count(*) that reads row-group metadata needs. */
  readonly oneDayFooterBytes: number;
  /** The day measured, its row count, and the count DuckDB returns over that day's partition alone. */
  readonly oneDay: { readonly partition: string; readonly rows: number; readonly counted: number };
  readonly parquetBytesPerRow: number;
  /** Transform core CPU per record, median over the invocations. */
  readonly transformMsPerRecord: number;
}

function partitionName(keys: PartitionKeys): string {
  return `${keys.year}-${keys.month}-${keys.day}`;
}

/** Total size of the files under a directory, recursively. */
async function bytesUnder(dir: string): Promise<number> {
  let total = 0;
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    total += entry.isDirectory() ? await bytesUnder(path) : (await stat(path)).size;
  }
  return total;
}

/** Bytes of each Parquet file's footer: the 4-byte length before the trailing `PAR1`, plus those 8 bytes. */
async function parquetFooterBytes(dir: string): Promise<number> {
  let total = 0;
  for (const name of await readdir(dir)) {
    if (!name.endsWith('.parquet')) continue;
    const file = await open(join(dir, name), 'r');
    try {
      const { size } = await file.stat();
      const tail = Buffer.alloc(8);
      await file.read(tail, 0, 8, size - 8);
      if (tail.toString('latin1', 4) !== 'PAR1') throw new Error(`${name} does not end like a Parquet file`);
      total += tail.readUInt32LE(0) + 8;
    } finally {
      await file.close();
    }
  }
  return total;
}

/**
 * Lake scan economy. `ctrs` synthetic CTRs over `days` days go through the real transform core, in Firehose-sized
 * invocations (timed: that is the transform's Lambda duration), and the rows are written with the local lake
 * writer, one object per day partition, as Parquet (Snappy) and as GZIP JSON lines. Then: bytes of each lake, and
 * bytes of the middle day's Parquet partition, which is all a one-day count can read once partition projection
 * has pruned the others. For Parquet, a count(*) needs only the footers, so the partition's size is an upper
 * bound of what Athena bills (with its 10 MB minimum per query, applied in the cost model).
 *
 * One object per partition is a simplification: Firehose writes one per buffer flush, so a real lake holds more,
 * smaller objects, which compress a little less.
 */
export async function measureLakeScan(options: LakeScanOptions): Promise<ScanFigures> {
  const lines = new Map<string, { keys: PartitionKeys; rows: Buffer[] }>();
  const transformMs: number[] = [];
  let jsonUncompressedBytes = 0;
  let rows = 0;
  let batch: AcceptedEnvelope[] = [];

  const transformBatch = (): void => {
    const event: FirehoseTransformationEvent = {
      invocationId: `bench-${transformMs.length}`,
      deliveryStreamArn: 'arn:aws:firehose:us-east-1:111122223333:deliverystream/ctr-lake-bench',
      region: 'us-east-1',
      records: batch.map((envelope, i) => ({
        recordId: String(i),
        approximateArrivalTimestamp: Date.parse('2026-03-02T12:00:00Z'),
        data: Buffer.from(encodeEnvelope(envelope)).toString('base64'),
      })),
    };
    const start = nowMs();
    const report = transformRecords(event);
    transformMs.push((nowMs() - start) / batch.length);
    if (report.failures.length > 0) throw new Error(`the transform refused ${report.failures.length} synthetic CTRs`);
    for (const record of report.result.records) {
      const keys = record.metadata?.partitionKeys as PartitionKeys | undefined;
      if (!keys || record.data === undefined)
        throw new Error(`transform record ${record.recordId} has no row or partition`);
      const line = Buffer.from(record.data, 'base64');
      jsonUncompressedBytes += line.length;
      const name = partitionName(keys);
      let partition = lines.get(name);
      if (!partition) lines.set(name, (partition = { keys, rows: [] }));
      partition.rows.push(line);
      rows++;
    }
    batch = [];
  };

  let sequence = 0n;
  for (const ctr of iterateSyntheticCtrs(options.ctrs, { seed: options.seed, days: options.days })) {
    const raw = JSON.stringify(ctr);
    batch.push({ kind: 'ctr', fingerprint: contentFingerprint(ctr), sequenceNumber: String(sequence++), raw });
    if (batch.length === options.transformBatchRecords) transformBatch();
  }
  if (batch.length > 0) transformBatch();

  const at = new Date('2026-04-01T00:00:00Z');
  const lakeDirs: Record<LakeFormat, string> = {
    parquet: join(options.workDir, 'lake-parquet'),
    json: join(options.workDir, 'lake-json'),
  };
  for (const format of ['parquet', 'json'] as const) {
    const writer = new LakeWriter({ lakeDir: lakeDirs[format], format, streamName: 'ctr-lake-bench' });
    try {
      for (const { keys, rows: partitionRows } of lines.values()) await writer.writeRows(keys, partitionRows, at);
    } finally {
      await writer.close();
    }
  }

  const names = [...lines.keys()].sort();
  const middle = names[Math.floor(names.length / 2)] as string;
  const day = lines.get(middle) as { keys: PartitionKeys; rows: Buffer[] };
  const parquetBytes = await bytesUnder(join(lakeDirs.parquet, 'ctr'));
  const jsonBytes = await bytesUnder(join(lakeDirs.json, 'ctr'));
  const oneDayBytes = await bytesUnder(join(lakeDirs.parquet, rowPrefix(day.keys)));
  const oneDayFooterBytes = await parquetFooterBytes(join(lakeDirs.parquet, rowPrefix(day.keys)));

  // The count a one-day query returns, read through the partition columns as the Glue table's projection would.
  const duckdb = await openDuckDb();
  let counted: number;
  try {
    const glob = join(lakeDirs.parquet, 'ctr', '*', '*', '*', '*.parquet');
    const reader = await duckdb.connection.runAndReadAll(
      `SELECT count(*) AS n FROM read_parquet(${sqlString(glob)}, hive_partitioning = true) ` +
        `WHERE year = ${sqlString(day.keys.year)} AND month = ${sqlString(day.keys.month)} AND day = ${sqlString(day.keys.day)}`,
    );
    counted = Number(reader.getRowObjects()[0]?.n ?? -1);
  } finally {
    duckdb.close();
  }

  return {
    rows,
    days: names.length,
    parquetBytes,
    jsonBytes,
    jsonUncompressedBytes,
    oneDayBytes,
    oneDayFraction: oneDayBytes / jsonBytes,
    oneDayFractionOfUncompressedJson: oneDayBytes / jsonUncompressedBytes,
    oneDayFooterBytes,
    oneDay: { partition: middle, rows: day.rows.length, counted },
    parquetBytesPerRow: parquetBytes / rows,
    transformMsPerRecord: median(transformMs),
  };
}
