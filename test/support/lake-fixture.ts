import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Ctr } from '../../lambda/shared/ctr';
import { contentFingerprint } from '../../lambda/shared/fingerprint';
import type { LakeFormat } from '../../lambda/shared/lake-format';
import { toLakeRow } from '../../lambda/transform/to-lake-row';
import { LakeWriter } from '../../local-aws/lake/lake-writer';
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
