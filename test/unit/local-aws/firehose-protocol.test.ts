import {
  FirehoseApiError,
  MAX_BATCH_RECORDS,
  MAX_RECORD_BYTES,
  parsePutRequest,
  putResponse,
} from '../../../local-aws/firehose/firehose-protocol';

const TARGET = 'Firehose_20150804.PutRecordBatch';
const body = (records: unknown[], name = 'd') => JSON.stringify({ DeliveryStreamName: name, Records: records });
const data = (text: string) => ({ Data: Buffer.from(text).toString('base64') });

describe('parsePutRequest', () => {
  it('reads the stream name and the records of a PutRecordBatch', () => {
    // Act
    const request = parsePutRequest(TARGET, body([data('a'), data('b')]));

    // Assert
    expect(request).toEqual({
      operation: 'PutRecordBatch',
      deliveryStreamName: 'd',
      records: [Buffer.from('a'), Buffer.from('b')],
    });
  });

  it('reads a PutRecord', () => {
    // Act
    const request = parsePutRequest(
      'Firehose_20150804.PutRecord',
      JSON.stringify({ DeliveryStreamName: 'd', Record: data('x') }),
    );

    // Assert
    expect(request.records).toEqual([Buffer.from('x')]);
  });

  it.each([
    [
      'an operation the checker does not use',
      'Firehose_20150804.CreateDeliveryStream',
      body([data('a')]),
      'UnknownOperationException',
    ],
    ['a body that is not JSON', TARGET, '{', 'SerializationException'],
    ['no records', TARGET, body([]), 'InvalidArgumentException'],
    [
      'more than 500 records',
      TARGET,
      body(Array.from({ length: MAX_BATCH_RECORDS + 1 }, () => data('a'))),
      'InvalidArgumentException',
    ],
    ['a record over 1000 KiB', TARGET, body([data('x'.repeat(MAX_RECORD_BYTES + 1))]), 'InvalidArgumentException'],
  ])('refuses %s like Firehose', (_label, target, text, type) => {
    // Act / Assert
    expect(() => parsePutRequest(target, text)).toThrow(expect.objectContaining({ type }) as FirehoseApiError);
  });
});

describe('putResponse', () => {
  it('answers a batch with one RecordId per record and no failure', () => {
    // Act / Assert
    expect(putResponse('PutRecordBatch', ['r1', 'r2'])).toEqual({
      FailedPutCount: 0,
      Encrypted: false,
      RequestResponses: [{ RecordId: 'r1' }, { RecordId: 'r2' }],
    });
  });
});
