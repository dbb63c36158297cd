/**
 * How the lake stores rows: the stack's `ctrLake:lakeFormat`, Snappy Parquet (Firehose's record format conversion)
 * or GZIP JSON lines. Defined here, with the row schema, because the compaction job rewrites objects in that format
 * and the config, the local lake writer and the query runner all name it.
 */
export type LakeFormat = 'parquet' | 'json';
export const LAKE_FORMATS: readonly LakeFormat[] = ['parquet', 'json'];

/** File name endings of row objects, by format (the local query runner globs on them). */
export const ROW_OBJECT_EXTENSION: Readonly<Record<LakeFormat, string>> = {
  parquet: '.parquet',
  json: '.json.gz',
};

export function isLakeFormat(value: unknown): value is LakeFormat {
  return typeof value === 'string' && (LAKE_FORMATS as readonly string[]).includes(value);
}
