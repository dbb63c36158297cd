import { MAX_QUARANTINE_RAW_BYTES } from '../../../../lambda/checker/decode-record';
import { decodeErrorRecord, judgeRedrive } from '../../../../local-aws/quarantine/quarantined-record';
import { anAcceptedEnvelope, aQuarantinedEnvelope } from '../../../support/ctr-factory';
import { anErrorRecord } from '../../../support/error-records';
import { loadRealCtrs } from '../../../support/real-ctrs';

const ctr = loadRealCtrs()[0]!;
const where = {
  object: 's3://lake/errors/processing-failed/2026/03/05/14/ctr-lake-1-2026-03-05-14-03-11-x.gz',
  position: { byte: 0, line: 1 },
};
const decode = (line: object) => decodeErrorRecord(line as Record<string, unknown>, where);

describe('decodeErrorRecord', () => {
  it('undoes both base64 layers of a record the checker quarantined: reason, detail, original bytes, contact', () => {
    // Arrange
    const original = Buffer.from(JSON.stringify({ ...ctr, InitiationTimestamp: 'yesterday' }));
    const envelope = aQuarantinedEnvelope('INVALID_FIELD', original, { detail: 'expected InitiationTimestamp …' });

    // Act
    const record = decode(anErrorRecord(envelope));

    // Assert
    expect(record).toMatchObject({
      outputType: 'processing-failed',
      time: '2026-03-05T14:03:11.000Z',
      errorCode: 'Lambda.ProcessingFailed',
      reason: 'INVALID_FIELD',
      detail: 'expected InitiationTimestamp …',
      contactId: ctr.ContactId,
      complete: true,
      envelope: 'quarantine',
    });
    expect(record.original).toEqual(original);
  });

  it('gives an accepted CTR the transform refused the transform reason of today', () => {
    // Arrange: an envelope whose fingerprint does not match its CTR, which the transform refuses.
    const envelope = { ...anAcceptedEnvelope(ctr), fingerprint: 'f'.repeat(64) };

    // Act
    const record = decode(anErrorRecord(envelope));

    // Assert
    expect(record).toMatchObject({
      reason: 'INVALID_ENVELOPE',
      detail: 'envelope fingerprint does not match its raw CTR',
      contactId: ctr.ContactId,
    });
    expect(record.original.toString()).toBe(JSON.stringify(ctr));
  });

  it("keeps Firehose's own code when the transform did not judge the record", () => {
    // Act
    const record = decode(
      anErrorRecord(anAcceptedEnvelope(ctr), { errorCode: 'Lambda.FunctionError', errorMessage: 'Task timed out' }),
    );

    // Assert
    expect(record).toMatchObject({ reason: 'Lambda.FunctionError', detail: 'Task timed out' });
  });

  it('reads the capitalised fields of a format-conversion error record', () => {
    // Act
    const { errorCode, errorMessage, rawData } = anErrorRecord(anAcceptedEnvelope(ctr));
    const record = decode({
      ErrorCode: 'DataFormatConversion.MalformedData',
      ErrorMessage: 'The given value is not a valid INT',
      rawData,
      arrivalTimestamp: 0,
      ignored: [errorCode, errorMessage],
    });

    // Assert
    expect(record).toMatchObject({ reason: 'DataFormatConversion.MalformedData', time: '1970-01-01T00:00:00.000Z' });
  });

  it('says INVALID_ENVELOPE for data the checker did not write, keeping the data', () => {
    // Act
    const record = decode(anErrorRecord(Buffer.from('not an envelope')));

    // Assert
    expect(record).toMatchObject({ reason: 'INVALID_ENVELOPE', envelope: undefined, contactId: undefined });
    expect(record.original.toString()).toBe('not an envelope');
  });

  it('knows when the checker kept only the start of a large record', () => {
    // Arrange
    const envelope = aQuarantinedEnvelope('RECORD_TOO_LARGE', Buffer.alloc(10, 'x'), {
      detail: `record is 1100000 bytes; rawBase64 holds its first ${MAX_QUARANTINE_RAW_BYTES} of 1100000 bytes`,
    });

    // Act
    const record = decode(anErrorRecord(envelope));

    // Assert
    expect(record.complete).toBe(false);
    expect(judgeRedrive(record, 'content')).toEqual({
      action: 'leave',
      why: 'only the first bytes of the record were kept: it cannot be sent whole',
    });
  });
});

describe('judgeRedrive', () => {
  it('sends back to the stream a record the checker quarantined and accepts today', () => {
    // Arrange: quarantined by an older checker, say; the CTR is valid.
    const record = decode(anErrorRecord(aQuarantinedEnvelope('INVALID_FIELD', Buffer.from(JSON.stringify(ctr)))));

    // Act / Assert
    expect(judgeRedrive(record, 'content')).toEqual({
      action: 'stream',
      why: 'fixed since: the checker and the transform accept it now',
    });
  });

  it('leaves a record the checker still quarantines, saying why', () => {
    // Arrange
    const original = Buffer.from(JSON.stringify({ ...ctr, ContactId: 7 }));
    const record = decode(anErrorRecord(aQuarantinedEnvelope('MISSING_CONTACT_ID', original)));

    // Act / Assert
    expect(judgeRedrive(record, 'content')).toEqual({
      action: 'leave',
      why: 'the checker still quarantines it: MISSING_CONTACT_ID (expected ContactId to be a string of 1-256 characters, received ContactId number 7)',
    });
  });

  it.each(['Lambda.FunctionError', 'Lambda.JsonProcessingException', 'Lambda.MissingRecordId'])(
    'puts an accepted CTR back on the delivery stream when the transform failed with %s (transient)',
    (errorCode) => {
      // Arrange
      const record = decode(anErrorRecord(anAcceptedEnvelope(ctr), { errorCode }));

      // Act / Assert
      expect(judgeRedrive(record, 'content')).toEqual({ action: 'firehose', why: `transient: ${errorCode}` });
    },
  );

  it('puts an accepted CTR back on the delivery stream when the transform of today converts it', () => {
    // Arrange
    const record = decode(anErrorRecord(anAcceptedEnvelope(ctr)));

    // Act / Assert
    expect(judgeRedrive(record, 'content')).toEqual({
      action: 'firehose',
      why: 'fixed since: the transform converts it now',
    });
  });

  it('leaves what the transform still refuses, and what the lake format refused', () => {
    // Arrange
    const refused = decode(anErrorRecord({ ...anAcceptedEnvelope(ctr), fingerprint: 'f'.repeat(64) }));
    const conversion = decode(
      anErrorRecord(anAcceptedEnvelope(ctr), {
        errorCode: 'DataFormatConversion.MalformedData',
        errorMessage: 'The given value is not a valid INT',
      }),
    );

    // Act / Assert
    expect(judgeRedrive(refused, 'content')).toMatchObject({
      action: 'leave',
      why: expect.stringMatching(/^the transform still refuses it: INVALID_ENVELOPE/),
    });
    expect(judgeRedrive(conversion, 'content')).toEqual({
      action: 'leave',
      why: "the lake's format refused its row: The given value is not a valid INT",
    });
  });
});
