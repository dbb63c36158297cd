import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { Ctr } from '../../lambda/shared/ctr';
import { LAKE_DATA_PREFIX } from '../../lambda/shared/row-schema';
import { PII_ENDPOINT_FIELDS, type PiiMode } from '../../lambda/transform/pii/pii-policy';
import { PSEUDONYM_PATTERN, pseudonymOf } from '../../lambda/transform/pii/pseudonym';
import { openDuckDb } from '../../local-aws/lake/duckdb';
import { sqlString } from '../../local-aws/lake/sql';
import { readLocalKey } from '../../local-aws/pii/local-key';
import type { PipelineSummary } from '../../local-aws/pipeline/pipeline-options';
import { runLocalPipeline } from '../../local-aws/pipeline/run-pipeline';
import type { JsonRow } from '../../local-aws/query/json-values';
import { loadedMachineLimit } from '../support/loaded-machine';

/** Real third-party CTRs and the seed, read from ../shared where they are published, never copied. */
const SHARED = resolve(__dirname, '..', '..', '..', 'shared');
const INPUTS = [
  join(SHARED, 'real-ctrs', 'ankitamadan-process-contact-records.json'),
  join(SHARED, 'real-ctrs', 'aws-es-workshop-connect-module-base64.json'),
  join(SHARED, 'real-ctrs', 'aws-quickstart-connect-integration-smg-agenttrack.json'),
  join(SHARED, 'real-ctrs', 'aws-quickstart-connect-integration-voicebase.json'),
  join(SHARED, 'seed', 'duplicated_samples.json'),
];

/** Row columns that hold personal values: the ones a mode may change. Every other column must not move. */
const PERSONAL_COLUMNS = ['customer_endpoint', 'system_endpoint', 'attributes', 'raw_ctr', 'pii_key_version'];

/** Every phone number of the inputs (each endpoint's Address), in each common form, the form as written first. */
async function inputPhoneForms(): Promise<Map<string, string[]>> {
  const forms = new Map<string, string[]>();
  for (const file of INPUTS) {
    for (const ctr of JSON.parse(await readFile(file, 'utf8')) as Ctr[]) {
      for (const field of PII_ENDPOINT_FIELDS) {
        const address = (ctr[field] as { Address?: unknown } | null | undefined)?.Address;
        if (typeof address !== 'string' || address.trim() === '') continue;
        const digits = address.replace(/\D/g, '');
        forms.set(digits, [...new Set([address.trim(), `+${digits}`, digits])]);
      }
    }
  }
  return forms;
}

/** Every file of the lake but its state directory (key file, dedup table), which is not lake data. */
async function lakeObjects(lake: string): Promise<string[]> {
  const entries = await readdir(lake, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name))
    .filter((path) => !relative(lake, path).startsWith('.state'));
}

/**
 * Everything a reader of the lake could see, as text: each object's bytes as stored (Parquet footers and statistics
 * included), GZIP objects decompressed, and every value of every Parquet row read back by DuckDB with each column
 * cast to text, so nothing can hide in a Snappy-compressed or dictionary-encoded page.
 */
async function lakeText(lake: string): Promise<{ text: string; objects: string[]; parquetRows: number }> {
  const objects = await lakeObjects(lake);
  const parts: string[] = [];
  let parquetRows = 0;
  const duckdb = await openDuckDb();
  try {
    for (const object of objects) {
      const bytes = await readFile(object);
      parts.push(bytes.toString('latin1'));
      if (object.endsWith('.gz')) parts.push(gunzipSync(bytes).toString('utf8'));
      if (object.endsWith('.parquet')) {
        const reader = await duckdb.connection.runAndReadAll(
          `SELECT CAST(COLUMNS(*) AS VARCHAR) FROM read_parquet(${sqlString(object)})`,
        );
        const rows = reader.getRowsJson();
        parquetRows += rows.length;
        parts.push(rows.map((row) => row.join('\u0000')).join('\n'));
      }
    }
  } finally {
    duckdb.close();
  }
  return { text: parts.join('\n'), objects, parquetRows };
}

/** A query result without the personal columns, rows in contact order, to compare across modes. */
function withoutPersonalColumns(rows: readonly JsonRow[]): JsonRow[] {
  return rows
    .map((row) => Object.fromEntries(Object.entries(row).filter(([column]) => !PERSONAL_COLUMNS.includes(column))))
    .sort((a, b) => String(a.contact_id).localeCompare(String(b.contact_id)));
}

interface ModeRun {
  readonly lake: string;
  readonly summary: PipelineSummary;
  readonly lakeText: Awaited<ReturnType<typeof lakeText>>;
}

