import type { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { PARTITION_KEYS, ROW_COLUMNS } from '../../lambda/shared/row-schema';
import { decodePrestoViewText } from '../../lib/constructs/athena-view';
import { CtrCatalog, cfnTableOf } from '../../lib/constructs/ctr-catalog';
import { readQuery, statementOnly } from '../../lib/queries/sample-queries';
import { newTestStack } from './support/infra-test-app';

type GlueTable = {
  Properties: {
    DatabaseName: unknown;
    TableInput: {
      Name: string;
      TableType?: string;
      Parameters: Record<string, unknown>;
      PartitionKeys: { Name: string; Type: string; Comment?: string }[];
      StorageDescriptor: {
        Columns: { Name: string; Type: string; Comment?: string }[];
        Location?: unknown;
        InputFormat?: string;
        OutputFormat?: string;
        Compressed?: boolean;
        SerdeInfo: { SerializationLibrary?: string };
      };
      ViewOriginalText?: string;
    };
  };
  DependsOn?: string[];
};

/** The Hive type each row-schema type must have in Glue (the types Firehose's Parquet writer reads). */
const HIVE_TYPE = {
  string: 'string',
  int: 'int',
  bigint: 'bigint',
  timestamp: 'timestamp',
  'map<string,string>': 'map<string,string>',
} as const;

function catalogIn(stack: Stack, lakeFormat: 'parquet' | 'json'): { catalog: CtrCatalog; bucket: s3.Bucket } {
  const bucket = new s3.Bucket(stack, 'Lake');
  const catalog = new CtrCatalog(stack, 'Catalog', {
    databaseName: 'ctr_test',
    lakeBucket: bucket,
    lakeFormat,
    projectionStartYear: 2019,
  });
  return { catalog, bucket };
}

function glueTable(template: Template, name: string): GlueTable {
  const tables = Object.values(template.findResources('AWS::Glue::Table') as Record<string, GlueTable>);
  const table = tables.find((candidate) => candidate.Properties.TableInput.Name === name);
  if (!table) throw new Error(`no Glue table ${name}`);
  return table;
}

describe('CtrCatalog', () => {
  let stack: Stack;
  let catalog: CtrCatalog;
  let bucket: s3.Bucket;
  let template: Template;
  let ctr: GlueTable;

  beforeAll(() => {
    stack = newTestStack();
    ({ catalog, bucket } = catalogIn(stack, 'parquet'));
    template = Template.fromStack(stack);
    ctr = glueTable(template, 'ctr');
  });

  it('declares a database with the literal name, deleted with the stack: it holds only metadata', () => {
    template.hasResource('AWS::Glue::Database', {
      Properties: { DatabaseInput: { Name: 'ctr_test' } },
      DeletionPolicy: 'Delete',
    });
    expect(ctr.Properties.DatabaseName).toEqual(stack.resolve(catalog.database.databaseName));
  });

  it('declares the ctr columns from the row schema the transform writes, in order', () => {
    expect(ctr.Properties.TableInput.StorageDescriptor.Columns).toEqual(
      ROW_COLUMNS.map((column) => ({ Name: column.name, Type: HIVE_TYPE[column.type], Comment: column.comment })),
    );
  });

  it('partitions by the year, month and day keys the transform returns', () => {
    expect(ctr.Properties.TableInput.PartitionKeys).toEqual(
      PARTITION_KEYS.map((key) => ({ Name: key.name, Type: 'string', Comment: key.comment })),
    );
  });

  it('projects the partitions from the S3 layout, so no crawler is needed', () => {
    expect(ctr.Properties.TableInput.Parameters).toMatchObject({
      'projection.enabled': 'true',
      'projection.year.type': 'date',
      'projection.year.format': 'yyyy',
      'projection.year.range': '2019,NOW',
      'projection.year.interval': '1',
      'projection.year.interval.unit': 'YEARS',
      'projection.month.type': 'integer',
      'projection.month.range': '1,12',
      'projection.month.digits': '2',
      'projection.day.type': 'integer',
      'projection.day.range': '1,31',
      'projection.day.digits': '2',
      'storage.location.template': {
        'Fn::Join': ['', ['s3://', stack.resolve(bucket.bucketName), '/ctr/year=${year}/month=${month}/day=${day}/']],
      },
    });
  });

  it('locates the data under ctr/ in the lake bucket, as Parquet read by the Parquet SerDe', () => {
    const descriptor = ctr.Properties.TableInput.StorageDescriptor;

    expect(descriptor.Location).toEqual({ 'Fn::Join': ['', ['s3://', stack.resolve(bucket.bucketName), '/ctr/']] });
    expect(descriptor.SerdeInfo.SerializationLibrary).toBe(
      'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe',
    );
    expect(descriptor.InputFormat).toBe('org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat');
    expect(ctr.Properties.TableInput.Parameters.classification).toBe('parquet');
    expect(ctr.Properties.TableInput.Parameters.has_encrypted_data).toBe(false);
  });

  it('reads GZIP JSON lines with the case-sensitive OpenX JSON SerDe when the lake format is json', () => {
    const jsonStack = newTestStack('JsonStack');
    catalogIn(jsonStack, 'json');
    const jsonTable = glueTable(Template.fromStack(jsonStack), 'ctr');

    expect(jsonTable.Properties.TableInput.StorageDescriptor.SerdeInfo.SerializationLibrary).toBe(
      'org.openx.data.jsonserde.JsonSerDe',
    );
    expect(jsonTable.Properties.TableInput.StorageDescriptor.Compressed).toBe(true);
    // The SerDe lowercases every key by default, attribute names in the attributes map included.
    expect(jsonTable.Properties.TableInput.StorageDescriptor.SerdeInfo).toMatchObject({
      Parameters: { 'case.insensitive': 'FALSE' },
    });
    expect(jsonTable.Properties.TableInput.Parameters.classification).toBe('json');
  });

  it('declares ctr_latest as an Athena view over the ctr_latest.sql statement', () => {
    const view = glueTable(template, 'ctr_latest');
    const definition = decodePrestoViewText(String(view.Properties.TableInput.ViewOriginalText));

    expect(view.Properties.TableInput.TableType).toBe('VIRTUAL_VIEW');
    expect(view.Properties.TableInput.Parameters).toEqual({ presto_view: 'true', comment: 'Presto View' });
    expect(definition).toEqual({
      originalSql: statementOnly(readQuery('ctr_latest').sql),
      catalog: 'awsdatacatalog',
      schema: 'ctr_test',
      columns: [
        ...ROW_COLUMNS.map((column) => ({ name: column.name, type: expect.any(String) })),
        ...PARTITION_KEYS.map((key) => ({ name: key.name, type: 'varchar' })),
      ],
    });
    expect(view.Properties.TableInput.StorageDescriptor.Columns.map((column) => column.Name)).toEqual(
      [...ROW_COLUMNS, ...PARTITION_KEYS].map((column) => column.name),
    );
  });

  it('creates the view after the table it reads', () => {
    const view = glueTable(template, 'ctr_latest');

    expect(view.DependsOn).toContain(stack.getLogicalId(cfnTableOf(catalog.table)));
  });

  it('refuses a database name Athena cannot use', () => {
    const badStack = newTestStack('BadStack');

    expect(
      () =>
        new CtrCatalog(badStack, 'Catalog', {
          databaseName: 'ctr-lake',
          lakeBucket: new s3.Bucket(badStack, 'Lake'),
          lakeFormat: 'parquet',
          projectionStartYear: 2017,
        }),
    ).toThrow('Glue database name "ctr-lake" must be lowercase letters, digits and underscores');
  });
});
