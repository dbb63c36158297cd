import { COMPACTION_STEPS, type CompactionStep } from '../../lambda/compaction/steps';
import { totalsOf, type CompactionSummary } from '../../lambda/compaction/run';
import type { LakeFormat } from '../../local-aws/lake/lake-format';
import { compactLocalLake } from '../../local-aws/lake/compact-local-lake';
import { sqlString } from '../../local-aws/lake/sql';
import type { LakeQueryRunner } from '../../local-aws/query/lake-query-runner';
import { expectedLatest } from './reconcile';
import type { Expectation } from './soak-input';

/** What the soak's final compaction pass did, and the lake reconciled again after it. */
export interface CompactionPassFigures {
  readonly partitions: number;
  readonly objectsBefore: number;
  readonly objectsAfter: number;
  readonly duplicatesRemoved: number;
  /** The step after which the first run was stopped (a crash), when the soak injects faults. */
  readonly crashedAfter?: CompactionStep;
  /** Interrupted compactions the second run finished or discarded. */
  readonly recovered: number;
  readonly failed: number;
  /** Rows beyond one per fingerprint in the partitions the pass compacted. Must be 0. */
  readonly rawDuplicates: number;
  /** Distinct CTRs of the input missing from the lake after the pass. Must be 0. */
  readonly lost: number;
  /** Contacts whose ctr_latest row is not the newest version after the pass. Must be 0. */
  readonly viewMismatches: number;
}

/**
 * The nightly compaction job, run over the soak's lake once everything is delivered: a first run stopped dead after
 * a step drawn from the seed (when faults are on), then a run that finishes what it left. Then the lake is read
 * again through the `ctr` table and the `ctr_latest` view: nothing lost, each fingerprint once in every partition
 * the pass compacted, the view still exact.
 */
export async function compactionPass(options: {
  readonly lakeDir: string;
  readonly format: LakeFormat;
  readonly expectation: Expectation;
  readonly runner: LakeQueryRunner;
  readonly seed: number;
  readonly crash: boolean;
}): Promise<CompactionPassFigures> {
  const crashedAfter = options.crash ? COMPACTION_STEPS[options.seed % COMPACTION_STEPS.length] : undefined;
  const runs: CompactionSummary[] = [];
  if (crashedAfter !== undefined) {
    let dead = false;
    runs.push(
      await compactLocalLake({
        lakeDir: options.lakeDir,
        format: options.format,
        onStep: (step) => {
          if (step === crashedAfter) dead = true;
          if (dead) throw new Error(`soak: compaction crashed after ${step}`);
        },
      }),
    );
  }
  const last = await compactLocalLake({ lakeDir: options.lakeDir, format: options.format });
  runs.push(last);

  const compacted = runs.flatMap((run) => [...run.compacted, ...run.recovered.flatMap((r) => r.outcome ?? [])]);
  const days = [...new Set(compacted.map((outcome) => outcome.day))];
  const { runner } = options;
  await runner.refresh();
  const inDays =
    days.length === 0
      ? 'false'
      : `(year || '-' || month || '-' || day) IN (${days.map((day) => sqlString(day)).join(', ')})`;
  const counted = await runner.query(`SELECT count(*) AS n, count(DISTINCT fingerprint) AS d FROM ctr WHERE ${inDays}`);
  const present = new Set(
    (await runner.query('SELECT DISTINCT fingerprint FROM ctr')).rows.map((row) => String(row.fingerprint)),
  );
  const viewed = new Map(
    (await runner.query('SELECT contact_id, fingerprint FROM ctr_latest')).rows.map((row) => [
      String(row.contact_id),
      String(row.fingerprint),
    ]),
  );
  const latest = expectedLatest(options.expectation.ctrs);
  const viewMismatches =
    [...latest].filter(([contactId, fingerprint]) => viewed.get(contactId) !== fingerprint).length +
    [...viewed.keys()].filter((contactId) => !latest.has(contactId)).length;
  const totals = totalsOf(compacted);
  return {
    partitions: days.length,
    objectsBefore: totals.objectsBefore,
    objectsAfter: totals.objectsAfter,
    duplicatesRemoved: totals.duplicatesRemoved,
    ...(crashedAfter !== undefined ? { crashedAfter } : {}),
    recovered: last.recovered.length,
    failed: last.failed.length,
    rawDuplicates: Number(counted.rows[0]?.n ?? 0) - Number(counted.rows[0]?.d ?? 0),
    lost: [...options.expectation.ctrs.keys()].filter((fingerprint) => !present.has(fingerprint)).length,
    viewMismatches,
  };
}

/** The compaction pass's part of the soak's verdict. */
export function judgeCompaction(figures: CompactionPassFigures): string[] {
  const problems: string[] = [];
  if (figures.failed > 0) problems.push(`the final compaction left ${figures.failed} partitions uncompacted`);
  if (figures.rawDuplicates > 0) {
    problems.push(`${figures.rawDuplicates} raw-file duplicates remain in the partitions the compaction rewrote`);
  }
  if (figures.lost > 0) problems.push(`${figures.lost} distinct CTRs are missing after the final compaction`);
  if (figures.viewMismatches > 0) {
    problems.push(`after the final compaction ctr_latest differs for ${figures.viewMismatches} contacts`);
  }
  return problems;
}

/** `compaction 30 partitions, 412 objects → 30, 45 duplicates removed (crashed after staged, resumed): raw-file duplicates in compacted partitions 0, lost 0` */
export function compactionFigures(figures: CompactionPassFigures): string {
  const crash = figures.crashedAfter ? ` (crashed after ${figures.crashedAfter}, resumed)` : '';
  return (
    `compaction ${figures.partitions} partitions, ${figures.objectsBefore} objects → ${figures.objectsAfter}, ` +
    `${figures.duplicatesRemoved} duplicates removed${crash}: raw-file duplicates in compacted partitions ` +
    `${figures.rawDuplicates}, lost ${figures.lost}`
  );
}
