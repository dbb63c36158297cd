import { Lazy, type Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as glue from 'aws-cdk-lib/aws-glue';
import type { ColumnDefinition } from '../../lambda/shared/row-schema';
import { AthenaView, decodePrestoViewText, prestoViewText } from '../../lib/constructs/athena-view';
import { newTestStack, onlyResource } from './support/infra-test-app';

const COLUMNS: readonly ColumnDefinition[] = [
  { name: 'contact_id', type: 'string', comment: 'id' },
  { name: 'queue_duration', type: 'int', comment: 'seconds' },
  { name: 'bytes', type: 'bigint', comment: 'count' },
  { name: 'initiation_timestamp', type: 'timestamp', comment: 'UTC' },
  { name: 'attributes', type: 'map<string,string>', comment: 'map' },
];

describe('AthenaView', () => {
  let stack: Stack;
  let database: glue.Database;
  let view: AthenaView;
  let template: Template;

  beforeAll(() => {
    stack = newTestStack();
    database = new glue.Database(stack, 'Database', { databaseName: 'lake_db' });
    view = new AthenaView(stack, 'View', {
      database,
      databaseName: 'lake_db',
      viewName: 'v_test',
      sql: 'SELECT contact_id, queue_duration, bytes, initiation_timestamp, attributes FROM t',
      columns: COLUMNS,
      description: 'test view',
    });
    template = Template.fromStack(stack);
  });

  it('is a Glue VIRTUAL_VIEW in the database, marked as a Presto view', () => {
    const table = onlyResource(template, 'AWS::Glue::Table');

    expect(table.properties).toMatchObject({
      CatalogId: stack.resolve(stack.account),
      DatabaseName: stack.resolve(database.databaseName),
      TableInput: {
        Name: 'v_test',
        Description: 'test view',
        TableType: 'VIRTUAL_VIEW',
        Parameters: { presto_view: 'true', comment: 'Presto View' },
        ViewExpandedText: '/* Presto View */',
        PartitionKeys: [],
      },
    });
    expect(view.viewName).toBe('v_test');
  });

  it('encodes the SQL, catalog, schema and Trino column types in the original text', () => {
    const table = onlyResource(template, 'AWS::Glue::Table');
    const text = (table.properties.TableInput as { ViewOriginalText: string }).ViewOriginalText;

    expect(text).toMatch(/^\/\* Presto View: [A-Za-z0-9+/=]+ \*\/$/);
    expect(decodePrestoViewText(text)).toEqual({
      originalSql: 'SELECT contact_id, queue_duration, bytes, initiation_timestamp, attributes FROM t',
      catalog: 'awsdatacatalog',
      schema: 'lake_db',
      columns: [
        { name: 'contact_id', type: 'varchar' },
        { name: 'queue_duration', type: 'integer' },
        { name: 'bytes', type: 'bigint' },
        { name: 'initiation_timestamp', type: 'timestamp(3)' },
        { name: 'attributes', type: 'map(varchar,varchar)' },
      ],
    });
  });

  it('declares the same columns with Hive types in the storage descriptor', () => {
    const table = onlyResource(template, 'AWS::Glue::Table');

    expect((table.properties.TableInput as { StorageDescriptor: unknown }).StorageDescriptor).toEqual({
      Columns: [
        { Name: 'contact_id', Type: 'string', Comment: 'id' },
        { Name: 'queue_duration', Type: 'int', Comment: 'seconds' },
        { Name: 'bytes', Type: 'bigint', Comment: 'count' },
        { Name: 'initiation_timestamp', Type: 'timestamp', Comment: 'UTC' },
        { Name: 'attributes', Type: 'map<string,string>', Comment: 'map' },
      ],
      SerdeInfo: {},
    });
  });

  it('round-trips its definition through prestoViewText', () => {
    expect(decodePrestoViewText(prestoViewText('SELECT 1 AS contact_id', 'db', COLUMNS.slice(0, 1)))).toEqual({
      originalSql: 'SELECT 1 AS contact_id',
      catalog: 'awsdatacatalog',
      schema: 'db',
      columns: [{ name: 'contact_id', type: 'varchar' }],
    });
  });

  it('refuses a database name only known at deploy time', () => {
    const other = newTestStack('Other');
    const otherDb = new glue.Database(other, 'Database');

    expect(
      () =>
        new AthenaView(other, 'View', {
          database: otherDb,
          databaseName: Lazy.string({ produce: () => 'late' }),
          viewName: 'v',
          sql: 'SELECT 1',
          columns: COLUMNS,
        }),
    ).toThrow('view "v" needs literal databaseName and sql');
  });

  it('refuses a view without columns', () => {
    const other = newTestStack('Other');

    expect(
      () =>
        new AthenaView(other, 'View', {
          database: new glue.Database(other, 'Database'),
          databaseName: 'db',
          viewName: 'empty',
          sql: 'SELECT 1',
          columns: [],
        }),
    ).toThrow('view "empty" declares no columns');
  });
});