describe.each(['json', 'parquet'] as const)('phone numbers in a %s lake, real CTRs and the seed', (format) => {
  const runs = new Map<PiiMode, ModeRun>();
  let phones: Map<string, string[]>;
  const run = (mode: PiiMode): ModeRun => runs.get(mode)!;

  // One pipeline run per mode, shared by every test below.
  beforeAll(async () => {
    phones = await inputPhoneForms();
    for (const mode of ['keep', 'pseudonymise', 'drop'] as const) {
      const lake = await mkdtemp(join(tmpdir(), `ctr-lake-privacy-${mode}-`));
      const summary = await runLocalPipeline({ lakeDir: lake, format, samples: INPUTS, pii: { mode } });
      runs.set(mode, { lake, summary, lakeText: await lakeText(lake) });
    }
  }, loadedMachineLimit(30));

  afterAll(async () => {
    await Promise.all([...runs.values()].map(({ lake }) => rm(lake, { recursive: true, force: true })));
  });

  it('reads the inputs: 14 phone numbers, all of them landed in clear by keep (the scan sees them)', () => {
    const { text, objects } = run('keep').lakeText;

    expect(phones.size).toBe(14);
    expect(objects.length).toBeGreaterThan(0);
    for (const [digits, [written]] of phones) {
      expect(text).toContain(written);
      expect(text).toContain(digits);
    }
  });

  it.each(['pseudonymise', 'drop'] as const)(
    'leaves no input phone number in any form anywhere in the lake: %s',
    (mode) => {
      const { text } = run(mode).lakeText;

      const found = [...phones.values()].flat().filter((form) => text.includes(form));

      expect(found).toEqual([]);
    },
  );

  it('reads every object: rows and only rows, no error or on-failure record, every Parquet row read back', () => {
    for (const mode of ['keep', 'pseudonymise', 'drop'] as const) {
      const { lake, summary, lakeText: scanned } = run(mode);
      expect(summary).toMatchObject({ quarantined: 0, failed: 0, pii: { mode } });
      expect(scanned.objects.every((object) => relative(lake, object).startsWith(LAKE_DATA_PREFIX))).toBe(true);
      expect(existsSync(join(lake, 'errors'))).toBe(false);
      if (format === 'parquet') expect(scanned.parquetRows).toBe(summary.rows);
    }
  });

  it.each(['pseudonymise', 'drop'] as const)('changes no count, no calls_per_day and no other column: %s', (mode) => {
    const keep = run('keep').summary;
    const other = run(mode).summary;

    expect(other).toMatchObject({
      in: keep.in,
      inBatchDuplicates: keep.inBatchDuplicates,
      storedDuplicates: keep.storedDuplicates,
      delivered: keep.delivered,
      rows: keep.rows,
    });
    expect(other.queries.calls_per_day).toEqual(keep.queries.calls_per_day);
    expect(withoutPersonalColumns(other.queries.ctr_latest!)).toEqual(withoutPersonalColumns(keep.queries.ctr_latest!));
    for (const name of ['ctrs_per_day', 'avg_handle_time_by_queue', 'abandoned_contacts', 'duplicates_audit']) {
      expect(other.queries[name]).toEqual(keep.queries[name]);
    }
  });

  it("pseudonymises each contact's numbers with the lake's key, recording its version", async () => {
    const { lake, summary } = run('pseudonymise');
    const { key } = await readLocalKey(lake);
    const clear = new Map(run('keep').summary.queries.ctr_latest!.map((row) => [row.contact_id, row]));

    for (const row of summary.queries.ctr_latest!) {
      const original = clear.get(row.contact_id)!;
      for (const column of ['customer_endpoint', 'system_endpoint']) {
        const value = original[column];
        expect(row[column]).toBe(typeof value === 'string' ? pseudonymOf(key.material, value) : value);
        if (typeof value === 'string') expect(row[column]).toMatch(PSEUDONYM_PATTERN);
      }
      expect(row.pii_key_version).toBe(1);
    }
    expect(summary.pii).toEqual({
      mode: 'pseudonymise',
      attributeKeys: [],
      keyVersion: 1,
      keyFile: expect.any(String),
    });
  });

  it('counts the repeat caller in every mode: the number in keep, its pseudonym in pseudonymise, nobody in drop', async () => {
    const keep = run('keep').summary.queries.repeat_callers!;
    const { key } = await readLocalKey(run('pseudonymise').lake);

    expect(keep).toEqual([{ caller: '+61473431564', calls: 5, first_day: '2019-07-28', last_day: '2019-08-04' }]);
    expect(run('pseudonymise').summary.queries.repeat_callers).toEqual(
      keep.map((row) => ({ ...row, caller: pseudonymOf(key.material, String(row.caller)) })),
    );
    expect(run('drop').summary.queries.repeat_callers).toEqual([]);
  });

  it('drops every number to null', () => {
    for (const row of run('drop').summary.queries.ctr_latest!) {
      expect([row.customer_endpoint, row.system_endpoint, row.pii_key_version]).toEqual([null, null, null]);
    }
  });
});
