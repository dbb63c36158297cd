import { RemovalPolicy } from 'aws-cdk-lib';
import * as glue from 'aws-cdk-lib/aws-glue';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { type ColumnDefinition, LAKE_DATA_PREFIX, PARTITION_KEYS, ROW_COLUMNS } from '../../lambda/shared/row-schema';
import type { LakeFormat } from '../config/ctr-lake-config';
import { hasPlaceholders } from '../queries/query-template';
import { readQuery, statementOnly } from '../queries/sample-queries';
import { LAKE_GLUE_COLUMNS, LAKE_GLUE_PARTITION_KEYS } from '../schema/lake-columns';
import { AthenaView } from './athena-view';

/**
 * The table and view names are the query API: samples/queries use them bare, inside the database. They are scoped
 * to the database, so they only clash where the database itself does.
 */
export const CTR_TABLE_NAME = 'ctr';
export const CTR_LATEST_VIEW_NAME = 'ctr_latest';

/**
 * The columns of `ctr_latest`, in its SELECT order: the row columns, then the table's partition columns, so that a
 * filter on year/month/day through the view prunes partitions (samples/queries/ctr_latest.sql says why it can).
 */
export const CTR_LATEST_VIEW_COLUMNS: readonly ColumnDefinition[] = [...ROW_COLUMNS, ...PARTITION_KEYS];

export interface CtrCatalogProps {
  /**
   * Literal Glue database name (lowercase letters, digits, underscores). It cannot be left to CloudFormation: the
   * `ctr_latest` view stores it in its definition at synth time and the named queries store it as text. The stack
   * outputs it (GlueDatabase).
   */
  readonly databaseName: string;
  /** Holds the rows under `ctr/year=YYYY/month=MM/day=DD/`. */
  readonly lakeBucket: s3.IBucket;
  /** `parquet`: Snappy Parquet written by Firehose's record format conversion; `json`: GZIP JSON lines. */
  readonly lakeFormat: LakeFormat;
  /** First year of the partition projection; the range runs to the current year. */
  readonly projectionStartYear: number;
  /** @default - the statement of samples/queries/ctr_latest.sql */
  readonly latestViewSql?: string;
}

/**
 * The Glue catalog of the lake: a database, the `ctr` table declared from the row schema the transform writes
 * (lambda/shared/row-schema.ts), and the `ctr_latest` view (one row per contact, partition columns included).
 * Partitions are projected from the S3 layout, so no crawler or MSCK REPAIR is ever needed. The catalog is deleted
 * with the stack (the data stays in the bucket) and recreated, identical, by the next deployment.
 */
export class CtrCatalog extends Construct {
  readonly database: glue.Database;
  readonly databaseName: string;
  readonly table: glue.S3Table;
  readonly latestView: AthenaView;

  constructor(scope: Construct, id: string, props: CtrCatalogProps) {
    super(scope, id);
    if (!/^[a-z0-9_]{1,255}$/.test(props.databaseName)) {
      throw new Error(
        `${this.node.path}: Glue database name "${props.databaseName}" must be lowercase letters, digits and underscores`,
      );
    }
    this.databaseName = props.databaseName;
    this.database = new glue.Database(this, 'Database', {
      databaseName: props.databaseName,
      description: 'ctr-lake: Amazon Connect contact trace records',
      // Deleted with the stack whatever ctrLake:removalPolicy says: it holds only metadata (the tables describe the
      // retained lake bucket and are rebuilt from the row schema), and its fixed name would make the next deployment
      // of the same prefix fail with AlreadyExists.
      removalPolicy: RemovalPolicy.DESTROY,
    });

    const json = props.lakeFormat === 'json';
    const [year, month, day] = PARTITION_KEYS.map((key) => key.name);
    this.table = new glue.S3Table(this, 'CtrTable', {
      database: this.database,
      tableName: CTR_TABLE_NAME,
      description: 'One row per stored CTR version; use ctr_latest for counts',
      columns: [...LAKE_GLUE_COLUMNS],
      partitionKeys: [...LAKE_GLUE_PARTITION_KEYS],
      dataFormat: json ? glue.DataFormat.JSON : glue.DataFormat.PARQUET,
      compressed: json,
      storage: glue.S3TableStorage.fromBucket(props.lakeBucket),
      s3Prefix: LAKE_DATA_PREFIX,
      // The objects are SSE-KMS encrypted, which S3 undoes transparently; this flag is for client-side encryption.
      hasEncryptedData: false,
      partitionProjection: {
        // `yyyy` dates up to NOW keep unfiltered queries from listing a century of empty prefixes.
        [year]: glue.PartitionProjectionConfiguration.date({
          min: String(props.projectionStartYear),
          max: 'NOW',
          format: 'yyyy',
          step: { interval: 1, intervalUnit: glue.DateIntervalUnit.YEARS },
        }),
        [month]: glue.PartitionProjectionConfiguration.integer({ min: 1, max: 12, digits: 2 }),
        [day]: glue.PartitionProjectionConfiguration.integer({ min: 1, max: 31, digits: 2 }),
      },
      parameters: {
        'storage.location.template': `s3://${props.lakeBucket.bucketName}/${LAKE_DATA_PREFIX}${year}=\${${year}}/${month}=\${${month}}/${day}=\${${day}}/`,
      },
    });

    const latestViewSql = props.latestViewSql ?? statementOnly(readQuery(CTR_LATEST_VIEW_NAME).sql);
    if (hasPlaceholders(latestViewSql)) {
      // Glue stores a view's SQL as written and every query reads through it: it cannot depend on a setting.
      throw new Error(`${this.node.path}: the ${CTR_LATEST_VIEW_NAME} view's SQL must not hold query placeholders`);
    }
    if (json) {
      // Athena reads JSON lines with the OpenX SerDe. Its default, case.insensitive TRUE, lowercases keys (the Hive
      // implementation map keys too, and two attribute names differing only in case then collide); FALSE reads keys
      // as written, and the row's column keys are lowercase already. The L2 table sets no SerDe parameters itself.
      cfnTableOf(this.table).addPropertyOverride('TableInput.StorageDescriptor.SerdeInfo.Parameters', {
        'case.insensitive': 'FALSE',
      });
    }

    this.latestView = new AthenaView(this, 'CtrLatestView', {
      database: this.database,
      databaseName: props.databaseName,
      viewName: CTR_LATEST_VIEW_NAME,
      sql: latestViewSql,
      columns: CTR_LATEST_VIEW_COLUMNS,
      description: 'The newest version of each contact (one row per ContactId), with its year/month/day partition',
    });
    this.latestView.node.addDependency(this.table);
  }
}

/** The L1 resource of a Glue table, which Firehose's record format conversion takes its schema from. */
export function cfnTableOf(table: glue.S3Table): glue.CfnTable {
  const child = table.node.defaultChild;
  if (!(child instanceof glue.CfnTable)) throw new Error(`${table.node.path} has no CfnTable`);
  return child;
}
