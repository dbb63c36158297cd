import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { listSources } from '../../../../local-aws/ctr-sources/read-ctrs';
import { summarizeQuarantine } from '../../../../local-aws/quarantine/quarantine-summary';
import { decodeErrorRecord } from '../../../../local-aws/quarantine/quarantined-record';
import { aQuarantinedEnvelope } from '../../../support/ctr-factory';
import { anErrorRecord } from '../../../support/error-records';
import { loadRealCtrs, writeSource } from '../../../support/real-ctrs';

describe('summarizeQuarantine', () => {
  const ctrs = loadRealCtrs();
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'quarantine-summary-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const quarantined = (reason: 'INVALID_FIELD' | 'MISSING_CONTACT_ID', value: object, line: number) =>
    decodeErrorRecord(
      anErrorRecord(
        aQuarantinedEnvelope(reason, Buffer.from(JSON.stringify(value)), { detail: `${reason} detail` }),
      ) as never,
      { object: 'errors/processing-failed/x', position: { byte: 0, line } },
    );

  it('counts by reason, most frequent first, with the first sources of each traced to the samples', async () => {
    // Arrange: four bad records in a JSON Lines sample, among good ones.
    const bad = [1, 2, 3, 4].map((i) => ({ ...ctrs[i]!, InitiationTimestamp: `day ${i}` }));
    const noId = { InitiationTimestamp: ctrs[0]!.InitiationTimestamp, ContactId: 5 };
    const lines = [ctrs[0], bad[0], bad[1], noId, bad[2], bad[3]].map((v) => `${JSON.stringify(v)}\n`);
    const sample = await writeSource(dir, 'sample.jsonl', Buffer.from(lines.join('')));
    const records = [
      ...bad.map((b, i) => quarantined('INVALID_FIELD', b, i + 1)),
      quarantined('MISSING_CONTACT_ID', noId, 9),
    ];

    // Act
    const summary = await summarizeQuarantine(records, await listSources([sample]));

    // Assert
    const at = (line: number) => ({ byte: lines.slice(0, line - 1).join('').length, line });
    expect(summary).toEqual({
      records: 5,
      byReason: [
        {
          reason: 'INVALID_FIELD',
          count: 4,
          detail: 'INVALID_FIELD detail',
          sources: [2, 3, 5].map((line, i) => ({ source: sample, position: at(line), contactId: bad[i]!.ContactId })),
        },
        {
          reason: 'MISSING_CONTACT_ID',
          count: 1,
          detail: 'MISSING_CONTACT_ID detail',
          sources: [{ source: sample, position: at(4) }],
        },
      ],
    });
  });

  it('names the error object when a record is in no sample (sent as an event)', async () => {
    // Act
    const summary = await summarizeQuarantine([quarantined('INVALID_FIELD', { ContactId: 'x' }, 3)]);

    // Assert
    expect(summary.byReason[0]!.sources).toEqual([
      { source: 'errors/processing-failed/x', position: { byte: 0, line: 3 }, contactId: 'x' },
    ]);
  });

  it('is empty when nothing was quarantined', async () => {
    expect(await summarizeQuarantine([])).toEqual({ records: 0, byReason: [] });
  });
});
