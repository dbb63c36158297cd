import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Ctr } from '../../lambda/shared/ctr';
import { contentFingerprint } from '../../lambda/shared/fingerprint';
import type { LakeFormat } from '../../lambda/shared/lake-format';
import type { PartitionKeys } from '../../lambda/shared/row-schema';
import { partitionOf, toLakeRow } from '../../lambda/transform/to-lake-row';
import { LakeWriter } from '../../local-aws/lake/lake-writer';
import { appendRunRecord } from '../../local-aws/pipeline/run-log';
import { LakeQueryRunner } from '../../local-aws/query/lake-query-runner';
import { aCtr } from './ctr-factory';

/** A CTR initiated on `day` (YYYY-MM-DD), so its row lands in that day's partition. */
export function aCtrOn(day: string, overrides: Record<string, unknown> = {}): Ctr {
  return aCtr({ InitiationTimestamp: `${day}T10:00:00Z`, ...overrides });
}

/** The lake row line the transform makes of a CTR (what Firehose writes). */
export function rowLine(ctr: Ctr, raw: string = JSON.stringify(ctr)): Buffer {
  const { row } = toLakeRow({ kind: 'ctr', fingerprint: contentFingerprint(ctr), sequenceNumber: '1', raw });
  return Buffer.from(`${JSON.stringify(row)}\n`);
}

/**
 * Writes one lake object per entry, as Firehose flushes, in the order given (each a second after the one before,
 * so object names sort in write order). Every CTR of an entry must share its InitiationTimestamp's day.
 */
export async function writeObjects(
  lakeDir: string,
  format: LakeFormat,
  objects: readonly { readonly day: string; readonly ctrs: readonly Ctr[] }[],
): Promise<void> {
  const writer = new LakeWriter({ lakeDir, format, streamName: 'ctr-lake-test' });
  try {
    let at = Date.parse('2026-04-01T00:00:00Z');
    for (const { day, ctrs } of objects) {
      const [year, month, dayOfMonth] = day.split('-') as [string, string, string];
      await writer.writeRows(
        { year, month, day: dayOfMonth },
        ctrs.map((ctr) => rowLine(ctr)),
        new Date(at),
      );
      at += 1000;
    }
  } finally {
    await writer.close();
  }
}

/** Rows per fingerprint as the `ctr` table shows them (what Athena would count). */
export async function visibleCopies(lakeDir: string): Promise<Map<string, number>> {
  const runner = await LakeQueryRunner.open({ lakeDir });
  try {
    const { rows } = await runner.query('SELECT fingerprint, count(*) AS copies FROM ctr GROUP BY fingerprint');
    return new Map(rows.map((row) => [String(row.fingerprint), Number(row.copies)]));
  } finally {
    runner.close();
  }
}

/** A temporary directory, removed by the returned function. */
export async function temporaryDir(name: string): Promise<{ dir: string; remove: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), `${name}-`));
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

/**
 * Temporary lake directories for a suite: `fresh()` makes one, `removeAll()` (in afterAll) removes every one made or
 * adopted, so a failed test leaves nothing behind either.
 */
export function temporaryLakes(name: string): {
  fresh: () => Promise<string>;
  /** Removes with the others a directory something else made (a lake the command under test created). */
  adopt: (dir: string) => void;
  removeAll: () => Promise<void>;
} {
  const dirs: string[] = [];
  return {
    adopt: (dir) => {
      dirs.push(dir);
    },
    fresh: async () => {
      const dir = await mkdtemp(join(tmpdir(), `${name}-`));
      dirs.push(dir);
      return dir;
    },
    removeAll: async () => {
      await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
    },
  };
}

/**
 * A local lake written row by row, each row in the UTC partition the transform would put it in: for tests of the
 * named queries, the query command and the report.
 */
export interface Contact {
  readonly id: string;
  /** InitiationTimestamp, ISO-8601 UTC. */
  readonly at: string;
  readonly initial?: string;
  readonly channel?: string;
  readonly queued?: boolean;
  readonly answered?: boolean;
  /** Talk time of an answered contact, seconds. */
  readonly talkSeconds?: number;
}

const rowTime = (iso: string): string => new Date(iso).toISOString().replace('T', ' ').replace('Z', '');

function rowOf(contact: Contact): string {
  return JSON.stringify({
    contact_id: contact.id,
    fingerprint: `f-${contact.id}`,
    channel: contact.channel ?? 'VOICE',
    initiation_timestamp: rowTime(contact.at),
    last_update_timestamp: rowTime(contact.at),
    initial_contact_id: contact.initial ?? null,
    queue_name: contact.queued ? 'Support' : null,
    queue_enqueue_timestamp: contact.queued ? rowTime(contact.at) : null,
    agent_connected_timestamp: contact.answered ? rowTime(contact.at) : null,
    agent_interaction_duration: contact.talkSeconds ?? null,
  });
}

export async function writeLake(lake: string, contacts: readonly Contact[]): Promise<void> {
  const writer = new LakeWriter({ lakeDir: lake, format: 'parquet', streamName: 'lake' });
  const byPartition = new Map<string, { keys: PartitionKeys; rows: string[] }>();
  for (const contact of contacts) {
    const keys = partitionOf(contact.at);
    const key = `${keys.year}-${keys.month}-${keys.day}`;
    const entry = byPartition.get(key) ?? { keys, rows: [] };
    entry.rows.push(rowOf(contact));
    byPartition.set(key, entry);
  }
  for (const { keys, rows } of byPartition.values()) {
    const { refused } = await writer.writeRows(
      keys,
      rows.map((row) => Buffer.from(`${row}\n`)),
      new Date(),
    );
    if (refused.length > 0) throw new Error(`the lake writer refused fixture rows: ${JSON.stringify(refused)}`);
  }
  await writer.close();
}

/** A week of a small contact center in Seoul, with one fingerprint stored twice. */
export async function knownReportLake(dir: string): Promise<void> {
  const chat: Contact = {
    id: 'c',
    at: '2026-03-09T02:00:00Z',
    channel: 'CHAT',
    queued: true,
    answered: true,
    talkSeconds: 60,
  };
  await writeLake(dir, [
    { id: 'a', at: '2026-03-07T14:58:00Z', queued: true, answered: true, talkSeconds: 300 },
    { id: 'a2', at: '2026-03-07T15:03:00Z', initial: 'a', queued: true, answered: true, talkSeconds: 120 },
    { id: 'b', at: '2026-03-08T01:00:00Z', queued: true },
    chat,
  ]);
  // The same CTR stored a second time (same content, so the same fingerprint): what duplicates_audit must find.
  await writeLake(dir, [chat]);
  for (const run of [
    { in: 6, inBatchDuplicates: 1, storedDuplicates: 0, delivered: 5, quarantined: 0, failed: 0 },
    { in: 3, inBatchDuplicates: 0, storedDuplicates: 2, delivered: 1, quarantined: 1, failed: 0 },
  ]) {
    await appendRunRecord(dir, { finishedAt: '2026-03-10T00:00:00.000Z', ...run });
  }
}
