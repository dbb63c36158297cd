import { InvalidRecordError } from '../../../lambda/shared/errors';
import { parseEnvelope } from '../../../lambda/transform/parse-envelope';
import { aCtr, anAcceptedEnvelope, aQuarantinedEnvelope } from '../../support/ctr-factory';
import { thrownBy } from '../../support/thrown';

function base64(data: string | Uint8Array | object): string {
  if (typeof data === 'string') return Buffer.from(data, 'utf8').toString('base64');
  if (data instanceof Uint8Array) return Buffer.from(data).toString('base64');
  return Buffer.from(JSON.stringify(data), 'utf8').toString('base64');
}

function rejection(data: string): InvalidRecordError {
  return thrownBy(() => parseEnvelope(data), InvalidRecordError);
}

describe('parseEnvelope', () => {
  it('decodes an accepted envelope', () => {
    // Arrange
    const envelope = anAcceptedEnvelope(aCtr());

    // Act / Assert
    expect(parseEnvelope(base64(envelope))).toEqual(envelope);
  });

  it('decodes a quarantine envelope', () => {
    // Arrange
    const envelope = aQuarantinedEnvelope('INVALID_JSON', 'not json', {
      detail: 'record of 8 bytes is not valid JSON',
    });

    // Act / Assert
    expect(parseEnvelope(base64(envelope))).toEqual(envelope);
  });

  it('drops fields an envelope does not have', () => {
    // Arrange
    const envelope = anAcceptedEnvelope(aCtr());

    // Act / Assert
    expect(parseEnvelope(base64({ ...envelope, extra: 1 }))).toEqual(envelope);
  });

  it.each([
    ['invalid UTF-8', base64(new Uint8Array([0xff, 0xfe, 0x7b])), /not valid UTF-8/],
    ['not JSON', base64('{"kind":"ctr"'), /not valid JSON/],
    ['a JSON array', base64([1, 2]), /not a JSON object/],
    ['an unknown kind', base64({ kind: 'row', sequenceNumber: '1' }), /neither "ctr" nor "quarantine"/],
    ['no sequence number', base64({ ...anAcceptedEnvelope(aCtr()), sequenceNumber: 1 }), /sequenceNumber/],
    ['a short fingerprint', base64({ ...anAcceptedEnvelope(aCtr()), fingerprint: 'abc' }), /fingerprint/],
    ['no raw CTR', base64({ ...anAcceptedEnvelope(aCtr()), raw: { ContactId: 'c' } }), /raw CTR/],
    ['an unknown reason', base64({ ...aQuarantinedEnvelope('INVALID_JSON', 'x'), reason: 'BAD' }), /known reason/],
    ['a raw CTR instead of an envelope', base64(aCtr()), /neither "ctr" nor "quarantine"|sequenceNumber/],
  ])('refuses %s as INVALID_ENVELOPE', (_label, data, message) => {
    // Act
    const error = rejection(data);

    // Assert
    expect(error.code).toBe('INVALID_ENVELOPE');
    expect(error.message).toMatch(message);
  });
});
