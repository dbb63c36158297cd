import type { DuckDBConnection } from '@duckdb/node-api';
import type { FirehoseTransformationEvent } from 'aws-lambda';
import { open, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { encodeEnvelope } from '../../lambda/checker/firehose-batches';
import type { AcceptedEnvelope } from '../../lambda/shared/envelope';
import { contentFingerprint } from '../../lambda/shared/fingerprint';
import { ROW_COLUMNS, type PartitionKeys } from '../../lambda/shared/row-schema';
import { transformRecords } from '../../lambda/transform/transform-records';
import { rowPrefix } from '../../local-aws/firehose/object-names';
import { openDuckDb } from '../../local-aws/lake/duckdb';
import { LakeWriter } from '../../local-aws/lake/lake-writer';
import type { LakeFormat } from '../../local-aws/lake/lake-format';
import { sqlString } from '../../local-aws/lake/sql';
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
  /**
   * Bytes the one-day count (ONE_DAY_COUNT_SQL) must read with partition projection: the footers of that day's
   * Parquet objects plus the chunks of the columns the query references, per the files' own metadata.
   */
  readonly oneDayBytes: number;
  /** oneDayBytes as a fraction of a full scan of the JSON lake (GZIP, as Firehose writes it in json mode). */
  readonly oneDayFraction: number;
  /** oneDayBytes as a fraction of a full scan of uncompressed JSON lines (a lake written without compression). */
  readonly oneDayFractionOfUncompressedJson: number;
  /** Bytes of the day's Parquet footers (metadata, its length and the magic): part of oneDayBytes. */
  readonly oneDayFooterBytes: number;
  /** Chunk bytes (compressed pages with their headers) of each column the count reads, over the day's objects. */
  readonly oneDayColumnBytes: Readonly<Record<string, number>>;
  /** Bytes of the day's whole Parquet objects: the upper bound of what a one-day query can read. */
  readonly oneDayPartitionBytes: number;
  /** oneDayPartitionBytes as a fraction of a full scan of the JSON lake. */
  readonly oneDayPartitionFraction: number;
  /**
   * The day measured: its partition, its row count, the count(*) DuckDB returns over that partition alone, the
   * calls the one-day count returns (summed over channels), and the day's Parquet objects.
   */
  readonly oneDay: {
    readonly partition: string;
    readonly rows: number;
    readonly counted: number;
    readonly calls: number;
    readonly files: readonly string[];
  };
  readonly parquetBytesPerRow: number;
  /** Transform core CPU per record, median over the invocations. */
  readonly transformMsPerRecord: number;
}

/** Where the one-day count reads from: one day partition of a `ctr`-shaped Parquet table. */
export interface OneDayTable {
  /** A DuckDB table expression exposing the lake's columns and its year/month/day partition columns. */
  readonly from: string;
  readonly keys: PartitionKeys;
}

/**
 * The one-day count: samples/queries/calls_per_day.sql (each call counted once, by its first contact, per day and
 * channel) on the base table, restricted to one day partition, which partition projection turns into that
 * partition's objects alone.
 */
export function oneDayCountSql({ from, keys }: OneDayTable): string {
  return (
    'SELECT cast(initiation_timestamp AS date) AS day, channel, ' +
    'count(DISTINCT coalesce(initial_contact_id, contact_id)) AS calls ' +
    `FROM ${from} ` +
    `WHERE year = ${sqlString(keys.year)} AND month = ${sqlString(keys.month)} AND day = ${sqlString(keys.day)} ` +
    'GROUP BY cast(initiation_timestamp AS date), channel'
  );
}

/** Where a Parquet file's bytes go, from its own metadata. */
export interface ParquetLayout {
  readonly file: string;
  readonly size: number;
  /** The footer: its Thrift metadata, the 4-byte length that precedes the trailing `PAR1`, and that magic. */
  readonly footerBytes: number;
  /**
   * total_compressed_size of each top-level column's chunks (compressed pages, page headers included), summed over
   * its leaves and the row groups.
   */
  readonly columnChunkBytes: Readonly<Record<string, number>>;
  /** Bloom filters (DuckDB writes them for dictionary-encoded columns): read only for a predicate on the column. */
  readonly bloomFilterBytes: number;
}

/** Leading `PAR1` magic of every Parquet file. */
export const PARQUET_HEADER_BYTES = 4;

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

/** A Parquet file's size and footer length: the 4-byte length before the trailing `PAR1`, plus those 8 bytes. */
async function parquetTail(path: string): Promise<{ size: number; footerBytes: number }> {
  const file = await open(path, 'r');
  try {
    const { size } = await file.stat();
    const tail = Buffer.alloc(8);
    await file.read(tail, 0, 8, size - 8);
    if (tail.toString('latin1', 4) !== 'PAR1') throw new Error(`${path} does not end like a Parquet file`);
    return { size, footerBytes: tail.readUInt32LE(0) + 8 };
  } finally {
    await file.close();
  }
}

