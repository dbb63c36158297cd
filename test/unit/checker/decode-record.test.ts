import { decodeRecord, MAX_QUARANTINE_RAW_BYTES } from '../../../lambda/checker/decode-record';
import { FIREHOSE_MAX_RECORD_BYTES } from '../../../lambda/checker/firehose-batches';
import type { StreamRecord } from '../../../lambda/checker/ports';
import { contentFingerprint, dedupKey } from '../../../lambda/shared/fingerprint';
import { aCtr, sequenceNumberAt } from '../../support/ctr-factory';

function aRecord(data: string | Uint8Array): StreamRecord {
  const sequenceNumber = sequenceNumberAt(7);
  return {
    eventId: `shardId-000000000000:${sequenceNumber}`,
    sequenceNumber,
    data: Buffer.from(data).toString('base64'),
  };
}

describe('decodeRecord', () => {
  it('turns a CTR into its fingerprint, dedup key and an accepted envelope carrying the raw text', () => {
    // Arrange
    const ctr = aCtr();
    const raw = JSON.stringify(ctr, null, 2);

    // Act
    const decoded = decodeRecord(aRecord(raw), 'content');

    // Assert
    expect(decoded).toMatchObject({
      kind: 'ctr',
      contactId: ctr.ContactId,
      fingerprint: contentFingerprint(ctr),
      key: contentFingerprint(ctr),
      envelope: { kind: 'ctr', fingerprint: contentFingerprint(ctr), sequenceNumber: sequenceNumberAt(7), raw },
    });
  });

  it('keys by ContactId and LastUpdateTimestamp under the version strategy', () => {
    // Arrange
    const ctr = aCtr();

    // Act
    const decoded = decodeRecord(aRecord(JSON.stringify(ctr)), 'version');

    // Assert
    expect(decoded.kind === 'ctr' && decoded.key).toBe(dedupKey(ctr, contentFingerprint(ctr), 'version'));
    expect(decoded.kind === 'ctr' && decoded.key.startsWith('v:')).toBe(true);
  });

  it.each([
    ['NOT_UTF8', Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d])],
    ['INVALID_JSON', '{"ContactId": "c-1",'],
    ['NOT_AN_OBJECT', '[1, 2, 3]'],
    ['MISSING_CONTACT_ID', JSON.stringify({ InitiationTimestamp: '2026-03-04T09:00:00Z' })],
    ['INVALID_FIELD', JSON.stringify({ ContactId: 'c-1', InitiationTimestamp: 'yesterday' })],
    ['INVALID_FIELD', '{"ContactId":"c-1","InitiationTimestamp":"2026-03-04T09:00:00Z","Attributes":{"a":"\\ud800"}}'],
    ['INVALID_FIELD', JSON.stringify({ ContactId: 'c-1', InitiationTimestamp: '0000-01-01T00:30:00+01:00' })],
    ['INVALID_FIELD', JSON.stringify({ ContactId: 'c-1', InitiationTimestamp: '9999-12-31T23:30:00-01:00' })],
    ['INVALID_FIELD', '{"ContactId":"c-1","InitiationTimestamp":"2026-03-04T09:00:00Z","Zeta":1e400}'],
    ['INVALID_FIELD', '{"Zeta":-1e400,"ContactId":"c-1","InitiationTimestamp":"2026-03-04T09:00:00Z"}'],
    ['RECORD_TOO_LARGE', Buffer.alloc(1024 * 1024 + 1, 0x20)],
  ] as const)('quarantines with reason %s, keeping the original bytes', (reason, data) => {
    // Arrange
    const record = aRecord(data);

    // Act
    const decoded = decodeRecord(record, 'content');

    // Assert
    expect(decoded.kind).toBe('quarantine');
    expect(decoded.envelope).toMatchObject({ kind: 'quarantine', reason, sequenceNumber: sequenceNumberAt(7) });
    if (decoded.envelope.kind === 'quarantine') {
      expect(decoded.envelope.detail.length).toBeGreaterThan(0);
      const kept = Buffer.from(decoded.envelope.rawBase64, 'base64');
      expect(kept).toEqual(Buffer.from(data).subarray(0, MAX_QUARANTINE_RAW_BYTES));
    }
  });

  it('never puts the record content in a quarantine detail', () => {
    // Arrange: JSON.parse's own message would quote the text around the error
    const decoded = decodeRecord(aRecord('{"CustomerEndpoint": "+1-555-0142" oops}'), 'content');

    // Act
    const detail = decoded.envelope.kind === 'quarantine' ? decoded.envelope.detail : '';

    // Assert
    expect(detail).toMatch(/not valid JSON/);
    expect(detail).not.toContain('555');
  });

  it('quarantines a CTR whose envelope would pass Firehose’s record limit', () => {
    // Arrange: an escaped quote (\") is 2 bytes in the CTR and 4 once the envelope escapes it again
    const ctr = aCtr({ Attributes: { note: '"'.repeat(300_000) } });
    const data = Buffer.from(JSON.stringify(ctr));
    expect(data.length).toBeLessThan(1024 * 1024);

    // Act
    const decoded = decodeRecord(aRecord(data), 'content');

    // Assert
    expect(decoded.envelope).toMatchObject({ kind: 'quarantine', reason: 'RECORD_TOO_LARGE' });
    expect(Buffer.byteLength(JSON.stringify(decoded.envelope))).toBeLessThanOrEqual(FIREHOSE_MAX_RECORD_BYTES);
  });

  it('keeps quarantine envelopes of the largest records within Firehose’s record limit', () => {
    // Arrange
    const data = Buffer.alloc(1024 * 1024, 0x41);

    // Act
    const decoded = decodeRecord(aRecord(data), 'content');

    // Assert
    expect(decoded.envelope).toMatchObject({ kind: 'quarantine', reason: 'INVALID_JSON' });
    expect(decoded.envelope.kind === 'quarantine' && decoded.envelope.detail).toContain(
      `first ${MAX_QUARANTINE_RAW_BYTES} of ${data.length} bytes`,
    );
    expect(Buffer.byteLength(JSON.stringify(decoded.envelope))).toBeLessThanOrEqual(FIREHOSE_MAX_RECORD_BYTES);
  });
});
