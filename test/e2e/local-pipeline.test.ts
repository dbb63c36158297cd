import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Ctr } from '../../lambda/shared/ctr';
import { contentFingerprint } from '../../lambda/shared/fingerprint';
import { EXIT, runCli } from '../../commands/start/run-start';
import type { PipelineSummary } from '../../local-aws/pipeline/pipeline-options';
import { runLocalPipeline } from '../../local-aws/pipeline/run-pipeline';
import { DEFAULT_SAMPLES } from '../../local-aws/pipeline/sample-events';

/** The public seed: three versions of one contact, each twice. Read from ../shared, never copied. */
const SEED = resolve(__dirname, '..', '..', '..', 'shared', 'seed', 'duplicated_samples.json');
/** The seed's fingerprints as published with it: anchors the fingerprint algorithm (RFC 8785 + SHA-256). */
const SEED_FINGERPRINT_PREFIXES = ['ef7d9f7e', '886176cd', 'eaa1aa06'];

async function readCtrs(file: string): Promise<Ctr[]> {
  return JSON.parse(await readFile(file, 'utf8')) as Ctr[];
}

/** Distinct CTRs by content, in first-seen order. */
function distinct(ctrs: readonly Ctr[]): Map<string, Ctr> {
  return new Map(ctrs.map((ctr) => [contentFingerprint(ctr), ctr]));
}

/** What calls_per_day must say: distinct calls (InitialContactId or ContactId) per UTC day and channel. */
function expectedCallsPerDay(ctrs: Iterable<Ctr>): { day: string; channel: string; calls: number }[] {
  const calls = new Map<string, Set<string>>();
  for (const ctr of ctrs) {
    const key = `${ctr.InitiationTimestamp.slice(0, 10)}|${ctr.Channel}`;
    calls.set(key, (calls.get(key) ?? new Set()).add(ctr.InitialContactId ?? ctr.ContactId));
  }
  return [...calls]
    .map(([key, ids]) => ({ day: key.split('|')[0]!, channel: key.split('|')[1]!, calls: ids.size }))
    .sort((a, b) => a.day.localeCompare(b.day) || a.channel.localeCompare(b.channel));
}

function newestPerContact(ctrs: Iterable<Ctr>): Map<string, Ctr> {
  const newest = new Map<string, Ctr>();
  for (const ctr of ctrs) {
    const current = newest.get(ctr.ContactId);
    if (!current || (ctr.LastUpdateTimestamp ?? '') > (current.LastUpdateTimestamp ?? ''))
      newest.set(ctr.ContactId, ctr);
  }
  return newest;
}

