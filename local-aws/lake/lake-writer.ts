import type { DuckDBConnection } from '@duckdb/node-api';
import { randomUUID } from 'node:crypto';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { PartitionKeys } from '../../lambda/shared/row-schema';
import type { ErrorOutputType, FirehoseErrorRecord } from '../firehose/firehose-records';
import { convertRow } from '../firehose/format-conversion';
import { errorPrefix, firehoseObjectName, rowPrefix } from '../firehose/object-names';
import { openDuckDb, type DuckDb } from './duckdb';
import { columnList, readJsonColumns } from './duckdb-columns';
import { ROW_OBJECT_EXTENSION, type LakeFormat } from './lake-format';
import { sqlString } from './sql';

export interface LakeWriterOptions {
  /** The local lake directory: the bucket's root. */
  readonly lakeDir: string;
  readonly format: LakeFormat;
  /** Delivery stream name: object names start with it, as Firehose's do. */
  readonly streamName: string;
}

/** Rows that Parquet conversion refused: Firehose sends them to the `format-conversion-failed` error output. */
export interface ConversionReport {
  /** Lake-relative key of the object written, when any row converted. */
  readonly key: string | undefined;
  /** Indexes (into the lines given) of rows that could not be converted, with DuckDB's reason. */
  readonly refused: readonly { readonly index: number; readonly reason: string }[];
}

/** Where the state that is not lake data lives (dedup table files, temporary files). */
export function stateDir(lakeDir: string): string {
  return join(lakeDir, '.state');
}

/**
 * Writes objects into the local lake as Firehose writes them to S3: rows as Parquet with Snappy (after Firehose's
 * conversion rules, typed from ROW_COLUMNS through DuckDB, like record format conversion) or as GZIP JSON lines; error records as JSON lines
 * (GZIP when the stream compresses, i.e. in JSON format). Each object appears whole: it is written to a temporary
 * file and renamed, so a concurrent query never reads half an object.
 */
export class LakeWriter {
  private database: Promise<DuckDb> | undefined;
  private readonly tmpDir: string;

  constructor(private readonly options: LakeWriterOptions) {
    this.tmpDir = join(stateDir(options.lakeDir), 'tmp');
  }

  /** Writes one object of rows (each line one JSON LakeRow) under the partition's prefix. */
  async writeRows(partition: PartitionKeys, lines: readonly Buffer[], at: Date): Promise<ConversionReport> {
    const key = `${rowPrefix(partition)}${firehoseObjectName(this.options.streamName, at, ROW_OBJECT_EXTENSION[this.options.format])}`;
    if (this.options.format === 'json') {
      await this.place(key, gzipSync(joinLines(lines)));
      return { key, refused: [] };
    }
    return this.writeParquet(key, lines);
  }

  /** Writes one object of Firehose error records under `errors/<type>/YYYY/MM/DD/HH/`. */
  async writeErrors(type: ErrorOutputType, records: readonly FirehoseErrorRecord[], at: Date): Promise<string> {
    const compress = this.options.format === 'json';
    const key = `${errorPrefix(type, at)}${firehoseObjectName(this.options.streamName, at, compress ? '.gz' : '')}`;
    const body = Buffer.from(records.map((record) => `${JSON.stringify(record)}\n`).join(''), 'utf8');
    await this.place(key, compress ? gzipSync(body) : body);
    return key;
  }

  async close(): Promise<void> {
    const open = this.database;
    this.database = undefined;
    if (open) (await open).close();
  }

