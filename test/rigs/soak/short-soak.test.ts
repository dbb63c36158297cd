import { FAULT_KINDS } from '../../../rigs/faults/fault-proxy';
import { figureLine } from '../../../rigs/soak/figure-line';
import { runSoak, type SoakReport } from '../../../rigs/soak/run-soak';
import { loadedMachineLimit } from '../../support/loaded-machine';

/**
 * The bounded soak that runs in `npm test`: 5,000 records (30% copies, 0.5% bad input) through the whole local
 * pipeline with 5% of requests faulted, a tenth of checker invocations crashed and transform faults on, then the
 * exact reconciliation. The long soak (100,000 records, 10% faults) is `npm run soak`; see docs/RELIABILITY.md.
 */
describe('short soak', () => {
  let report: SoakReport;

  beforeAll(async () => {
    report = await runSoak({
      records: 5_000,
      dupRate: 0.3,
      faultRate: 0.05,
      crashRate: 0.1,
      seed: 20_260_302,
      // A shorter client timeout (and slow answers held twice as long) keeps slow faults cheap in a test; 1 s, not
      // less, so that a loaded CI machine answering slowly is not mistaken for a fault storm that gives records up.
      requestTimeoutMs: 1_000,
    });
    // 31 s unloaded.
  }, loadedMachineLimit(35));

  it('loses nothing: every distinct CTR is in the lake and every bad record is quarantined with its reason', () => {
    expect(report.problems).toEqual([]);
    expect(report.reconciliation.lost).toBe(0);
    expect(report.abandoned).toBe(0);
    expect(report.unread).toBe(0);
    expect(report.reconciliation.quarantinesMissing).toBe(0);
    expect(report.reconciliation.quarantinesExpected).toBe(report.input.bad);
  });

  it('keeps the view and the audit exact, and explains every raw-file duplicate by a crash or a timeout', () => {
    expect(report.reconciliation.viewDuplicates).toBe(0);
    expect(report.reconciliation.viewMismatches).toBe(0);
    expect(report.reconciliation.auditMismatches).toBe(0);
    expect(report.reconciliation.unexpected).toBe(0);
    expect(report.reconciliation.unexplainedDuplicates).toBe(0);
    expect(report.reconciliation.rows).toBe(report.reconciliation.distinct + report.reconciliation.rawDuplicates);
  });

  it('really was under stress: copies of every kind, faults of every kind, crashes and retries', () => {
    expect(report.recordsIn).toBe(5_000);
    expect(report.input.redelivery).toBeGreaterThan(0);
    expect(report.input.reordered).toBeGreaterThan(0);
    expect(report.inBatchCopies).toBeGreaterThan(0);
    expect(report.producer.crossShardCopies).toBeGreaterThan(0);
    const injected = FAULT_KINDS.filter((kind) => kind !== 'partial').map((kind) => report.faults[kind]);
    expect(Math.min(...injected)).toBeGreaterThan(0);
    expect(Object.values(report.crashes).reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
    expect(report.batchRetries).toBeGreaterThan(0);
  });

  it('prints one line of figures that says PASS and lost 0', () => {
    const line = figureLine(report);
    expect(line).not.toContain('\n');
    expect(line).toMatch(/^soak PASS \| records in 5000 /);
    expect(line).toContain('| lost 0 (event source: 0 unread; abandoned 0, redriven 0) |');
    expect(line).toContain('duplicates in view 0');
  });
});
