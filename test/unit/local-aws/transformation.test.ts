import {
  readTransformationResult,
  toTransformationEvent,
  TransformResponseError,
} from '../../../local-aws/firehose/transformation';

const record = (recordId: string, text = `data-${recordId}`) => ({
  recordId,
  data: Buffer.from(text),
  arrivalMs: 1_700_000_000_000,
});
const ok = (recordId: string, partitionKeys: Record<string, string> = { year: '2026', month: '03', day: '04' }) => ({
  recordId,
  result: 'Ok',
  data: Buffer.from(`{"row":"${recordId}"}\n`).toString('base64'),
  metadata: { partitionKeys },
});

describe('toTransformationEvent', () => {
  it("builds Firehose's data-transformation event", () => {
    // Act
    const event = toTransformationEvent([record('r1')], {
      deliveryStreamArn: 'arn:aws:firehose:us-east-1:000000000000:deliverystream/d',
      region: 'us-east-1',
    });

    // Assert
    expect(event).toEqual({
      invocationId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      deliveryStreamArn: 'arn:aws:firehose:us-east-1:000000000000:deliverystream/d',
      region: 'us-east-1',
      records: [
        {
          recordId: 'r1',
          approximateArrivalTimestamp: 1_700_000_000_000,
          data: Buffer.from('data-r1').toString('base64'),
        },
      ],
    });
  });
});

describe('readTransformationResult', () => {
  it('maps each record to its outcome, in input order', () => {
    // Arrange
    const records = [record('a'), record('b'), record('c')];

    // Act
    const outcomes = readTransformationResult(records, {
      records: [
        { recordId: 'c', result: 'ProcessingFailed', data: 'eA==' },
        ok('a'),
        { recordId: 'b', result: 'Dropped' },
      ],
    });

    // Assert
    expect(outcomes.map((o) => o.kind)).toEqual(['ok', 'dropped', 'failed']);
    expect(outcomes[0]).toMatchObject({
      partition: { year: '2026', month: '03', day: '04' },
      data: Buffer.from('{"row":"a"}\n'),
    });
    expect(outcomes[2]).toMatchObject({ outputType: 'processing-failed', errorCode: 'Lambda.ProcessingFailed' });
  });

  it('sends an Ok record without usable partition keys to the partitioning error output', () => {
    // Act
    const [outcome] = readTransformationResult([record('a')], { records: [ok('a', { year: '2026', month: '../x' })] });

    // Assert
    expect(outcome).toMatchObject({ kind: 'failed', outputType: 'partitioning-failed' });
  });

  it.each([
    ['no records list', {}, 'Lambda.JsonProcessingException'],
    ['a missing record', { records: [ok('a')] }, 'Lambda.MissingRecordId'],
    ['a record answered twice', { records: [ok('a'), ok('a'), ok('b')] }, 'Lambda.DuplicatedRecordId'],
    ['an unknown record', { records: [ok('a'), ok('b'), ok('z')] }, 'Lambda.MissingRecordId'],
    ['an unknown result', { records: [ok('a'), { recordId: 'b', result: 'Maybe' }] }, 'Lambda.JsonProcessingException'],
  ])('refuses an answer with %s', (_label, response, code) => {
    // Act / Assert
    expect(() => readTransformationResult([record('a'), record('b')], response)).toThrow(
      expect.objectContaining({ errorCode: code }) as TransformResponseError,
    );
  });
});
