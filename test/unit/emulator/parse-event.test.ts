import { parseEmulatorEvent } from '../../../lambda/emulator/parse-event';
import { MAX_KINESIS_RECORD_BYTES } from '../../../lambda/shared/ctr';
import { InvalidEventError } from '../../../lambda/shared/errors';
import { aChatCtr, aCtr, aVoiceCtr } from '../../support/ctr-factory';
import { thrownBy } from '../../support/thrown';

function refusal(event: unknown): InvalidEventError {
  return thrownBy(() => parseEmulatorEvent(event), InvalidEventError);
}

describe('parseEmulatorEvent', () => {
  it('accepts one CTR object', () => {
    // Arrange
    const ctr = aVoiceCtr();

    // Act
    const records = parseEmulatorEvent(ctr);

    // Assert
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ index: 0, contactId: ctr.ContactId });
    expect(Buffer.from(records[0]!.data).toString('utf8')).toBe(JSON.stringify(ctr));
  });

  it('accepts an array of CTRs, keeping their order', () => {
    // Arrange
    const ctrs = [aVoiceCtr(), aChatCtr(), aVoiceCtr()];

    // Act
    const records = parseEmulatorEvent(ctrs);

    // Assert
    expect(records.map((r) => r.contactId)).toEqual(ctrs.map((c) => c.ContactId));
    expect(records.map((r) => r.index)).toEqual([0, 1, 2]);
  });

  it('accepts the console wrapper { records: [...] }', () => {
    // Arrange
    const ctrs = [aVoiceCtr(), aChatCtr()];

    // Act
    const records = parseEmulatorEvent({ records: ctrs });

    // Assert
    expect(records.map((r) => r.contactId)).toEqual(ctrs.map((c) => c.ContactId));
  });

  it('serializes compactly with the keys in the order given', () => {
    // Arrange: keys deliberately unsorted.
    const ctr = { ContactId: 'c-1', Channel: 'VOICE', Attributes: { b: '2', a: '1' } };

    // Act
    const [record] = parseEmulatorEvent(ctr);

    // Assert
    expect(Buffer.from(record!.data).toString('utf8')).toBe(
      '{"ContactId":"c-1","Channel":"VOICE","Attributes":{"b":"2","a":"1"}}',
    );
  });

  it('sends CTR-like objects that are not valid CTRs, so the checker can quarantine them', () => {
    // Arrange: no InitiationTimestamp, a numeric Channel.
    const event = [{ ContactId: 'c-odd', Channel: 7 }];

    // Act
    const records = parseEmulatorEvent(event);

    // Assert
    expect(records).toHaveLength(1);
  });

  it.each([
    ['null', null, /received null/],
    ['a string', 'hello', /received string "hello"/],
    ['a number', 42, /received number 42/],
  ])('refuses an event that is %s', (_label, event, message) => {
    // Act
    const error = refusal(event);

    // Assert
    expect(error.message).toMatch(message);
    expect(error.index).toBeUndefined();
  });

  it.each([
    ['an empty array', []],
    ['an empty records list', { records: [] }],
  ])('refuses %s', (_label, event) => {
    // Act / Assert
    expect(refusal(event).message).toMatch(/no records/);
  });

  it('refuses a records field that is not an array', () => {
    // Act / Assert
    expect(refusal({ records: { ContactId: 'c-1' } }).message).toMatch(/"records" to be an array, received an object/);
  });

  it.each([
    ['not an object', 'oops', /record 1: expected a CTR object, received string/],
    ['an array', [aCtr()], /record 1: expected a CTR object, received an array/],
    [
      'without ContactId',
      aCtr({ ContactId: undefined }),
      /record 1: expected a string ContactId, received no ContactId/,
    ],
    [
      'with a numeric ContactId',
      aCtr({ ContactId: 12 }),
      /record 1: expected a string ContactId, received ContactId number 12/,
    ],
    ['with an empty ContactId', aCtr({ ContactId: '' }), /record 1: ContactId is the partition key and must be 1-256/],
    [
      'with a 257-character ContactId',
      aCtr({ ContactId: 'x'.repeat(257) }),
      /record 1: .*1-256 characters, received 257/,
    ],
  ])('refuses the whole event when one record is %s, naming its index', (_label, bad, message) => {
    // Arrange
    const event = [aCtr(), bad, aCtr()];

    // Act
    const error = refusal(event);

    // Assert
    expect(error.index).toBe(1);
    expect(error.message).toMatch(message);
  });

  it('refuses a record over the 1 MiB Kinesis limit, partition key included', () => {
    // Arrange: make the data plus partition key exactly one byte too big.
    const base = aCtr({ Padding: '' });
    const room = MAX_KINESIS_RECORD_BYTES - Buffer.byteLength(JSON.stringify(base)) - Buffer.byteLength(base.ContactId);
    const fits = { ...base, Padding: 'p'.repeat(room) };
    const tooBig = { ...base, Padding: 'p'.repeat(room + 1) };

    // Act
    const accepted = parseEmulatorEvent([fits]);
    const error = refusal([aCtr(), aCtr(), tooBig]);

    // Assert
    expect(accepted).toHaveLength(1);
    expect(error.index).toBe(2);
    expect(error.message).toMatch(
      `record 2 (ContactId ${base.ContactId}): ${MAX_KINESIS_RECORD_BYTES + 1} bytes is over`,
    );
  });

  it('refuses an object that cannot be serialized, keeping the cause', () => {
    // Arrange
    const cyclic: Record<string, unknown> = { ContactId: 'c-cycle' };
    cyclic.self = cyclic;

    // Act
    const error = refusal(cyclic);

    // Assert
    expect(error.message).toMatch(/cannot be serialized/);
    expect(error.cause).toBeInstanceOf(TypeError);
  });
});
