import type { FirehoseTransformationResultRecord } from 'aws-lambda';
import type { AcceptedEnvelope } from '../../../lambda/shared/envelope';
import { contentFingerprint, contentFingerprintAtAnyDepth } from '../../../lambda/shared/fingerprint';
import { ROW_COLUMNS, type LakeRow } from '../../../lambda/shared/row-schema';
import { transformRecords } from '../../../lambda/transform/transform-records';
import {
  aChatCtr,
  aCtr,
  anAcceptedEnvelope,
  aQuarantinedEnvelope,
  aVoiceCtr,
  firehoseTransformationEvent,
} from '../../support/ctr-factory';
import { nestedJson } from './nested-json';

function decodeRow(record: FirehoseTransformationResultRecord): { text: string; row: LakeRow } {
  const text = Buffer.from(record.data ?? '', 'base64').toString('utf8');
  return { text, row: JSON.parse(text) as LakeRow };
}

/** An accepted envelope whose CTR holds, in Attributes.deep, a value nested `depth` levels (keys out of order). */
function aDeepEnvelope(depth: number): AcceptedEnvelope {
  const raw = `{"ContactId":"c-deep-${depth}","Attributes":{"deep":${nestedJson(depth, 'mixed')}},"InitiationTimestamp":"2026-03-04T08:47:33Z"}`;
  return { kind: 'ctr', fingerprint: contentFingerprintAtAnyDepth(JSON.parse(raw)), sequenceNumber: '9', raw };
}

