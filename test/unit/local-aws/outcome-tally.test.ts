import { OutcomeTally } from '../../../local-aws/pipeline/outcome-tally';
import { aCtr, anAcceptedEnvelope, aQuarantinedEnvelope, sequenceNumberAt } from '../../support/ctr-factory';

const bytes = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value));
const streamRecord = (index: number, value: unknown) => ({
  sequenceNumber: sequenceNumberAt(index),
  data: bytes(value),
});

describe('OutcomeTally', () => {
  it('tells in-batch duplicates from stored ones and counts deliveries', () => {
    // Arrange
    const tally = new OutcomeTally('content');
    const a = aCtr();
    const b = aCtr();
    tally.observeInvocation([streamRecord(0, a), streamRecord(1, a), streamRecord(2, b)]);
    tally.observeEnvelope(bytes(anAcceptedEnvelope(a, { sequenceNumber: sequenceNumberAt(0) })));

    // Act
    const counts = tally.counts();

    // Assert: the second `a` followed its twin in the batch; `b` was not delivered, so its key was already claimed.
    expect(counts).toEqual({
      in: 3,
      inBatchDuplicates: 1,
      storedDuplicates: 1,
      delivered: 1,
      quarantinedByChecker: 0,
      failed: 0,
    });
  });

  it('judges a record by its last invocation when a batch is retried', () => {
    // Arrange
    const tally = new OutcomeTally('content');
    const a = aCtr();
    tally.observeInvocation([streamRecord(0, a), streamRecord(1, a)]);
    tally.observeInvocation([streamRecord(1, a)]); // retried alone from the failed record

    // Act
    const counts = tally.counts();

    // Assert
    expect(counts).toMatchObject({ in: 2, inBatchDuplicates: 0, storedDuplicates: 2 });
  });

  it('counts quarantined and abandoned records apart from duplicates', () => {
    // Arrange
    const tally = new OutcomeTally('content');
    tally.observeInvocation([streamRecord(0, 'not json'), streamRecord(1, aCtr())]);
    tally.observeEnvelope(
      bytes(aQuarantinedEnvelope('INVALID_JSON', 'not json', { sequenceNumber: sequenceNumberAt(0) })),
    );
    tally.observeAbandoned([sequenceNumberAt(1)]);

    // Act
    const counts = tally.counts();

    // Assert
    expect(counts).toEqual({
      in: 2,
      inBatchDuplicates: 0,
      storedDuplicates: 0,
      delivered: 0,
      quarantinedByChecker: 1,
      failed: 1,
    });
  });

  it('uses the version key when the checker does', () => {
    // Arrange: two contents of one contact version are duplicates under the version strategy only.
    const tally = new OutcomeTally('version');
    const first = aCtr();
    const reserialised = { ...first, Attributes: { extra: 'field' } };
    tally.observeInvocation([streamRecord(0, first), streamRecord(1, reserialised)]);

    // Act / Assert
    expect(tally.counts().inBatchDuplicates).toBe(1);
  });
});
