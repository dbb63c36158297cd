import { LAKE_FORMATS, type LakeFormat } from '../../lib/config/ctr-lake-config';

/** How the lake stores rows: the stack's `ctrLake:lakeFormat` (Snappy Parquet or GZIP JSON lines). */
export { LAKE_FORMATS, type LakeFormat };

/** File name endings of row objects, by format (the local query runner globs on them). */
export const ROW_OBJECT_EXTENSION: Readonly<Record<LakeFormat, string>> = {
  parquet: '.parquet',
  json: '.json.gz',
};

export function isLakeFormat(value: unknown): value is LakeFormat {
  return typeof value === 'string' && (LAKE_FORMATS as readonly string[]).includes(value);
}
