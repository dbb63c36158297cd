import { existsSync } from 'node:fs';
import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Ctr } from '../../lambda/shared/ctr';
import { contentFingerprint } from '../../lambda/shared/fingerprint';
import { EXIT, runCli } from '../../commands/start/run-start';
import type { PipelineSummary } from '../../local-aws/pipeline/pipeline-options';
import { runLocalPipeline } from '../../local-aws/pipeline/run-pipeline';
import { DEFAULT_SAMPLES } from '../../local-aws/pipeline/sample-events';
import { loadRealCtrs, writeSource } from '../support/real-ctrs';
import { temporaryLakes } from '../support/lake-fixture';

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
  const { fresh: freshLake, adopt, removeAll } = temporaryLakes('ctr-lake-e2e');

  afterAll(removeAll);

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
      expect(stdout).toMatch(
        /PII mode: pseudonymise: phone numbers are keyed pseudonyms \(hmac:…\)\n {2}key version 1 in /,
      );
    });

    it('says which PII mode ran when asked for another one', async () => {
      // Act
      const { code, stdout } = await run('--pii-mode', 'drop');

      // Assert
      expect(code).toBe(EXIT.ok);
      expect(stdout).toContain('PII mode: drop: phone numbers are removed (null)');
    });

    it('writes the report into the temporary lake directory and keeps it alone there when the lake is removed', async () => {
      // Act
      const { code, stdout } = await run();
      const path = /^Report: (\S+) \(kept; the lake beside it is removed at exit\)$/m.exec(stdout)?.[1];
      adopt(dirname(path ?? '/nonexistent/x'));

      // Assert
      expect(code).toBe(EXIT.ok);
      expect(path).toMatch(/report\.html$/);
      expect(await readdir(dirname(path!))).toEqual(['report.html']);
      expect(await readFile(path!, 'utf8')).toContain('<h2>Dedup funnel</h2>');
    });

    it('writes the report beside a kept lake, names it in --json, and writes none with --no-report', async () => {
      // Arrange
      const kept = await freshLake();
      const skipped = await freshLake();

      // Act
      const json = await run('--json', '--lake', kept);
      const none = await run('--no-report', '--lake', skipped);

      // Assert
      expect((JSON.parse(json.stdout) as { report: string }).report).toBe(join(kept, 'report.html'));
      expect(await readdir(kept)).toContain('report.html');
      expect(none.stdout).not.toMatch(/Report:/);
      expect(await readdir(skipped)).not.toContain('report.html');
    });

    it('prints one JSON summary object with --json, saying the lake given with --lake was kept', async () => {
      // Arrange
      const lake = await freshLake();

      // Act
      const { code, stdout } = await run('--json', '--lake', lake);

      // Assert
      expect(code).toBe(EXIT.ok);
      const summary = JSON.parse(stdout) as PipelineSummary & { lakeRemoved: boolean };
      expect(summary).toMatchObject({ in: 6, inBatchDuplicates: 3, storedDuplicates: 0, delivered: 3, rows: 3 });
      expect(Object.keys(summary.queries)).toEqual(expect.arrayContaining(['ctr_latest', 'calls_per_day']));
      expect(summary).toMatchObject({ lake, lakeRemoved: false });
      expect(summary.compaction?.totals).toMatchObject({ partitions: 2, rows: 3 });
      expect(existsSync(lake)).toBe(true);
    });

    it('leaves the lake as Firehose wrote it with --no-compact', async () => {
      // Act
      const { code, stdout } = await run('--json', '--no-compact', '--lake', await freshLake());

      // Assert
      expect(code).toBe(EXIT.ok);
      expect((JSON.parse(stdout) as PipelineSummary).compaction).toBeUndefined();
    });

    it('says in --json that the temporary lake was removed, all but its report', async () => {
      // Act
      const { code, stdout } = await run('--json');
      const summary = JSON.parse(stdout) as PipelineSummary & { lakeRemoved: boolean; report: string };
      adopt(summary.lake);

      // Assert
      expect(code).toBe(EXIT.ok);
      expect(summary.lakeRemoved).toBe(true);
      expect(summary.report).toBe(join(summary.lake, 'report.html'));
      expect(await readdir(summary.lake)).toEqual(['report.html']);
    });

    it('refuses --dynamodb-local on a lake whose dedup state is in dynalite, in one line, before Java starts', async () => {
      // Arrange: a first run keeps the lake's dedup table in dynalite
      const lake = await freshLake();
      expect((await run('--lake', lake)).code).toBe(EXIT.ok);

      // Act
      const { code, stdout, stderr } = await run('--lake', lake, '--dynamodb-local');

      // Assert: nothing delivered again, and DynamoDB Local never got a database directory
      expect(code).toBe(EXIT.failed);
      expect(stdout).toBe('');
      expect(stderr).toMatch(
        /^error: the lake .* keeps its dedup state in dynalite \(\.state\/dynamodb\): run without --dynamodb-local as before, or use another --lake/m,
      );
      expect(stderr.split('\n').filter((line) => line.startsWith('error:'))).toHaveLength(1);
      expect(existsSync(join(lake, '.state', 'dynamodb-local'))).toBe(false);
    });

    it('refuses a samples file that does not exist, before starting anything', async () => {
      // Act
      const { code, stdout, stderr } = await run('--samples', 'no/such/file.json');

      // Assert
      expect(code).toBe(EXIT.failed);
      expect(stderr).toMatch(/cannot read no\/such\/file\.json: no such file or directory/);
      expect(stderr).not.toMatch(/\n\s+at /); // no stack trace
      expect(stdout).toBe('');
    });

    it('reports what it could not send, sends the rest and exits 1', async () => {
      // Arrange: a line that is not JSON, a record with no ContactId, and a good record, as JSON Lines.
      const lake = await freshLake();
      const file = join(lake, 'mixed.jsonl');
      const good = (await readCtrs(DEFAULT_SAMPLES))[0]!;
      await writeFile(file, `{"ContactId": "a",\n{"no": "contact id"}\n${JSON.stringify(good)}\n`);

      // Act
      const { code, stdout } = await run('--samples', file, '--lake', lake);

      // Assert
      expect(code).toBe(EXIT.failed);
      expect(stdout).toMatch(/delivered to the lake\s+1\n/);
      expect(stdout).toMatch(/not sent \(malformed pieces\)\s+2\n/);
      expect(stdout).toMatch(
        /mixed\.jsonl line 1 \(byte 0\): "\{" at byte 19 where a member name should be; 19 bytes skipped/,
      );
      expect(stdout).toMatch(/mixed\.jsonl line 2 \(byte 19\): expected a string ContactId, received no ContactId/);
    });

    it('reads a directory of real CTRs in several layouts, and counts quarantined records by reason with their source', async () => {
      // Arrange: the real CTRs as JSON Lines (gzipped) and objects back to back, plus one CTR the checker refuses.
      const lake = await freshLake();
      const dir = join(lake, 'history');
      const ctrs = loadRealCtrs();
      await writeSource(
        join(dir, 'a'),
        'part-1.jsonl.gz',
        gzipSync(
          ctrs
            .slice(0, 4)
            .map((c) => `${JSON.stringify(c)}\n`)
            .join(''),
        ),
      );
      await writeSource(
        join(dir, 'b'),
        'part-2',
        Buffer.from(
          ctrs
            .slice(4)
            .map((c) => JSON.stringify(c))
            .join(''),
        ),
      );
      const refused = { ...ctrs[0]!, ContactId: 'refused-1', InitiationTimestamp: 'yesterday' };
      await writeSource(join(dir, 'b'), 'part-3.jsonl', Buffer.from(`\n\n${JSON.stringify(refused)}\n`));

      // Act
      const { code, stdout } = await run('--samples', dir, '--lake', lake, '--json');

      // Assert
      expect(code).toBe(EXIT.ok);
      const summary = JSON.parse(stdout) as PipelineSummary;
      expect(summary).toMatchObject({ in: ctrs.length + 1, delivered: ctrs.length, quarantined: 1, rows: ctrs.length });
      expect(summary.quarantine).toEqual({
        records: 1,
        byReason: [
          {
            reason: 'INVALID_FIELD',
            count: 1,
            detail: 'expected InitiationTimestamp to be an ISO-8601 timestamp, received string "yesterday"',
            sources: [
              { source: join(dir, 'b', 'part-3.jsonl'), position: { byte: 2, line: 3 }, contactId: 'refused-1' },
            ],
          },
        ],
      });
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