  /**
   * Applies Firehose's conversion rules to each row first (format-conversion.ts: what AWS refuses is refused here
   * too), then has DuckDB write the rows that pass, typed from ROW_COLUMNS.
   */
  private async writeParquet(key: string, lines: readonly Buffer[]): Promise<ConversionReport> {
    const refused: { index: number; reason: string }[] = [];
    const converted: { index: number; line: Buffer }[] = [];
    for (const [index, line] of lines.entries()) {
      const outcome = convertRow(line);
      if (outcome.ok) converted.push({ index, line: Buffer.from(JSON.stringify(outcome.row), 'utf8') });
      else refused.push({ index, reason: outcome.reason });
    }
    if (converted.length === 0) return { key: undefined, refused };
    const written = await this.writeConvertedParquet(
      key,
      converted.map((row) => row.line),
    );
    const byDuckDb = written.refused.map(({ index, reason }) => ({ index: converted[index]!.index, reason }));
    return { key: written.key, refused: [...refused, ...byDuckDb].sort((a, b) => a.index - b.index) };
  }

  private async writeConvertedParquet(key: string, lines: readonly Buffer[]): Promise<ConversionReport> {
    const { connection } = await this.duckdb();
    await mkdir(this.tmpDir, { recursive: true });
    const input = join(this.tmpDir, `${randomUUID()}.jsonl`);
    try {
      await writeFile(input, joinLines(lines));
      try {
        await this.placeParquet(connection, input, key);
        return { key, refused: [] };
      } catch {
        // One bad row fails the whole COPY: find the rows that convert, as Firehose converts record by record.
        return await this.writeParquetRowByRow(connection, key, lines);
      }
    } finally {
      await rm(input, { force: true });
    }
  }

  private async writeParquetRowByRow(
    connection: DuckDBConnection,
    key: string,
    lines: readonly Buffer[],
  ): Promise<ConversionReport> {
    const good: Buffer[] = [];
    const refused: { index: number; reason: string }[] = [];
    for (const [index, line] of lines.entries()) {
      const single = join(this.tmpDir, `${randomUUID()}.jsonl`);
      try {
        await writeFile(single, joinLines([line]));
        // Materialised, so that every column is really cast (a count alone would not read the values).
        await connection.run(
          `CREATE OR REPLACE TEMP TABLE conversion_probe AS SELECT ${columnList()} FROM ${readRows(single)}`,
        );
        good.push(line);
      } catch (error) {
        refused.push({ index, reason: error instanceof Error ? error.message.split('\n')[0]! : String(error) });
      } finally {
        await rm(single, { force: true });
      }
    }
    if (good.length === 0) return { key: undefined, refused };
    const input = join(this.tmpDir, `${randomUUID()}.jsonl`);
    try {
      await writeFile(input, joinLines(good));
      await this.placeParquet(connection, input, key);
    } finally {
      await rm(input, { force: true });
    }
    return { key, refused };
  }

  private async placeParquet(connection: DuckDBConnection, input: string, key: string): Promise<void> {
    const staged = join(this.tmpDir, `${randomUUID()}.parquet`);
    await connection.run(
      `COPY (SELECT ${columnList()} FROM ${readRows(input)}) TO ${sqlString(staged)} (FORMAT parquet, COMPRESSION snappy)`,
    );
    await this.move(staged, key);
  }

  private async place(key: string, body: Buffer): Promise<void> {
    await mkdir(this.tmpDir, { recursive: true });
    const staged = join(this.tmpDir, randomUUID());
    await writeFile(staged, body);
    await this.move(staged, key);
  }

  private async move(staged: string, key: string): Promise<void> {
    const target = join(this.options.lakeDir, key);
    await mkdir(dirname(target), { recursive: true });
    await rename(staged, target);
  }

  private duckdb(): Promise<DuckDb> {
    this.database ??= openDuckDb();
    return this.database;
  }
}

function readRows(path: string): string {
  return `read_json(${sqlString(path)}, format='newline_delimited', columns=${readJsonColumns()})`;
}

/** JSON lines with exactly one newline after each row (the transform already ends its rows with one). */
function joinLines(lines: readonly Buffer[]): Buffer {
  return Buffer.concat(
    lines.map((line) =>
      line.length > 0 && line[line.length - 1] === 0x0a ? line : Buffer.concat([line, Buffer.from('\n')]),
    ),
  );
}
