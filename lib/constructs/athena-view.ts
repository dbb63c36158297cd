import { Stack, Token } from 'aws-cdk-lib';
import * as glue from 'aws-cdk-lib/aws-glue';
import { Construct } from 'constructs';
import type { ColumnDefinition } from '../../lambda/shared/row-schema';
import { glueColumn, trinoType } from '../schema/lake-columns';

export interface AthenaViewProps {
  readonly database: glue.IDatabase;
  /**
   * The literal name of `database`. A Presto view stores the schema that resolves its bare table names inside its
   * definition, so the name must be known at synth time (not a token).
   */
  readonly databaseName: string;
  readonly viewName: string;
  /** The view's SELECT statement (Trino SQL, no trailing semicolon). */
  readonly sql: string;
  /** The view's output columns, in SELECT order. Athena refuses to query a view whose columns disagree with its SQL. */
  readonly columns: readonly ColumnDefinition[];
  /** @default - the view name */
  readonly description?: string;
}

/** The Athena catalog name of the account's Glue Data Catalog. */
const ATHENA_CATALOG = 'awsdatacatalog';

/**
 * An Athena view declared as a Glue table of type VIRTUAL_VIEW, so that it exists as soon as the stack is deployed
 * (no DDL to run by hand, no custom resource). Athena recognises such a table by its "Presto View" original text:
 * base64 of a JSON document holding the SQL, the catalog and schema it resolves against, and its columns.
 */
export class AthenaView extends Construct {
  readonly viewName: string;
  readonly table: glue.CfnTable;

  constructor(scope: Construct, id: string, props: AthenaViewProps) {
    super(scope, id);
    if (Token.isUnresolved(props.databaseName) || Token.isUnresolved(props.sql)) {
      throw new Error(
        `${this.node.path}: view "${props.viewName}" needs literal databaseName and sql, since both are encoded in its definition`,
      );
    }
    if (props.columns.length === 0) {
      throw new Error(`${this.node.path}: view "${props.viewName}" declares no columns`);
    }
    this.viewName = props.viewName;
    this.table = new glue.CfnTable(this, 'Resource', {
      catalogId: Stack.of(this).account,
      databaseName: props.database.databaseName,
      tableInput: {
        name: props.viewName,
        description: props.description ?? props.viewName,
        tableType: 'VIRTUAL_VIEW',
        parameters: { presto_view: 'true', comment: 'Presto View' },
        viewOriginalText: prestoViewText(props.sql, props.databaseName, props.columns),
        viewExpandedText: '/* Presto View */',
        partitionKeys: [],
        storageDescriptor: {
          columns: props.columns.map((column) => {
            const glueCol = glueColumn(column);
            return { name: glueCol.name, type: glueCol.type.inputString, comment: glueCol.comment };
          }),
          serdeInfo: {},
        },
      },
    });
  }
}

/** The `ViewOriginalText` Athena writes for a view: `/* Presto View: <base64 JSON> *\/`. */
export function prestoViewText(sql: string, schema: string, columns: readonly ColumnDefinition[]): string {
  const definition = {
    originalSql: sql,
    catalog: ATHENA_CATALOG,
    schema,
    columns: columns.map((column) => ({ name: column.name, type: trinoType(column.type) })),
  };
  return `/* Presto View: ${Buffer.from(JSON.stringify(definition), 'utf8').toString('base64')} */`;
}

/** Decodes a Presto view text back into its JSON definition (for tests and audits). */
export function decodePrestoViewText(text: string): {
  originalSql: string;
  catalog: string;
  schema: string;
  columns: { name: string; type: string }[];
} {
  const match = /^\/\* Presto View: ([A-Za-z0-9+/=]+) \*\/$/.exec(text);
  if (!match?.[1]) throw new Error('not a Presto view text');
  return JSON.parse(Buffer.from(match[1], 'base64').toString('utf8'));
}