describe('transformRecords', () => {
  it("quarantines a CTR partitioned outside the table's projection (start year to the current year), naming it", () => {
    // Arrange
    const early = aVoiceCtr({ contactId: 'c-early', initiationTimestamp: '2019-12-31T23:59:59Z' });
    const first = aVoiceCtr({ contactId: 'c-first', initiationTimestamp: '2020-01-01T00:00:00Z' });
    const future = aVoiceCtr({ contactId: 'c-future', initiationTimestamp: '2027-01-01T00:00:00Z' });
    const event = firehoseTransformationEvent([early, first, future].map((ctr) => anAcceptedEnvelope(ctr)));

    // Act
    const { result, transformed, failures } = transformRecords(event, {
      projectionStartYear: 2020,
      now: new Date('2026-12-31T23:59:59Z'),
    });

    // Assert
    expect(result.records.map((record) => record.result)).toEqual(['ProcessingFailed', 'Ok', 'ProcessingFailed']);
    expect(transformed).toBe(1);
    expect(failures.map((failure) => [failure.contactId, failure.reason])).toEqual([
      ['c-early', 'OUTSIDE_PARTITION_PROJECTION'],
      ['c-future', 'OUTSIDE_PARTITION_PROJECTION'],
    ]);
    expect(failures[0]!.detail).toContain('2020-2026');
  });

  it('answers every record, same ids, same order', () => {
    // Arrange
    const event = firehoseTransformationEvent([
      anAcceptedEnvelope(aVoiceCtr()),
      aQuarantinedEnvelope('INVALID_JSON', 'nope'),
      anAcceptedEnvelope(aChatCtr()),
      'not an envelope',
    ]);

    // Act
    const { result } = transformRecords(event);

    // Assert
    expect(result.records.map((r) => [r.recordId, r.result])).toEqual([
      ['record-0', 'Ok'],
      ['record-1', 'ProcessingFailed'],
      ['record-2', 'Ok'],
      ['record-3', 'ProcessingFailed'],
    ]);
  });

  it('turns an accepted envelope into one newline-terminated row with year/month/day partition keys', () => {
    // Arrange
    const ctr = aVoiceCtr({ initiationTimestamp: '2026-03-04T08:47:33Z' });
    const event = firehoseTransformationEvent([anAcceptedEnvelope(ctr)]);

    // Act
    const { result, transformed, failures } = transformRecords(event);

    // Assert
    const [record] = result.records;
    const { text, row } = decodeRow(record!);
    expect(text.endsWith('}\n')).toBe(true);
    expect(text.indexOf('\n')).toBe(text.length - 1);
    expect(Object.keys(row)).toEqual(ROW_COLUMNS.map((c) => c.name));
    expect(row).toMatchObject({
      contact_id: ctr.ContactId,
      fingerprint: contentFingerprint(ctr),
      raw_ctr: JSON.stringify(ctr),
    });
    expect(record!.metadata).toEqual({ partitionKeys: { year: '2026', month: '03', day: '04' } });
    expect([transformed, failures]).toEqual([1, []]);
  });

  it('fails a quarantine envelope with its original data and the checker’s reason', () => {
    // Arrange
    const envelope = aQuarantinedEnvelope(
      'MISSING_CONTACT_ID',
      { Channel: 'VOICE' },
      { detail: 'no ContactId', sequenceNumber: '77' },
    );
    const event = firehoseTransformationEvent([envelope]);

    // Act
    const { result, failures } = transformRecords(event);

    // Assert
    expect(result.records[0]).toEqual({
      recordId: 'record-0',
      result: 'ProcessingFailed',
      data: event.records[0]!.data,
    });
    expect(failures).toEqual([
      { recordId: 'record-0', reason: 'MISSING_CONTACT_ID', detail: 'no ContactId', sequenceNumber: '77' },
    ]);
  });

  it('fails undecodable data as INVALID_ENVELOPE, keeping its bytes', () => {
    // Arrange
    const event = firehoseTransformationEvent([new Uint8Array([0xc3, 0x28])]);

    // Act
    const { result, failures } = transformRecords(event);

    // Assert
    expect(result.records[0]).toMatchObject({ result: 'ProcessingFailed', data: event.records[0]!.data });
    expect(failures[0]).toMatchObject({ recordId: 'record-0', reason: 'INVALID_ENVELOPE' });
  });

  it('fails an invalid CTR with its reason, ContactId, fingerprint and sequence number', () => {
    // Arrange
    const ctr = aCtr({ InitiationTimestamp: 'soon' });
    const envelope = anAcceptedEnvelope(ctr, { sequenceNumber: '4965001' });
    const event = firehoseTransformationEvent([envelope]);

    // Act
    const { result, failures } = transformRecords(event);

    // Assert
    expect(result.records[0]?.result).toBe('ProcessingFailed');
    expect(failures).toEqual([
      {
        recordId: 'record-0',
        reason: 'INVALID_FIELD',
        detail: expect.stringContaining('InitiationTimestamp'),
        sequenceNumber: '4965001',
        fingerprint: envelope.fingerprint,
        contactId: ctr.ContactId,
      },
    ]);
  });

  it('does not let one bad record fail the batch', () => {
    // Arrange: 50 good rows around bad ones of every kind.
    const items = [
      ...Array.from({ length: 25 }, () => anAcceptedEnvelope(aVoiceCtr())),
      '[',
      aQuarantinedEnvelope('RECORD_TOO_LARGE', 'x'),
      { ...anAcceptedEnvelope(aCtr()), raw: '{' },
      ...Array.from({ length: 25 }, () => anAcceptedEnvelope(aChatCtr())),
    ];

    // Act
    const { result, transformed, failures } = transformRecords(firehoseTransformationEvent(items));

    // Assert
    expect(result.records).toHaveLength(53);
    expect(transformed).toBe(50);
    expect(failures.map((f) => f.reason)).toEqual(['INVALID_ENVELOPE', 'RECORD_TOO_LARGE', 'INVALID_JSON']);
  });

  it('turns a CTR nested 10,000 levels deep in an attribute value into a row, between good records', () => {
    // Arrange
    const depth = 10_000;
    const deep = aDeepEnvelope(depth);
    const event = firehoseTransformationEvent([anAcceptedEnvelope(aVoiceCtr()), deep, anAcceptedEnvelope(aChatCtr())]);

    // Act
    const { result, transformed, failures } = transformRecords(event);

    // Assert
    expect(result.records.map((r) => r.result)).toEqual(['Ok', 'Ok', 'Ok']);
    expect([transformed, failures]).toEqual([3, []]);
    const { row } = decodeRow(result.records[1]!);
    expect(row).toMatchObject({ contact_id: `c-deep-${depth}`, raw_ctr: deep.raw });
    expect(row.attributes.deep).toBe(nestedJson(depth, 'mixed'));
  });

  it('fails alone, as UNEXPECTED_ERROR with the error name, a record whose conversion throws unexpectedly', () => {
    // Arrange: Firehose data is always a base64 string; null makes decoding it throw a TypeError, not a record error.
    const event = firehoseTransformationEvent([
      anAcceptedEnvelope(aVoiceCtr()),
      'placeholder',
      anAcceptedEnvelope(aChatCtr()),
    ]);
    const odd = { ...event.records[1]!, data: null as unknown as string };
    const records = [event.records[0]!, odd, event.records[2]!];

    // Act
    const { result, transformed, failures } = transformRecords({ ...event, records });

    // Assert
    expect(result.records.map((r) => [r.recordId, r.result])).toEqual([
      ['record-0', 'Ok'],
      ['record-1', 'ProcessingFailed'],
      ['record-2', 'Ok'],
    ]);
    expect(transformed).toBe(2);
    expect(failures).toEqual([
      {
        recordId: 'record-1',
        reason: 'UNEXPECTED_ERROR',
        errorName: 'TypeError',
        detail: 'converting the record threw TypeError',
      },
    ]);
  });

  it('writes each row as the protector returns it, and fails alone a record whose protection throws', () => {
    // Arrange
    const [kept, broken] = [aVoiceCtr(), aChatCtr()];
    const event = firehoseTransformationEvent([anAcceptedEnvelope(kept), anAcceptedEnvelope(broken)]);
    const protect = (row: LakeRow): LakeRow => {
      if (row.contact_id === broken.ContactId) throw new RangeError('out of memory, say');
      return { ...row, customer_endpoint: 'protected', pii_key_version: 9 };
    };

    // Act
    const { result, failures } = transformRecords(event, { protect });

    // Assert
    expect(decodeRow(result.records[0]!).row).toMatchObject({ customer_endpoint: 'protected', pii_key_version: 9 });
    expect(result.records[1]).toEqual({
      recordId: 'record-1',
      result: 'ProcessingFailed',
      data: event.records[1]!.data,
    });
    expect(failures).toEqual([
      expect.objectContaining({ recordId: 'record-1', reason: 'UNEXPECTED_ERROR', contactId: broken.ContactId }),
    ]);
  });

  it('answers an empty batch with no records', () => {
    // Act / Assert
    expect(transformRecords(firehoseTransformationEvent([]))).toEqual({
      result: { records: [] },
      transformed: 0,
      failures: [],
    });
  });
});
