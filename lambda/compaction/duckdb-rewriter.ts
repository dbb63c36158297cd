import type { DuckDBConnection } from '@duckdb/node-api';
import { typedColumnList } from '../shared/duckdb/columns';
import { openDuckDb, type DuckDb, type DuckDbOptions } from '../shared/duckdb/open-duckdb';
import { sqlString } from '../shared/duckdb/sql';
import type { LakeFormat } from '../shared/lake-format';
import type { RewriteEngine, RowCounts } from './ports';

/**
 * Row groups of at most this many bytes in memory. DuckDB's default is a row count (122,880 rows), which for rows
 * carrying a whole CTR (about 4 KB uncompressed) would buffer ~0.5 GB per writer thread.
 */
export const ROW_GROUP_BYTES = '64MB';

/** The longest JSON line read: far above a CTR row (a Kinesis record is at most 1 MiB, a row about twice it). */
const MAX_JSON_LINE_BYTES = 64 * 1024 * 1024;

/**
 * The compaction job's rewrite engine: DuckDB on local files, the same build in Lambda (linux-arm64, from a layer)
 * and locally. Rows keep their content:
 * - Parquet: read with the columns of the Glue table, cast to its types, written as Snappy Parquet like the local
 *   lake writer does. Which rows survive is decided on two narrow columns first (the first copy of each fingerprint
 *   in file then row order), then the wide rows stream through a semi join: memory holds the keep-set, not the rows.
 * - JSON: each line is copied byte for byte (no re-serialisation), first copy of each fingerprint by file order and
 *   then line text, written as GZIP JSON lines.
 */
export class DuckDbRewriter implements RewriteEngine {
  private database: Promise<DuckDb> | undefined;

  constructor(private readonly options: DuckDbOptions = {}) {}

  async count(files: readonly string[], format: LakeFormat): Promise<RowCounts> {
    if (files.length === 0) return { rows: 0, distinctFingerprints: 0, rowsWithoutFingerprint: 0, rowsPerFile: [] };
    const connection = await this.connection();
    const source = fingerprints(files, format);
    const totals = (
      await connection.runAndReadAll(
        'SELECT count(*) AS n, count(DISTINCT fingerprint) AS d, count(*) FILTER (WHERE fingerprint IS NULL) AS m ' +
          `FROM ${source}`,
      )
    ).getRowObjects()[0];
    const perFile = new Map<string, number>();
    const byFile = await connection.runAndReadAll(`SELECT filename, count(*) AS n FROM ${source} GROUP BY filename`);
    for (const row of byFile.getRowObjects()) perFile.set(String(row.filename), Number(row.n));
    return {
      rows: Number(totals?.n ?? 0),
      distinctFingerprints: Number(totals?.d ?? 0),
      rowsWithoutFingerprint: Number(totals?.m ?? 0),
      rowsPerFile: files.map((file) => perFile.get(file) ?? 0),
    };
  }

  async countMissing(expected: readonly string[], actual: readonly string[], format: LakeFormat): Promise<number> {
    if (expected.length === 0) return 0;
    const connection = await this.connection();
    const present = actual.length > 0 ? `EXCEPT SELECT fingerprint FROM ${fingerprints(actual, format)}` : '';
    const reader = await connection.runAndReadAll(
      `SELECT count(*) AS n FROM (SELECT fingerprint FROM ${fingerprints(expected, format)} ${present})`,
    );
    return Number(reader.getRowObjects()[0]?.n ?? 0);
  }

  async rewrite(inputs: readonly string[], format: LakeFormat, outputs: readonly string[]): Promise<void> {
    if (outputs.length === 0) throw new RangeError('rewrite needs at least one output file');
    const connection = await this.connection();
    const bucket = (i: number): string => `hash(fingerprint) % ${outputs.length} = ${i}`;
    if (format === 'json') {
      for (const [i, output] of outputs.entries()) {
        await connection.run(
          `COPY (SELECT json FROM (SELECT json, filename, json ->> 'fingerprint' AS fingerprint FROM ` +
            `${jsonObjects(inputs)}) WHERE ${bucket(i)} ` +
            'QUALIFY row_number() OVER (PARTITION BY fingerprint ORDER BY filename, json) = 1) ' +
            // One column, never quoted or escaped: each line goes out exactly as it came in. The delimiter (U+0001)
            // is never written with one column, and cannot occur raw in JSON text anyway.
            `TO ${sqlString(output)} (FORMAT csv, HEADER false, QUOTE '', ESCAPE '', DELIMITER '\u0001', ` +
            'COMPRESSION gzip)',
        );
      }
      return;
    }
    const rows = `read_parquet(${fileList(inputs)}, filename = true, file_row_number = true, union_by_name = true)`;
    await connection.run(
      `CREATE OR REPLACE TEMP TABLE compaction_keep AS SELECT filename, file_row_number FROM ${rows} ` +
        'QUALIFY row_number() OVER (PARTITION BY fingerprint ORDER BY filename, file_row_number) = 1',
    );
    try {
      for (const [i, output] of outputs.entries()) {
        await connection.run(
          `COPY (SELECT ${typedColumnList()} FROM ${rows} SEMI JOIN compaction_keep USING (filename, file_row_number) ` +
            `WHERE ${bucket(i)}) TO ${sqlString(output)} ` +
            `(FORMAT parquet, COMPRESSION snappy, ROW_GROUP_SIZE_BYTES '${ROW_GROUP_BYTES}')`,
        );
      }
    } finally {
      await connection.run('DROP TABLE IF EXISTS compaction_keep');
    }
  }

  async close(): Promise<void> {
    const open = this.database;
    this.database = undefined;
    if (open) (await open).close();
  }

  private async connection(): Promise<DuckDBConnection> {
    this.database ??= openDuckDb(this.options).then(async (database) => {
      // Output order does not matter; without this DuckDB keeps it, buffers more, and ignores ROW_GROUP_SIZE_BYTES.
      await database.connection.run('SET preserve_insertion_order = false');
      return database;
    });
    return (await this.database).connection;
  }
}

/** `fingerprint` and `filename` of every row of the files. */
function fingerprints(files: readonly string[], format: LakeFormat): string {
  return format === 'json'
    ? `(SELECT json ->> 'fingerprint' AS fingerprint, filename FROM ${jsonObjects(files)})`
    : `(SELECT fingerprint, filename FROM read_parquet(${fileList(files)}, filename = true, union_by_name = true))`;
}

function jsonObjects(files: readonly string[]): string {
  return (
    `read_json_objects(${fileList(files)}, format = 'newline_delimited', filename = true, ` +
    `maximum_object_size = ${MAX_JSON_LINE_BYTES})`
  );
}

function fileList(files: readonly string[]): string {
  return `[${files.map(sqlString).join(', ')}]`;
}
