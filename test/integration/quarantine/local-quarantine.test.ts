import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { quarantineMain } from '../../../commands/quarantine';
import type { RedriveReport } from '../../../commands/quarantine/redrive';
import type { ListedRecord } from '../../../commands/quarantine/render-quarantine';
import { runLocalPipeline } from '../../../local-aws/pipeline/run-pipeline';
import { LakeQueryRunner } from '../../../local-aws/query/lake-query-runner';
import { anAcceptedEnvelope, aQuarantinedEnvelope } from '../../support/ctr-factory';
import { anErrorRecord, errorObject } from '../../support/error-records';
import { loadRealCtrs, writeSource } from '../../support/real-ctrs';
import { captureIo } from '../../unit/commands/deployment-fixtures';

const ctrs = loadRealCtrs();

async function lakeRows(lake: string): Promise<string[]> {
  const runner = await LakeQueryRunner.open({ lakeDir: lake });
  try {
    return (await runner.query('SELECT contact_id FROM ctr ORDER BY contact_id')).rows.map((r) => String(r.contact_id));
  } finally {
    runner.close();
  }
}

describe('npm run quarantine on a local lake', () => {
  let lake: string;
  beforeAll(async () => {
    lake = await mkdtemp(join(tmpdir(), 'quarantine-lake-'));
  });
  afterAll(async () => {
    await rm(lake, { recursive: true, force: true });
  });

  const quarantine = async (...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> => {
    const { out, io } = captureIo();
    const code = await quarantineMain([...argv, '--lake', lake], io);
    return { code, ...out };
  };

  it('lists and decodes the records the pipeline quarantined, and leaves them when redriven', async () => {
    // Arrange: one good CTR and one the checker refuses, through the whole local pipeline.
    const refused = { ...ctrs[0]!, ContactId: 'refused-1', InitiationTimestamp: 'yesterday' };
    await runLocalPipeline({ lakeDir: lake, events: [[ctrs[1], refused]], queries: false });

    // Act
    const listing = await quarantine('--json');
    const shown = await quarantine('--show', '1');
    const redriven = await quarantine('--redrive', '--json');

    // Assert
    const { records } = JSON.parse(listing.stdout) as { records: ListedRecord[] };
    expect(records).toEqual([
      expect.objectContaining({
        number: 1,
        reason: 'INVALID_FIELD',
        contactId: 'refused-1',
        outputType: 'processing-failed',
      }),
    ]);
    expect(shown.stdout).toContain('"InitiationTimestamp": "yesterday"');
    const report = JSON.parse(redriven.stdout) as RedriveReport;
    expect(report).toMatchObject({
      toStream: [],
      toFirehose: [],
      left: [expect.objectContaining({ contactId: 'refused-1' })],
    });
    expect(await lakeRows(lake)).toEqual([ctrs[1]!.ContactId]);
  });

  it('sends back what was transient or fixed since, each by its way, once: a second redrive finds them in the lake', async () => {
    // Arrange: what an older checker quarantined though it is valid, and a CTR whose transform invocation failed.
    const fixedSince = anErrorRecord(aQuarantinedEnvelope('INVALID_FIELD', Buffer.from(JSON.stringify(ctrs[2]))));
    const transient = anErrorRecord(anAcceptedEnvelope(ctrs[3]), { errorCode: 'Lambda.FunctionError' });
    await writeSource(
      join(lake, 'errors', 'processing-failed', '2026', '03', '05', '14'),
      'ctr-lake-local-lake-1-2026-03-05-14-03-11-old',
      errorObject([fixedSince, transient]),
    );

    // Act
    const first = await quarantine('--redrive', '--json');
    const rowsAfter = await lakeRows(lake);
    const second = await quarantine('--redrive', '--json');

    // Assert
    expect(first.code).toBe(0);
    const report = JSON.parse(first.stdout) as RedriveReport;
    expect(report.toStream.map((e) => e.contactId)).toEqual([ctrs[2]!.ContactId]);
    expect(report.toFirehose.map((e) => e.contactId)).toEqual([ctrs[3]!.ContactId]);
    expect(report.left.map((e) => e.contactId)).toEqual(['refused-1']);
    expect(rowsAfter).toEqual([ctrs[1]!.ContactId, ctrs[2]!.ContactId, ctrs[3]!.ContactId].sort());
    const again = JSON.parse(second.stdout) as RedriveReport;
    expect(again.alreadyInLake.map((e) => e.contactId).sort()).toEqual([ctrs[2]!.ContactId, ctrs[3]!.ContactId].sort());
    expect(again.toStream.length + again.toFirehose.length).toBe(0);
    expect(await lakeRows(lake)).toEqual(rowsAfter);
  });
});
