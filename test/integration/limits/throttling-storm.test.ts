import type { KinesisStreamBatchResponse, KinesisStreamEvent, KinesisStreamRecord } from 'aws-lambda';
import { isAfter } from '../../../lambda/checker/sequence-number';
import { contentFingerprint } from '../../../lambda/shared/fingerprint';
import { aCtr, kinesisEvent } from '../../support/ctr-factory';
import { runLikeEventSourceMapping } from '../../support/checker-harness';
import { startCheckerRig, type CheckerRig } from '../../rigs/soak/checker-rig';
import { loadedMachineLimit } from '../../support/loaded-machine';

// 11 s unloaded.
jest.setTimeout(loadedMachineLimit(12));

/**
 * A DynamoDB throttling storm: half of all claims (PutItem) are answered with ProvisionedThroughputExceededException.
 * The SDK backs off and retries each claim; a claim that still fails fails only its record. The checker delivers
 * everything before the lowest failed record and reports that record, Lambda retries from it, and in the end every
 * distinct CTR is delivered exactly once.
 */
describe('checker limits: a DynamoDB throttling storm', () => {
  const DISTINCT = 120;
  const REDELIVERIES = 30;
  let rig: CheckerRig;

  beforeAll(async () => {
    rig = await startCheckerRig({
      dynamoFaults: { faultRate: 0.5, kinds: ['throttle'], operations: ['PutItem'], seed: 5 },
    });
  });

  afterAll(async () => {
    await rig.stop();
  });

  it('keeps partial progress and, through Lambda retries, delivers every distinct CTR exactly once', async () => {
    // Arrange
    const distinct = Array.from({ length: DISTINCT }, () => aCtr());
    const items = [...distinct, ...distinct.slice(0, REDELIVERIES)];
    const event = kinesisEvent(items);
    const answers: Array<{ event: KinesisStreamEvent; answer: KinesisStreamBatchResponse; delivered: Set<string> }> =
      [];
    const invoke = async (records: readonly KinesisStreamRecord[]): Promise<KinesisStreamBatchResponse> => {
      const batch: KinesisStreamEvent = { Records: [...records] };
      const before = rig.firehose.envelopes.length;
      const answer = await rig.invoke(batch);
      const delivered = new Set(
        rig.firehose.envelopes.slice(before).map((envelope) => (envelope.kind === 'ctr' ? envelope.fingerprint : '')),
      );
      answers.push({ event: batch, answer, delivered });
      return answer;
    };

    // Act: Lambda's mapping, with the whole backlog as one batch (the checker's largest batches are the hardest).
    const { invocations } = await runLikeEventSourceMapping(event.Records, {
      batchSize: event.Records.length,
      sequenceNumberOf: (record) => record.kinesis.sequenceNumber,
      invoke: async (records) => ({ batchItemFailures: [...(await invoke(records)).batchItemFailures] }),
      maxInvocations: 200,
    });

    // Assert: exactly once in the end.
    const fingerprints = rig.firehose.envelopes.map((envelope) =>
      envelope.kind === 'ctr' ? envelope.fingerprint : '',
    );
    expect(fingerprints).toHaveLength(DISTINCT);
    expect(new Set(fingerprints)).toEqual(new Set(distinct.map((ctr) => contentFingerprint(ctr))));
    expect(rig.dynamoProxy.injected.throttle).toBeGreaterThan(0);
    expect(invocations).toBeGreaterThan(1);
    // Assert: each failed invocation delivered exactly its records before the failure point, none after it.
    let keptBeforeFailure = 0;
    for (const { event: batch, answer, delivered } of answers) {
      const failure = answer.batchItemFailures[0]?.itemIdentifier;
      if (failure === undefined) continue;
      const after = batch.Records.filter((r) => isAfter(r.kinesis.sequenceNumber, failure)).map((r) =>
        fingerprintOf(r.kinesis.data),
      );
      expect(after.filter((f) => delivered.has(f) && !earlierCopyBefore(batch, f, failure))).toEqual([]);
      keptBeforeFailure += delivered.size;
    }
    expect(keptBeforeFailure).toBeGreaterThan(0);
  });
});

function fingerprintOf(data: string): string {
  return contentFingerprint(JSON.parse(Buffer.from(data, 'base64').toString('utf8')));
}

/** A record after the failure point may share its fingerprint with an earlier copy that was rightly delivered. */
function earlierCopyBefore(batch: KinesisStreamEvent, fingerprint: string, failure: string): boolean {
  return batch.Records.some(
    (r) => !isAfter(r.kinesis.sequenceNumber, failure) && fingerprintOf(r.kinesis.data) === fingerprint,
  );
}
