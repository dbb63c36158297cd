import { setTimeout as sleep } from 'node:timers/promises';
import type { InterceptedAnswer, InterceptedRequest } from '../../../rigs/faults/fault-proxy';
import { DeliveryLedger } from '../../../rigs/soak/delivery-ledger';
import { aCtr, anAcceptedEnvelope, kinesisEvent } from '../../support/ctr-factory';
import { startCheckerRig, type CheckerRig } from './checker-rig';

/** The ledger that explains raw-file duplicates by what the proxies and the checker's client actually saw. */
describe('delivery ledger', () => {
  const deliveryRequest = (envelopes: object[], overrides: Partial<InterceptedRequest> = {}): InterceptedRequest => ({
    operation: 'PutRecordBatch',
    invocation: 'invocation-1',
    attempt: 'command-1 attempt=1; max=3',
    body: Buffer.from(
      JSON.stringify({
        DeliveryStreamName: 'd',
        Records: envelopes.map((e) => ({ Data: Buffer.from(JSON.stringify(e)).toString('base64') })),
      }),
    ),
    ...overrides,
  });
  const accepted = (count: number, failedIndexes: number[] = []): InterceptedAnswer => ({
    status: 200,
    body: Buffer.from(
      JSON.stringify({
        FailedPutCount: failedIndexes.length,
        RequestResponses: Array.from({ length: count }, (_, i) =>
          failedIndexes.includes(i) ? { ErrorCode: 'ServiceUnavailableException' } : { RecordId: `r${i}` },
        ),
      }),
    ),
  });

  it('counts the copies an invocation stored before it crashed, and none for a live one', () => {
    // Arrange
    const dead = new Set(['invocation-1']);
    const ledger = new DeliveryLedger({ isDead: (invocation) => dead.has(invocation) });
    const [a, b, c] = [anAcceptedEnvelope(aCtr()), anAcceptedEnvelope(aCtr()), anAcceptedEnvelope(aCtr())];

    // Act
    ledger.deliveryObserver.after?.(deliveryRequest([a, b], { attempt: 'x 1' }), accepted(2, [1]));
    ledger.deliveryObserver.after?.(deliveryRequest([c], { invocation: 'invocation-2', attempt: 'y 1' }), accepted(1));
    const explanation = ledger.explain();

    // Assert
    expect(explanation.deliveredBeforeCrash).toBe(1);
    expect(explanation.storedCopies).toEqual(
      new Map([
        [a.fingerprint, 1],
        [c.fingerprint, 1],
      ]),
    );
    expect(explanation.ambiguousDeliveries).toBe(0);
  });

  it('tells a record stored twice (at-least-once) from two records with the same content (a dedup failure)', () => {
    // Arrange
    const ledger = new DeliveryLedger({ isDead: () => false });
    const ctr = aCtr();
    const first = anAcceptedEnvelope(ctr, { sequenceNumber: '100' });
    const other = anAcceptedEnvelope(ctr, { sequenceNumber: '200' });

    // Act
    ledger.deliveryObserver.after?.(deliveryRequest([first], { attempt: 'a 1' }), accepted(1));
    ledger.deliveryObserver.after?.(deliveryRequest([first], { attempt: 'b 1' }), accepted(1));
    ledger.deliveryObserver.after?.(deliveryRequest([other], { attempt: 'c 1' }), accepted(1));
    const explanation = ledger.explain();

    // Assert
    expect(explanation.storedCopies.get(first.fingerprint)).toBe(3);
    expect(explanation.sameRecordRedeliveries).toBe(1);
    expect(explanation.crossRecordCopies).toEqual(new Map([[first.fingerprint, 1]]));
  });

  it('counts the CTRs of an attempt the client saw fail although Firehose stored them', () => {
    // Arrange
    const ledger = new DeliveryLedger({ isDead: () => false });
    const envelope = anAcceptedEnvelope(aCtr());
    const request = deliveryRequest([envelope, { kind: 'quarantine', reason: 'INVALID_JSON' }]);

    // Act
    ledger.deliveryObserver.after?.(request, accepted(2));
    ledger.attemptFailed(request.attempt!);

    // Assert
    expect(ledger.explain().ambiguousDeliveries).toBe(1);
    expect(ledger.explain().storedCopies).toEqual(new Map([[envelope.fingerprint, 1]]));
  });

  it('marks a fingerprint released only when its claim is deleted after the content was sent to Firehose', () => {
    // Arrange
    const ledger = new DeliveryLedger({ isDead: () => false });
    const [stored, notStored] = [anAcceptedEnvelope(aCtr()), anAcceptedEnvelope(aCtr())];
    const release = (key: string, status: number): void => {
      const body = Buffer.from(JSON.stringify({ TableName: 't', Key: { fingerprint: { S: key } } }));
      ledger.dedupStoreObserver.after?.(
        { operation: 'DeleteItem', invocation: 'invocation-1', attempt: undefined, body },
        { status, body: Buffer.from('{}') },
      );
    };

    // Act
    ledger.deliveryObserver.after?.(deliveryRequest([stored]), accepted(1));
    release(stored.fingerprint, 200);
    release(notStored.fingerprint, 200);

    // Assert
    expect([...ledger.explain().released]).toEqual([stored.fingerprint]);
  });

  it('marks a release made while the delivery was still on its way, before Firehose applied it', () => {
    // Arrange: on a loaded machine the checker's call times out, its claim is released, then Firehose stores it.
    const ledger = new DeliveryLedger({ isDead: () => false });
    const [inFlight, neverSent] = [anAcceptedEnvelope(aCtr()), anAcceptedEnvelope(aCtr())];
    const request = deliveryRequest([inFlight]);
    const release = (key: string): void => {
      const body = Buffer.from(JSON.stringify({ TableName: 't', Key: { fingerprint: { S: key } } }));
      ledger.dedupStoreObserver.after?.(
        { operation: 'DeleteItem', invocation: 'invocation-1', attempt: undefined, body },
        { status: 200, body: Buffer.from('{}') },
      );
    };

    // Act
    ledger.deliveryObserver.before?.(request);
    release(inFlight.fingerprint);
    release(neverSent.fingerprint);
    ledger.deliveryObserver.after?.(request, accepted(1));

    // Assert
    expect([...ledger.explain().released]).toEqual([inFlight.fingerprint]);
    expect(ledger.explain().storedCopies).toEqual(new Map([[inFlight.fingerprint, 1]]));
  });

  describe('against the real checker', () => {
    let rig: CheckerRig;

    afterAll(async () => {
      await rig.stop();
    });

    it('sees the delivery Firehose stored while the checker timed out, and the copy the retry stored', async () => {
      // Arrange: Firehose stores the first PutRecordBatch at once but answers it after the client's timeout.
      // 1 s, so that on a loaded machine no other answer is slow enough to time out too.
      rig = await startCheckerRig({
        firehose: { slowAnswers: 1, slowAnswerMs: 2_000 },
        clients: { requestTimeoutMs: 1_000 },
      });
      const ctrs = [aCtr(), aCtr(), aCtr()];

      // Act
      const answer = await rig.invoke(kinesisEvent(ctrs));
      await sleep(2_000); // the proxy learns the first attempt was applied when Firehose's late answer reaches it
      const explanation = rig.ledger.explain();

      // Assert
      expect(answer.batchItemFailures).toEqual([]);
      const stored = rig.firehose.envelopes.map((e) => (e.kind === 'ctr' ? e.fingerprint : ''));
      expect(stored).toHaveLength(2 * ctrs.length);
      expect(explanation.ambiguousDeliveries).toBe(ctrs.length);
      expect(explanation.sameRecordRedeliveries).toBe(ctrs.length);
      expect(explanation.crossRecordCopies.size).toBe(0);
    });
  });
});
