import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { backfillMain } from '../../../commands/backfill';
import { loadCheckpoint } from '../../../commands/backfill/checkpoint';
import { openLocalTarget } from '../../../commands/backfill/local-target';
import { runBackfill, type BackfillSummary } from '../../../commands/backfill/run-backfill';
import { listSources } from '../../../local-aws/ctr-sources/read-ctrs';
import { stateDir } from '../../../local-aws/lake/lake-writer';
import { runLocalPipeline } from '../../../local-aws/pipeline/run-pipeline';
import { readStackSettings } from '../../../local-aws/pipeline/stack-settings';
import { LakeQueryRunner } from '../../../local-aws/query/lake-query-runner';
import { captureIo } from '../../unit/commands/deployment-fixtures';
import { concatenatedWithBrokenMiddle, loadRealCtrs, writeSource } from '../../support/real-ctrs';

const ctrs = loadRealCtrs();

/** Rows and raw duplicates (the same fingerprint stored twice) of a lake. */
async function lakeContents(lake: string): Promise<{ rows: number; fingerprints: string[]; duplicated: number }> {
  const runner = await LakeQueryRunner.open({ lakeDir: lake });
  try {
    const { rows } = await runner.query('SELECT fingerprint FROM ctr ORDER BY fingerprint');
    const fingerprints = rows.map((row) => String(row.fingerprint));
    return { rows: rows.length, fingerprints, duplicated: fingerprints.length - new Set(fingerprints).size };
  } finally {
    runner.close();
  }
}

describe('a local backfill of the real CTRs', () => {
  const dirs: string[] = [];
  const fresh = async (name: string): Promise<string> => {
    const dir = await mkdtemp(join(tmpdir(), `${name}-`));
    dirs.push(dir);
    return dir;
  };
  afterAll(async () => {
    await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
  });

  /** History as exports leave it: overlapping files in several layouts, one with a truncated record in the middle. */
  async function history(): Promise<{ dir: string; truncated: string }> {
    const dir = await fresh('history');
    const jsonl = ctrs
      .slice(0, 6)
      .map((c) => `${JSON.stringify(c)}\n`)
      .join('');
    await writeSource(join(dir, '2019'), 'export-1.jsonl.gz', gzipSync(jsonl));
    await writeSource(join(dir, '2019'), 'export-2.json', Buffer.from(JSON.stringify(ctrs.slice(4), null, 2)));
    const broken = concatenatedWithBrokenMiddle(ctrs.slice(2, 7));
    await writeSource(join(dir, 'firehose'), 'ctr-lake-1-2019-08-04-01', broken.bytes);
    return { dir, truncated: broken.broken.ContactId };
  }

  const backfill = async (
    args: string[],
  ): Promise<{ code: number; summary: BackfillSummary & { lakeRows: number } }> => {
    const { out, io } = captureIo();
    const code = await backfillMain([...args, '--json'], io);
    return { code, summary: JSON.parse(out.stdout) as BackfillSummary & { lakeRows: number } };
  };

  it('run twice, adds their distinct CTRs once, and the second run finds them all in the lake', async () => {
    // Arrange
    const { dir } = await history();
    const lake = await fresh('lake');

    // Act
    const first = await backfill([dir, '--lake', lake]);
    const second = await backfill([dir, '--lake', lake]);

    // Assert: 6 + 5 + 4 readable records (one of the third file is truncated), 9 distinct CTRs.
    expect(first.code).toBe(1); // the truncated record is reported
    expect(first.summary).toMatchObject({ read: 15, sent: 15, skippedInLake: 0, failed: 0, lakeRows: ctrs.length });
    expect(first.summary.malformed).toEqual([
      expect.objectContaining({ source: join(dir, 'firehose', 'ctr-lake-1-2019-08-04-01') }),
    ]);
    expect(second.summary).toMatchObject({ read: 15, sent: 0, skippedInLake: 15, lakeRows: ctrs.length });
    expect(await lakeContents(lake)).toMatchObject({ rows: ctrs.length, duplicated: 0 });
  });

  it('skips what the lake holds even when the dedup table has forgotten it (past its TTL)', async () => {
    // Arrange
    const { dir } = await history();
    const lake = await fresh('lake');
    await backfill([dir, '--lake', lake]);
    await rm(join(stateDir(lake), 'dynamodb'), { recursive: true, force: true });

    // Act
    const again = await backfill([dir, '--lake', lake]);

    // Assert
    expect(again.summary).toMatchObject({ sent: 0, skippedInLake: 15, lakeRows: ctrs.length });
    expect(await lakeContents(lake)).toMatchObject({ rows: ctrs.length, duplicated: 0 });
  });

  it('skips the CTRs that already arrived live', async () => {
    // Arrange: three CTRs came through the stream before the backfill.
    const lake = await fresh('lake');
    const live = await writeSource(await fresh('live'), 'live.json', Buffer.from(JSON.stringify(ctrs.slice(0, 3))));
    await runLocalPipeline({ lakeDir: lake, samples: [live], queries: false });
    const all = await writeSource(
      await fresh('all'),
      'all.jsonl',
      Buffer.from(ctrs.map((c) => `${JSON.stringify(c)}\n`).join('')),
    );

    // Act
    const { summary } = await backfill([all, '--lake', lake]);

    // Assert
    expect(summary).toMatchObject({
      read: ctrs.length,
      sent: ctrs.length - 3,
      skippedInLake: 3,
      lakeRows: ctrs.length,
    });
  });

  it('interrupted, resumes from its checkpoint without sending anything twice', async () => {
    // Arrange: every record gets its own request and a checkpoint, and the run stops once 4 records are read.
    const { dir } = await history();
    const lake = await fresh('lake');
    const sources = await listSources([dir]);
    const checkpointPath = join(lake, 'checkpoint.json');
    const controller = new AbortController();
    const run = async (signal?: AbortSignal): Promise<BackfillSummary> => {
      const target = await openLocalTarget(lake, readStackSettings(), { settleEvery: 1 });
      try {
        const checkpoint = await loadCheckpoint(checkpointPath, target.id);
        return await runBackfill({
          sources,
          target,
          checkpointPath,
          ...(checkpoint ? { checkpoint } : {}),
          ...(signal ? { signal, onProgress: (p) => p.read === 4 && controller.abort() } : {}),
        });
      } finally {
        await target.close();
      }
    };

    // Act
    const first = await run(controller.signal);
    const afterFirst = await lakeContents(lake);
    const second = await run();

    // Assert: the first run's 4 records are in the lake and checkpointed; the second starts after them.
    expect(first).toMatchObject({ read: 4, sent: 4, interrupted: true, checkpoint: checkpointPath });
    expect(afterFirst.rows).toBe(4);
    expect(second).toMatchObject({
      resumed: 4,
      read: 11,
      skippedInLake: 2,
      sent: 9,
      interrupted: false,
      checkpoint: null,
    });
    expect(await lakeContents(lake)).toMatchObject({ rows: ctrs.length, duplicated: 0 });
  });
});