/** The layout of each Parquet file, from DuckDB's parquet_metadata() and the file's last 8 bytes. */
export async function parquetLayouts(connection: DuckDBConnection, files: readonly string[]): Promise<ParquetLayout[]> {
  const layouts: ParquetLayout[] = [];
  for (const file of files) {
    const reader = await connection.runAndReadAll(
      'SELECT path_in_schema, total_compressed_size, bloom_filter_length ' +
        `FROM parquet_metadata(${sqlString(file)})`,
    );
    const columnChunkBytes: Record<string, number> = {};
    let bloomFilterBytes = 0;
    for (const chunk of reader.getRowObjects()) {
      // Nested leaves are named `attributes, key_value, key`: their chunks belong to the top-level column.
      const column = String(chunk.path_in_schema).split(',')[0]?.trim() ?? '';
      columnChunkBytes[column] = (columnChunkBytes[column] ?? 0) + Number(chunk.total_compressed_size);
      bloomFilterBytes += chunk.bloom_filter_length === null ? 0 : Number(chunk.bloom_filter_length);
    }
    layouts.push({ file, ...(await parquetTail(file)), columnChunkBytes, bloomFilterBytes });
  }
  return layouts;
}

/** What DuckDB's plan says a query reads from Parquet: the columns it projects and the files it opens. */
export interface ParquetScanPlan {
  readonly columns: readonly string[];
  readonly filesScanned: number;
  readonly filesTotal: number;
}

function planNodes(node: unknown): Record<string, unknown>[] {
  if (Array.isArray(node)) return node.flatMap(planNodes);
  if (typeof node !== 'object' || node === null) return [];
  const record = node as Record<string, unknown>;
  return [record, ...planNodes(record.children)];
}

/**
 * The Parquet scan of a query, from `EXPLAIN (FORMAT json)`: projection pushdown gives the columns, hive
 * partition filtering the files. DuckDB prunes both as Athena does (partition projection and Parquet column
 * pruning), so its plan names what the query must read.
 */
export async function parquetScanPlan(connection: DuckDBConnection, sql: string): Promise<ParquetScanPlan> {
  const reader = await connection.runAndReadAll(`EXPLAIN (FORMAT json) ${sql}`);
  const scans = reader
    .getRowObjects()
    .flatMap((row) => planNodes(JSON.parse(String(row.explain_value)) as unknown))
    .map((node) => node.extra_info)
    .filter(
      (info): info is Record<string, unknown> =>
        typeof info === 'object' && info !== null && (info as Record<string, unknown>).Function === 'READ_PARQUET',
    );
  const [scan, ...more] = scans;
  const projections = scan?.Projections;
  const files = /^(\d+)\/(\d+)$/.exec(String(scan?.['Scanning Files']));
  if (!scan || more.length > 0 || !files) {
    throw new Error(`expected one Parquet scan with its projections and file count in the plan of: ${sql}`);
  }
  return {
    columns: (Array.isArray(projections) ? projections : [projections]).map(String),
    filesScanned: Number(files[1]),
    filesTotal: Number(files[2]),
  };
}

/**
 * Lake scan economy. `ctrs` synthetic CTRs over `days` days go through the real transform core, in Firehose-sized
 * invocations (timed: that is the transform's Lambda duration), and the rows are written with the local lake
 * writer, one object per day partition, as Parquet (Snappy) and as GZIP JSON lines. Then: bytes of each lake, and
 * what the one-day count must read on the middle day. Partition projection leaves that day's objects alone; in
 * each, a Parquet reader reads the footer, then the chunks of the columns the query references (DuckDB's plan
 * names them, and the objects it opens), and nothing else: not `raw_ctr`, which holds most of the bytes. Those
 * bytes are summed from the files' own metadata. The day's whole objects are kept as the upper bound. Athena bills
 * at least 10 MB per query whatever it reads; the cost model applies that minimum.
 *
 * One object per partition is a simplification: Firehose writes one per buffer flush, so a real lake holds more,
 * smaller objects, each with a footer of its own, which compress a little less. An engine that coalesces nearby
 * byte ranges into one request may also read some bytes between the chunks it needs.
 */
export async function measureLakeScan(options: LakeScanOptions): Promise<ScanFigures> {
  const lines = new Map<string, { keys: PartitionKeys; rows: Buffer[] }>();
  let jsonUncompressedBytes = 0;
  const { rows, transformMsPerRecord } = transformSyntheticCtrs(options, (keys, line) => {
    jsonUncompressedBytes += line.length;
    const name = partitionName(keys);
    let partition = lines.get(name);
    if (!partition) lines.set(name, (partition = { keys, rows: [] }));
    partition.rows.push(line);
  });

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
  const read = await oneDayRead(lakeDirs.parquet, day.keys);
  const oneDayBytes = read.bytes;

  return {
    rows,
    days: names.length,
    parquetBytes,
    jsonBytes,
    jsonUncompressedBytes,
    oneDayBytes,
    oneDayFraction: oneDayBytes / jsonBytes,
    oneDayFractionOfUncompressedJson: oneDayBytes / jsonUncompressedBytes,
    oneDayFooterBytes: read.footerBytes,
    oneDayColumnBytes: read.columnBytes,
    oneDayPartitionBytes: read.partitionBytes,
    oneDayPartitionFraction: read.partitionBytes / jsonBytes,
    oneDay: { partition: middle, rows: day.rows.length, counted: read.counted, calls: read.calls, files: read.files },
    parquetBytesPerRow: parquetBytes / rows,
    transformMsPerRecord,
  };
}

