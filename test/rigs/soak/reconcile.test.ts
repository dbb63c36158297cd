import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Ctr } from '../../../lambda/shared/ctr';
import { partitionOf, toLakeRow } from '../../../lambda/transform/to-lake-row';
import { LakeWriter } from '../../../local-aws/lake/lake-writer';
import { LakeQueryRunner } from '../../../local-aws/query/lake-query-runner';
import type { DuplicateExplanation } from '../../../rigs/soak/delivery-ledger';
import { expectedLatest, reconcile, type Reconciliation } from '../../../rigs/soak/reconcile';
import { judge } from '../../../rigs/soak/run-soak';
import { emptyExpectation, type Expectation } from '../../../rigs/soak/soak-input';
import { aCtr, aLaterVersion, anAcceptedEnvelope } from '../../support/ctr-factory';

/**
 * The soak is only as good as its accounting: against a lake written with known faults (a CTR missing, a copy from
 * another record, a contact's newest version missing, a bad record not quarantined), every one must be caught.
 */
describe('soak reconciliation', () => {
  let lakeDir: string;
  let writer: LakeWriter;
  let runner: LakeQueryRunner;

  beforeEach(async () => {
    lakeDir = await mkdtemp(join(tmpdir(), 'ctr-lake-reconcile-'));
    writer = new LakeWriter({ lakeDir, format: 'json', streamName: 'reconcile' });
  });

  afterEach(async () => {
    runner?.close();
    await writer.close();
    await rm(lakeDir, { recursive: true, force: true });
  });

  async function lakeWith(ctrs: readonly Ctr[]): Promise<void> {
    for (const ctr of ctrs) {
      const { row } = toLakeRow(anAcceptedEnvelope(ctr));
      await writer.writeRows(
        partitionOf(ctr.InitiationTimestamp),
        [Buffer.from(`${JSON.stringify(row)}\n`)],
        new Date(),
      );
    }
    runner = await LakeQueryRunner.open({ lakeDir });
  }

  function expecting(ctrs: readonly Ctr[], badRecords: readonly Buffer[] = []): Expectation {
    const expectation = emptyExpectation();
    for (const ctr of ctrs) {
      const { fingerprint } = anAcceptedEnvelope(ctr);
      const last = ctr.LastUpdateTimestamp;
      expectation.ctrs.set(fingerprint, { contactId: ctr.ContactId, lastUpdateMs: last ? Date.parse(last) : null });
    }
    for (const bytes of badRecords) expectation.quarantines.set(bytes.toString('base64'), 'INVALID_JSON');
    return expectation;
  }

  /** What the ledger would say had Firehose accepted exactly these copies, each from its own record. */
  function storedAsDelivered(
    ctrs: readonly Ctr[],
    crossRecord: ReadonlyMap<string, number> = new Map(),
  ): DuplicateExplanation {
    const storedCopies = new Map<string, number>();
    for (const ctr of ctrs) {
      const { fingerprint } = anAcceptedEnvelope(ctr);
      storedCopies.set(fingerprint, (storedCopies.get(fingerprint) ?? 0) + 1);
    }
    return {
      storedCopies,
      sameRecordRedeliveries: 0,
      deliveredBeforeCrash: 0,
      ambiguousDeliveries: 0,
      crossRecordCopies: crossRecord,
      released: new Set(),
    };
  }

  it('is exact on a complete lake: nothing lost, view and audit exact', async () => {
    // Arrange
    const first = aCtr();
    const later = aLaterVersion(first);
    const other = aCtr();
    await lakeWith([first, later, other]);

    // Act
    const result = await reconcile(
      expecting([first, later, other]),
      runner,
      [],
      storedAsDelivered([first, later, other]),
    );

    // Assert
    expect(result).toMatchObject({ distinct: 3, rows: 3, lost: 0, unexpected: 0, rawDuplicates: 0 });
    expect(judge(result, 0)).toEqual([]);
  });

  it('catches a lost CTR, a dedup failure, a stale view and a bad record left unquarantined', async () => {
    // Arrange
    const first = aCtr();
    const later = aLaterVersion(first);
    const copied = aCtr();
    const lost = aCtr();
    await lakeWith([first, copied, copied]);
    const copiedFingerprint = anAcceptedEnvelope(copied).fingerprint;
    const explanation = storedAsDelivered([first, copied, copied], new Map([[copiedFingerprint, 1]]));

    // Act
    const result: Reconciliation = await reconcile(
      expecting([first, later, copied, lost], [Buffer.from('{"oops"')]),
      runner,
      [],
      explanation,
    );
    const problems = judge(result, 0);

    // Assert
    expect(result).toMatchObject({
      lost: 2, // `later` and `lost`
      rawDuplicates: 1,
      unexplainedDuplicates: 1,
      viewMismatches: 2, // `first` shown instead of `later`; no row at all for `lost`'s contact
      auditMismatches: 0,
      quarantinesMissing: 1,
    });
    expect(problems.join('\n')).toMatch(/2 distinct CTRs are not in the lake/);
    expect(problems.join('\n')).toMatch(/copies of CTRs another record had already stored/);
    expect(problems.join('\n')).toMatch(/1 of 1 bad records are not quarantined/);
  });

  it('allows a copy of the same record (at-least-once) but not a lake that differs from what Firehose accepted', async () => {
    // Arrange
    const ctr = aCtr();
    await lakeWith([ctr, ctr]);

    // Act
    const redelivered = await reconcile(expecting([ctr]), runner, [], storedAsDelivered([ctr, ctr]));
    const doubled = await reconcile(expecting([ctr]), runner, [], storedAsDelivered([ctr]));

    // Assert
    expect(judge(redelivered, 0)).toEqual([]);
    expect(redelivered.rawDuplicates).toBe(1);
    expect(judge(doubled, 0)).toEqual([expect.stringMatching(/lake's copies of 1 fingerprints differ/)]);
  });

  it('picks the newest version per contact as ctr_latest does, versions without LastUpdateTimestamp last', () => {
    // Arrange
    const ctrs = new Map([
      ['a', { contactId: 'c1', lastUpdateMs: 1_000 }],
      ['b', { contactId: 'c1', lastUpdateMs: 2_000 }],
      ['c', { contactId: 'c1', lastUpdateMs: null }],
      ['d', { contactId: 'c2', lastUpdateMs: 5_000 }],
      ['e', { contactId: 'c2', lastUpdateMs: 5_000 }],
    ]);

    // Act
    const latest = expectedLatest(ctrs);

    // Assert: ties go to the larger fingerprint.
    expect(latest).toEqual(
      new Map([
        ['c1', 'b'],
        ['c2', 'e'],
      ]),
    );
  });
});
