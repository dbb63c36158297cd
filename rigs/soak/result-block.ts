import { renderTable } from '../../commands/shared/text-table';
import type { SoakReport } from './run-soak';

/**
 * The soak's result as a short table a person reads: the verdict, then one row per figure. The one-line form
 * (figure-line.ts) carries the same figures for scripts and is printed after it.
 */
export function resultBlock(report: SoakReport): string {
  const { options: o, reconciliation: r, duplicates: d } = report;
  const kinds = (counts: Readonly<Record<string, number>>): string =>
    Object.entries(counts)
      .map(([kind, n]) => `${kind} ${n}`)
      .join(', ') || 'none';
  const copies = report.input.redelivery + report.input.reordered;
  const verdict =
    report.problems.length === 0
      ? 'PASS: nothing lost, every count exact'
      : `FAIL: ${report.problems.length} problem${report.problems.length === 1 ? '' : 's'}`;
  const rows = [
    ['result', verdict],
    ['run', `${report.recordsIn} records in ${(report.durationMs / 1000).toFixed(1)} s (seed ${o.seed})`],
    [
      'input',
      `${r.distinct} distinct CTRs, ${copies} copies (dup-rate ${o.dupRate}: ${report.input.reordered} key-reordered, ` +
        `${report.inBatchCopies} in-batch, ${report.producer.crossShardCopies} cross-shard), ${report.input.bad} bad`,
    ],
    ['faults', `${kinds(report.faults)} (fault-rate ${o.faultRate}); transform ${kinds(report.transformFaults)}`],
    ['crashes', `${kinds(report.crashes)} (${report.coldStarts} cold starts)`],
    [
      'retries',
      `${report.batchRetries} batches of ${report.checkerInvocations} invocations, ${report.transformRetries} ` +
        `transform, ${report.producer.retries} producer`,
    ],
    [
      'lake',
      `${r.rows} rows from ${report.delivered} deliveries; quarantined ` +
        `${r.quarantinesExpected - r.quarantinesMissing}/${r.quarantinesExpected}; ${report.parked} parked and re-driven`,
    ],
    ['lost', `${r.lost} (${report.unread} unread, ${report.abandoned} abandoned, ${report.redriven} redriven)`],
    [
      'ctr_latest',
      `${r.viewMismatches === 0 ? 'exact' : `${r.viewMismatches} contacts wrong`}, ${r.viewDuplicates} extra rows; ` +
        `duplicates_audit ${r.auditMismatches === 0 ? 'exact' : `${r.auditMismatches} wrong`}`,
    ],
    [
      'raw duplicates',
      `${r.rawDuplicates}: ${d.sameRecordRedeliveries} redeliveries after a crash or timeout, ` +
        `${r.duplicatesAfterRelease} after a released claim, ${r.unexplainedDuplicates} unexplained`,
    ],
  ].map(([figure, value]) => ({ figure: figure!, value: value! }));
  const problems = report.problems.map((problem) => `  problem: ${problem}`);
  return [renderTable(['figure', 'value'], rows, { maxCellWidth: 200 }), ...problems].join('\n');
}
