import type { LakeQueryRunner } from '../../local-aws/query/lake-query-runner';
import type { DuplicateExplanation } from './delivery-ledger';
import { envelopeOf, PROCESSING_FAILED_BY_TRANSFORM, type ErrorPrefixRecord } from './error-prefix';
import type { Expectation, ExpectedCtr } from './soak-input';

/** The exact accounting of a soak: what the input says the lake must hold against what it holds. */
export interface Reconciliation {
  /** Distinct valid CTRs in the input (by fingerprint). */
  readonly distinct: number;
  /** Rows in the lake. */
  readonly rows: number;
  /** Distinct CTRs of the input missing from the lake. Must be 0. */
  readonly lost: number;
  /** A few of them, to start an investigation from. */
  readonly lostSample: readonly string[];
  /** Fingerprints in the lake that the input never held. Must be 0. */
  readonly unexpected: number;
  /** Rows beyond one per fingerprint: raw-file duplicates, allowed only where a crash or timeout explains them. */
  readonly rawDuplicates: number;
  /**
   * Fingerprints whose copies in the lake differ from the copies Firehose accepted (DuplicateExplanation): the lake
   * must hold exactly what was delivered, no more, no fewer. Must be 0.
   */
  readonly copyMismatches: number;
  /** Copies from other records with the same content, let through after a stored claim was released or taken over. */
  readonly duplicatesAfterRelease: number;
  /** Copies from other records with the same content that nothing explains: a dedup failure. Must be 0. */
  readonly unexplainedDuplicates: number;
  /** A few of those fingerprints, to start an investigation from. */
  readonly unexplainedSample: readonly string[];
  /** Rows of the `ctr_latest` view beyond one per contact. Must be 0. */
  readonly viewDuplicates: number;
  /** Contacts whose `ctr_latest` row is missing, extra or not the newest version of the input. Must be 0. */
  readonly viewMismatches: number;
  /** Fingerprints `duplicates_audit` reports differently from the lake's own counts. Must be 0. */
  readonly auditMismatches: number;
  readonly quarantinesExpected: number;
  /** Bad records absent from the error prefix, or present with another reason. Must be 0. */
  readonly quarantinesMissing: number;
}

/** Reads the lake through DuckDB (the project's own queries) and the error prefix, and compares. */
export async function reconcile(
  expectation: Expectation,
  runner: LakeQueryRunner,
  errorRecords: readonly ErrorPrefixRecord[],
  explanation: DuplicateExplanation,
): Promise<Reconciliation> {
  await runner.refresh();
  const stored = new Map<string, number>();
  const counted = await runner.query('SELECT fingerprint, count(*) AS copies FROM ctr GROUP BY fingerprint');
  for (const row of counted.rows) stored.set(String(row.fingerprint), Number(row.copies));

  let rows = 0;
  let unexpected = 0;
  for (const [fingerprint, copies] of stored) {
    rows += copies;
    if (!expectation.ctrs.has(fingerprint)) unexpected += 1;
  }
  const fingerprints = new Set([...stored.keys(), ...explanation.storedCopies.keys()]);
  const copyMismatches = [...fingerprints].filter(
    (fingerprint) => (stored.get(fingerprint) ?? 0) !== (explanation.storedCopies.get(fingerprint) ?? 0),
  ).length;
  const crossRecord = [...explanation.crossRecordCopies];
  const afterRelease = crossRecord.filter(([fingerprint]) => explanation.released.has(fingerprint));
  const unexplained = crossRecord.filter(([fingerprint]) => !explanation.released.has(fingerprint));
  const sum = (list: ReadonlyArray<readonly [string, number]>): number => list.reduce((total, [, n]) => total + n, 0);
  const missing = [...expectation.ctrs.keys()].filter((fingerprint) => !stored.has(fingerprint));

  const view = await runner.query('SELECT contact_id, fingerprint FROM ctr_latest');
  const viewed = new Map<string, string>();
  for (const row of view.rows) viewed.set(String(row.contact_id), String(row.fingerprint));
  const latest = expectedLatest(expectation.ctrs);
  let viewMismatches = 0;
  for (const [contactId, fingerprint] of latest) if (viewed.get(contactId) !== fingerprint) viewMismatches += 1;
  for (const contactId of viewed.keys()) if (!latest.has(contactId)) viewMismatches += 1;

  const audit = await runner.runNamed('duplicates_audit');
  const audited = new Map(audit.rows.map((row) => [String(row.fingerprint), Number(row.copies)]));
  const duplicated = [...stored].filter(([, copies]) => copies > 1);
  const auditMismatches =
    duplicated.filter(([fingerprint, copies]) => audited.get(fingerprint) !== copies).length +
    [...audited.keys()].filter((fingerprint) => (stored.get(fingerprint) ?? 0) <= 1).length;

  return {
    distinct: expectation.ctrs.size,
    rows,
    lost: missing.length,
    lostSample: missing.slice(0, 5),
    unexpected,
    rawDuplicates: rows - stored.size,
    copyMismatches,
    duplicatesAfterRelease: sum(afterRelease),
    unexplainedDuplicates: sum(unexplained),
    unexplainedSample: unexplained.slice(0, 5).map(([fingerprint]) => fingerprint),
    viewDuplicates: view.rows.length - viewed.size,
    viewMismatches,
    auditMismatches,
    quarantinesExpected: expectation.quarantines.size,
    quarantinesMissing: missingQuarantines(expectation, errorRecords),
  };
}

/**
 * Each contact's newest version as the view defines it: latest LastUpdateTimestamp, absent ones last, ties broken
 * by the larger fingerprint (samples/queries/ctr_latest.sql).
 */
export function expectedLatest(ctrs: ReadonlyMap<string, ExpectedCtr>): Map<string, string> {
  const best = new Map<string, { fingerprint: string; lastUpdateMs: number | null }>();
  for (const [fingerprint, { contactId, lastUpdateMs }] of ctrs) {
    const current = best.get(contactId);
    if (current === undefined || isNewer({ fingerprint, lastUpdateMs }, current)) {
      best.set(contactId, { fingerprint, lastUpdateMs });
    }
  }
  return new Map([...best].map(([contactId, { fingerprint }]) => [contactId, fingerprint]));
}

function isNewer(
  a: { fingerprint: string; lastUpdateMs: number | null },
  b: { fingerprint: string; lastUpdateMs: number | null },
): boolean {
  if (a.lastUpdateMs !== b.lastUpdateMs) {
    if (a.lastUpdateMs === null) return false;
    if (b.lastUpdateMs === null) return true;
    return a.lastUpdateMs > b.lastUpdateMs;
  }
  return a.fingerprint > b.fingerprint;
}

/** Bad records whose quarantine (with the expected reason) is not under the error prefix. */
function missingQuarantines(expectation: Expectation, errorRecords: readonly ErrorPrefixRecord[]): number {
  const kept = new Map<string, Set<string>>();
  for (const record of errorRecords) {
    if (record.errorCode !== PROCESSING_FAILED_BY_TRANSFORM) continue;
    const envelope = envelopeOf(record);
    if (envelope?.kind !== 'quarantine') continue;
    const reasons = kept.get(envelope.rawBase64) ?? new Set<string>();
    reasons.add(envelope.reason);
    kept.set(envelope.rawBase64, reasons);
  }
  let missing = 0;
  for (const [rawBase64, reason] of expectation.quarantines) if (!kept.get(rawBase64)?.has(reason)) missing += 1;
  return missing;
}