/** What the one-day count reads from one day partition of a Parquet lake directory, and what it answers. */
export interface OneDayRead {
  /** Footers plus the chunks of the columns the count references, over the day's objects. */
  readonly bytes: number;
  readonly footerBytes: number;
  readonly columnBytes: Readonly<Record<string, number>>;
  /** The day's whole objects. */
  readonly partitionBytes: number;
  readonly files: readonly string[];
  /** count(*) over the partition, and the calls the one-day count returns (summed over channels). */
  readonly counted: number;
  readonly calls: number;
}

/**
 * The bytes the one-day count (oneDayCountSql) must read from the day `keys` of the Parquet lake at `lakeDir`:
 * partition projection leaves that day's objects alone; in each, a Parquet reader reads the footer, then the chunks
 * of the columns the query references (DuckDB's plan names them, and the objects it opens). Summed from the files'
 * own metadata.
 */
export async function oneDayRead(lakeDir: string, keys: PartitionKeys): Promise<OneDayRead> {
  const dayDir = join(lakeDir, rowPrefix(keys));
  const files = (await readdir(dayDir))
    .filter((name) => name.endsWith('.parquet'))
    .sort()
    .map((name) => join(dayDir, name));
  const partitionBytes = await bytesUnder(dayDir);

  // The whole lake, read through the partition columns as the Glue table's projection would.
  const glob = join(lakeDir, 'ctr', '*', '*', '*', '*.parquet');
  const table: OneDayTable = { from: `read_parquet(${sqlString(glob)}, hive_partitioning = true)`, keys };
  const duckdb = await openDuckDb();
  let counted: number;
  let calls: number;
  let plan: ParquetScanPlan;
  let layouts: ParquetLayout[];
  try {
    const { connection } = duckdb;
    const countReader = await connection.runAndReadAll(
      `SELECT count(*) AS n FROM ${table.from} WHERE year = ${sqlString(keys.year)} ` +
        `AND month = ${sqlString(keys.month)} AND day = ${sqlString(keys.day)}`,
    );
    counted = Number(countReader.getRowObjects()[0]?.n ?? -1);
    const countSql = oneDayCountSql(table);
    const callsReader = await connection.runAndReadAll(countSql);
    calls = callsReader.getRowObjects().reduce((sum, row) => sum + Number(row.calls), 0);
    plan = await parquetScanPlan(connection, countSql);
    layouts = await parquetLayouts(connection, files);
  } finally {
    duckdb.close();
  }
  if (plan.filesScanned !== files.length) {
    throw new Error(`the one-day count opens ${plan.filesScanned} objects, the day partition holds ${files.length}`);
  }

  const footerBytes = layouts.reduce((sum, layout) => sum + layout.footerBytes, 0);
  const columnBytes: Record<string, number> = {};
  // In the table's column order, as the Glue table declares them.
  const order = (column: string): number => {
    const index = ROW_COLUMNS.findIndex(({ name }) => name === column);
    return index < 0 ? ROW_COLUMNS.length : index;
  };
  for (const column of [...plan.columns].sort((a, b) => order(a) - order(b))) {
    const chunks = layouts.map((layout) => layout.columnChunkBytes[column]);
    if (chunks.some((bytes) => bytes === undefined)) throw new Error(`column ${column} is missing from a day object`);
    columnBytes[column] = chunks.reduce<number>((sum, bytes) => sum + (bytes ?? 0), 0);
  }
  const bytes = footerBytes + Object.values(columnBytes).reduce((a, b) => a + b, 0);
  return { bytes, footerBytes, columnBytes, partitionBytes, files, counted, calls };
}

/**
 * `ctrs` synthetic CTRs over `days` days through the real transform core, in Firehose-sized invocations (timed: that
 * is the transform's Lambda duration); `onRow` receives each row (one JSON line, as Firehose writes it) with its
 * partition keys, so a large lake never has to be held in memory.
 */
export function transformSyntheticCtrs(
  options: Pick<LakeScanOptions, 'seed' | 'ctrs' | 'days' | 'transformBatchRecords'>,
  onRow: (keys: PartitionKeys, line: Buffer) => void,
): { rows: number; transformMsPerRecord: number } {
  const transformMs: number[] = [];
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
      onRow(keys, Buffer.from(record.data, 'base64'));
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
  return { rows, transformMsPerRecord: median(transformMs) };
}
