import { compactionFigures } from './compaction-pass';
import type { SoakReport } from './run-soak';

/**
 * The soak's one line of figures, as the issue asks: records in, faults injected by kind, crashes, retries,
 * delivered, lost, duplicates in the view, raw-file duplicates against what crashes after delivery explain.
 */
export function figureLine(report: SoakReport): string {
  const { options: o, reconciliation: r, duplicates: d } = report;
  const kinds = (counts: Readonly<Record<string, number>>): string =>
    Object.entries(counts)
      .map(([kind, n]) => `${kind} ${n}`)
      .join(', ');
  const copies = report.input.redelivery + report.input.reordered;
  return [
    `soak ${report.problems.length === 0 ? 'PASS' : 'FAIL'}`,
    `records in ${report.recordsIn} (seed ${o.seed}, dup-rate ${o.dupRate}, fault-rate ${o.faultRate}; ` +
      `${r.distinct} distinct CTRs, ${copies} copies: ${report.input.reordered} key-reordered, ` +
      `${report.inBatchCopies} in-batch, ${report.producer.crossShardCopies} cross-shard; ${report.input.bad} bad)`,
    `faults ${kinds(report.faults)}, transform ${kinds(report.transformFaults)}` +
      (report.valkey
        ? `, valkey ${kinds(report.valkey.faults)}, ${report.valkey.restarts} server restart` +
          (report.valkey.restarts === 1 ? '' : 's')
        : ''),
    `crashes ${kinds(report.crashes)} (${report.coldStarts} cold starts)`,
    `retries batch ${report.batchRetries} of ${report.checkerInvocations} invocations, ` +
      `transform ${report.transformRetries}, producer ${report.producer.retries}`,
    `delivered ${report.delivered}, rows ${r.rows}, quarantined ${r.quarantinesExpected - r.quarantinesMissing}/${r.quarantinesExpected}` +
      `, parked+re-driven ${report.parked}`,
    `lost ${r.lost} (event source: ${report.unread} unread; abandoned ${report.abandoned}, redriven ${report.redriven})`,
    `duplicates in view ${r.viewDuplicates} (ctr_latest ${r.viewMismatches === 0 ? 'exact' : `${r.viewMismatches} wrong`}, ` +
      `audit ${r.auditMismatches === 0 ? 'exact' : `${r.auditMismatches} wrong`})`,
    `raw-file duplicates ${r.rawDuplicates} (same record redelivered ${d.sameRecordRedeliveries} after ` +
      `${d.deliveredBeforeCrash} copies stored before a crash and ${d.ambiguousDeliveries} in timed-out deliveries; ` +
      `other records ${r.duplicatesAfterRelease} after a released or taken-over claim, ${r.unexplainedDuplicates} unexplained)`,
    compactionFigures(report.compaction),
    `${(report.durationMs / 1000).toFixed(1)} s`,
  ].join(' | ');
}