describe('local pipeline, end to end', () => {
  const lakes: string[] = [];
  const freshLake = async (): Promise<string> => {
    const dir = await mkdtemp(join(tmpdir(), 'ctr-lake-e2e-'));
    lakes.push(dir);
    return dir;
  };

  afterAll(async () => {
    await Promise.all(lakes.map((dir) => rm(dir, { recursive: true, force: true })));
  });

  describe('the reference samples in Parquet, run twice on one lake', () => {
    let lake: string;
    let first: PipelineSummary;
    let second: PipelineSummary;
    let samples: Ctr[];

    beforeAll(async () => {
      samples = await readCtrs(DEFAULT_SAMPLES);
      lake = await freshLake();
      first = await runLocalPipeline({ lakeDir: lake, format: 'parquet' });
      second = await runLocalPipeline({ lakeDir: lake, format: 'parquet' });
    });

    it('counts every CTR in and drops each in-batch duplicate', () => {
      // Assert
      const unique = distinct(samples).size;
      expect(first).toMatchObject({
        in: samples.length,
        inBatchDuplicates: samples.length - unique,
        storedDuplicates: 0,
        delivered: unique,
        quarantined: 0,
        failed: 0,
        rows: unique,
        lake,
        format: 'parquet',
      });
    });

    it('agrees with the metrics the checker published', () => {
      // Assert
      expect(first.details.metrics.checker).toMatchObject({
        RecordsIn: first.in,
        InBatchDuplicates: first.inBatchDuplicates,
        StoredDuplicates: first.storedDuplicates,
        Delivered: first.delivered,
      });
    });

    it('stores rows whose fingerprints are the SHA-256 of the canonical sample CTRs', () => {
      // Assert
      const stored = first.queries.ctr_latest!.map((row) => row.fingerprint).sort();
      expect(stored).toEqual([...distinct(samples).keys()].sort());
    });

    it('answers the named queries from the samples', () => {
      // Arrange
      const unique = [...distinct(samples).values()];
      const latest = newestPerContact(unique);

      // Assert
      expect(first.queries.calls_per_day).toEqual(expectedCallsPerDay(latest.values()));
      expect(first.queries.ctrs_per_day!.reduce((sum, row) => sum + Number(row.ctrs), 0)).toBe(unique.length);
      expect(first.queries.duplicates_audit).toEqual([]);
      expect(first.queries.ctr_latest!.map((row) => row.contact_id).sort()).toEqual([...latest.keys()].sort());
      const abandoned = [...latest.values()].filter(
        (ctr) => ctr.Queue?.EnqueueTimestamp && !ctr.Agent?.ConnectedToAgentTimestamp,
      );
      expect(first.queries.abandoned_contacts!.map((row) => row.contact_id).sort()).toEqual(
        abandoned.map((ctr) => ctr.ContactId).sort(),
      );
    });

    it('adds nothing when run again on the same lake', () => {
      // Assert
      expect(second).toMatchObject({
        in: samples.length,
        inBatchDuplicates: samples.length - distinct(samples).size,
        storedDuplicates: distinct(samples).size,
        delivered: 0,
        rows: first.rows,
      });
      expect(second.details.rowsWritten).toBe(0);
      // ctr_latest.sql has no ORDER BY: compare it as a set.
      const byContact = (summary: PipelineSummary) =>
        [...summary.queries.ctr_latest!].sort((a, b) => String(a.contact_id).localeCompare(String(b.contact_id)));
      expect(byContact(second)).toEqual(byContact(first));
      expect({ ...second.queries, ctr_latest: [] }).toEqual({ ...first.queries, ctr_latest: [] });
    });
  });

  it('lands the same rows as GZIP JSON lines', async () => {
    // Arrange
    const samples = await readCtrs(DEFAULT_SAMPLES);

    // Act
    const summary = await runLocalPipeline({ lakeDir: await freshLake(), format: 'json' });

    // Assert
    expect(summary).toMatchObject({ format: 'json', delivered: distinct(samples).size, rows: distinct(samples).size });
    expect(summary.queries.ctr_latest!.map((row) => row.fingerprint).sort()).toEqual(
      [...distinct(samples).keys()].sort(),
    );
    expect(summary.queries.duplicates_audit).toEqual([]);
  });

  it('keeps the three versions of the seed contact and counts it as one call', async () => {
    // Arrange
    const seed = await readCtrs(SEED);
    const versions = distinct(seed);

    // Act
    const summary = await runLocalPipeline({ lakeDir: await freshLake(), samples: [SEED] });

    // Assert
    expect(summary).toMatchObject({ in: seed.length, delivered: versions.size, rows: versions.size });
    expect(summary.details.rowsWritten).toBe(versions.size);
    expect(summary.queries.ctrs_per_day!.reduce((sum, row) => sum + Number(row.ctrs), 0)).toBe(versions.size);
    expect(summary.queries.calls_per_day).toEqual(expectedCallsPerDay(newestPerContact(versions.values()).values()));
    expect(summary.queries.calls_per_day!.reduce((sum, row) => sum + Number(row.calls), 0)).toBe(1);
    const newest = newestPerContact(versions.values());
    expect(summary.queries.ctr_latest!.map((row) => row.fingerprint)).toEqual(
      [...newest.values()].map((ctr) => contentFingerprint(ctr)),
    );
    const fingerprints = [...versions.keys()];
    expect(SEED_FINGERPRINT_PREFIXES.map((prefix) => fingerprints.find((f) => f.startsWith(prefix)))).toEqual(
      expect.arrayContaining(fingerprints),
    );
  });

  it('compacts at the end when asked: raw-file duplicates gone, one object per day, the same answers', async () => {
    // Arrange: a second run that lost the dedup state (its claims) delivers every CTR again: raw-file duplicates.
    const lake = await freshLake();
    await runLocalPipeline({ lakeDir: lake, format: 'parquet', queries: false });
    await rm(join(lake, '.state', 'dynamodb'), { recursive: true, force: true });

    // Act
    const summary = await runLocalPipeline({ lakeDir: lake, format: 'parquet', compact: true });

    // Assert
    expect(summary.delivered).toBe(3);
    expect(summary.compaction?.totals).toEqual(
      expect.objectContaining({ partitions: 2, objectsBefore: 4, objectsAfter: 2, rowsBefore: 6, rows: 3 }),
    );
    expect(summary.rows).toBe(3);
    expect(summary.queries.duplicates_audit).toEqual([]);
    expect(summary.queries.ctr_latest).toHaveLength(3);
    const days = await readdir(join(lake, 'ctr', 'year=2026', 'month=03'));
    for (const day of days) {
      expect(await readdir(join(lake, 'ctr', 'year=2026', 'month=03', day))).toEqual([
        expect.stringMatching(/^compacted-.+\.parquet$/),
      ]);
    }
  });

  describe('npm start', () => {
    const run = async (...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> => {
      let stdout = '';
      let stderr = '';
      const code = await runCli(argv, {
        stdout: { write: (text: string) => (stdout += text) },
        stderr: { write: (text: string) => (stderr += text) },
      });
      return { code, stdout, stderr };
    };

    it('prints the counts, the lake rows and the query tables', async () => {
      // Act
      const { code, stdout } = await run();

      // Assert
      expect(code).toBe(EXIT.ok);
      expect(stdout).toMatch(/CTRs in\s+6\n/);
      expect(stdout).toMatch(/in-batch duplicates dropped\s+3\n/);
      expect(stdout).toMatch(/holds 3 rows/);
      expect(stdout).toMatch(/calls_per_day \(3 rows\)/);
      expect(stdout).toMatch(/Compaction: compacted 2 partitions: 2 objects → 2, 3 rows → 3 \(0 duplicates removed\)/);
    });

    it('prints one JSON summary object with --json', async () => {
      // Act
      const { code, stdout } = await run('--json', '--lake', await freshLake());

      // Assert
      expect(code).toBe(EXIT.ok);
      const summary = JSON.parse(stdout) as PipelineSummary;
      expect(summary).toMatchObject({ in: 6, inBatchDuplicates: 3, storedDuplicates: 0, delivered: 3, rows: 3 });
      expect(Object.keys(summary.queries)).toEqual(expect.arrayContaining(['ctr_latest', 'calls_per_day']));
      expect(summary.compaction?.totals).toMatchObject({ partitions: 2, rows: 3 });
    });

    it('leaves the lake as Firehose wrote it with --no-compact', async () => {
      // Act
      const { code, stdout } = await run('--json', '--no-compact', '--lake', await freshLake());

      // Assert
      expect(code).toBe(EXIT.ok);
      expect((JSON.parse(stdout) as PipelineSummary).compaction).toBeUndefined();
    });

    it('refuses a samples file that does not exist', async () => {
      // Act
      const { code, stdout, stderr } = await run('--samples', 'no/such/file.json');

      // Assert
      expect(code).toBe(EXIT.failed);
      expect(stderr).toMatch(/cannot read samples file .*no\/such\/file\.json: no such file/);
      expect(stderr).not.toMatch(/\n\s+at /); // no stack trace
      expect(stdout).toBe('');
    });

    it('refuses a samples file that is not JSON', async () => {
      // Arrange
      const lake = await freshLake();
      const file = join(lake, 'broken.json');
      await writeFile(file, '[{"ContactId": "a",');

      // Act
      const { code, stderr } = await run('--samples', file);

      // Assert
      expect(code).toBe(EXIT.failed);
      expect(stderr).toMatch(/broken\.json is not valid JSON/);
    });

    it('refuses a samples file the emulator cannot send', async () => {
      // Arrange
      const lake = await freshLake();
      const file = join(lake, 'not-ctrs.json');
      await writeFile(file, '[{"no": "contact id"}]');

      // Act
      const { code, stderr } = await run('--samples', file);

      // Assert
      expect(code).toBe(EXIT.failed);
      expect(stderr).toMatch(
        /the emulator refused samples file .*not-ctrs\.json: record 0: expected a string ContactId/,
      );
    });

    it('refuses an unknown format with the usage', async () => {
      // Act
      const { code, stderr } = await run('--format', 'csv');

      // Assert
      expect(code).toBe(EXIT.usage);
      expect(stderr).toMatch(/--format must be one of parquet, json/);
    });
  });
});
