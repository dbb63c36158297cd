import * as glue from 'aws-cdk-lib/aws-glue';
import { type ColumnDefinition, type ColumnType, PARTITION_KEYS, ROW_COLUMNS } from '../../lambda/shared/row-schema';

/**
 * The lake's row schema (lambda/shared/row-schema.ts) in the type systems of the catalog: Hive types for the Glue
 * table, which Firehose also reads to write Parquet, and Trino types for the columns of Athena views.
 */
const GLUE_TYPES: Readonly<Record<ColumnType, glue.Type>> = {
  string: glue.Schema.STRING,
  int: glue.Schema.INTEGER,
  bigint: glue.Schema.BIG_INT,
  timestamp: glue.Schema.TIMESTAMP,
  'map<string,string>': glue.Schema.map(glue.Schema.STRING, glue.Schema.STRING),
};

/** How Athena engine v3 (Trino) names the type of a Hive column; a view whose columns disagree is "stale". */
const TRINO_TYPES: Readonly<Record<ColumnType, string>> = {
  string: 'varchar',
  int: 'integer',
  bigint: 'bigint',
  // Hive timestamps are read with millisecond precision.
  timestamp: 'timestamp(3)',
  'map<string,string>': 'map(varchar,varchar)',
};

export function glueColumn(column: ColumnDefinition): glue.Column {
  return { name: column.name, type: GLUE_TYPES[column.type], comment: column.comment };
}

export function trinoType(type: ColumnType): string {
  return TRINO_TYPES[type];
}

/** The data columns of the `ctr` table, in the order the transform writes them. */
export const LAKE_GLUE_COLUMNS: readonly glue.Column[] = ROW_COLUMNS.map(glueColumn);

/** The partition columns of the `ctr` table (year/month/day of InitiationTimestamp). */
export const LAKE_GLUE_PARTITION_KEYS: readonly glue.Column[] = PARTITION_KEYS.map(glueColumn);
