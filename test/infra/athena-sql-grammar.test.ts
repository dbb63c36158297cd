import { Template } from 'aws-cdk-lib/assertions';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { openDuckDb } from '../../local-aws/lake/duckdb';
import { columnDefinitions } from '../../local-aws/lake/duckdb-columns';
import { decodePrestoViewText } from '../../lib/constructs/athena-view';
import { CtrAnalytics } from '../../lib/constructs/ctr-analytics';
import { CtrCatalog } from '../../lib/constructs/ctr-catalog';
import { renderQuery } from '../../lib/queries/query-template';
import { QUERY_NAMES, readQuery, statementOnly } from '../../lib/queries/sample-queries';
import { newTestKey, newTestStack } from './support/infra-test-app';
import { trinoSyntaxErrors } from './support/trino-grammar';

type NamedQuery = { Properties: { Name: string; QueryString: string } };
type GlueTable = { Properties: { TableInput: { Name: string; TableType?: string; ViewOriginalText?: string } } };

/** The SQL Athena receives: the named queries' text and the view's SQL, read back from a synthesized template. */
function deployedSql(): { namedQueries: Map<string, string>; viewSql: string } {
  const stack = newTestStack();
  const lake = new s3.Bucket(stack, 'Lake');
  const catalog = new CtrCatalog(stack, 'Catalog', {
    databaseName: 'ctr_test',
    lakeBucket: lake,
    lakeFormat: 'parquet',
    projectionStartYear: 2017,
  });
  new CtrAnalytics(stack, 'Analytics', {
    workGroupName: 'ctr-test',
    databaseName: catalog.databaseName,
    resultsBucket: new s3.Bucket(stack, 'Results'),
    encryptionKey: newTestKey(stack),
    bytesScannedCutoffPerQuery: 1024 * 1024 * 1024,
  });
  const template = Template.fromStack(stack);
  const namedQueries = new Map(
    Object.values(template.findResources('AWS::Athena::NamedQuery') as Record<string, NamedQuery>).map((query) => [
      query.Properties.Name,
      query.Properties.QueryString,
    ]),
  );
  const views = Object.values(template.findResources('AWS::Glue::Table') as Record<string, GlueTable>).filter(
    (table) => table.Properties.TableInput.TableType === 'VIRTUAL_VIEW',
  );
  if (views.length !== 1) throw new Error(`expected one view, found ${views.length}`);
  const viewSql = decodePrestoViewText(views[0]!.Properties.TableInput.ViewOriginalText ?? '').originalSql;
  return { namedQueries, viewSql };
}

/**
 * Trino's grammar is large: the first statements parsed build ANTLR's prediction tables, seconds of CPU that a busy
 * machine can stretch a lot. Wide margins, so that only the parse results decide these tests.
 */
const GRAMMAR_WARM_UP_MS = 600_000;

describe("Athena's SQL, checked with Trino's grammar", () => {
  let deployed: ReturnType<typeof deployedSql>;

  beforeAll(() => {
    deployed = deployedSql();
  }, GRAMMAR_WARM_UP_MS);

  it(
    'parses every named query the workgroup holds',
    () => {
      expect([...deployed.namedQueries.keys()].sort()).toEqual([...QUERY_NAMES].sort());
      for (const [name, sql] of deployed.namedQueries) {
        expect({ name, errors: trinoSyntaxErrors(sql) }).toEqual({ name, errors: [] });
      }
    },
    GRAMMAR_WARM_UP_MS,
  );

  it(
    "parses the ctr_latest view's SQL as its Glue definition stores it",
    () => {
      expect(deployed.viewSql).toBe(statementOnly(readQuery('ctr_latest').sql));
      expect(trinoSyntaxErrors(deployed.viewSql)).toEqual([]);
    },
    GRAMMAR_WARM_UP_MS,
  );

  it(
    'parses every named query rendered for a range of local days, as npm run query and npm run report send them',
    () => {
      // A range across a month end: the partition filter is an OR of one term per month.
      const days = { from: '2026-03-31', to: '2026-04-01' };
      for (const name of QUERY_NAMES) {
        const sql = renderQuery(readQuery(name).sql, { timeZone: 'America/New_York', days });

        expect({ name, errors: trinoSyntaxErrors(sql) }).toEqual({ name, errors: [] });
      }
    },
    GRAMMAR_WARM_UP_MS,
  );

  it(
    'refuses a broken statement: a stray comma, reported with its position',
    () => {
      const broken = statementOnly(readQuery('calls_per_day').sql).replace(/\bFROM\b/, ', FROM');

      expect(trinoSyntaxErrors(broken)).toEqual([
        expect.stringMatching(/^\d+:\d+ 'FROM' is not valid at this position/),
      ]);
    },
    GRAMMAR_WARM_UP_MS,
  );

  it(
    'refuses what DuckDB accepts but Athena does not: QUALIFY, SELECT * EXCLUDE, ILIKE',
    async () => {
      const duckDbOnly = [
        'SELECT contact_id FROM ctr QUALIFY row_number() OVER (PARTITION BY contact_id ORDER BY last_update_timestamp DESC) = 1',
        'SELECT * EXCLUDE (raw_ctr) FROM ctr',
        "SELECT contact_id FROM ctr WHERE channel ILIKE 'voice'",
      ];
      const duckdb = await openDuckDb();
      try {
        await duckdb.connection.run(`CREATE TABLE ctr (${columnDefinitions()})`);
        for (const sql of duckDbOnly) {
          await expect(duckdb.connection.run(sql)).resolves.toBeDefined();
          expect({ sql, refused: trinoSyntaxErrors(sql).length > 0 }).toEqual({ sql, refused: true });
        }
      } finally {
        duckdb.close();
      }
    },
    GRAMMAR_WARM_UP_MS,
  );
});
