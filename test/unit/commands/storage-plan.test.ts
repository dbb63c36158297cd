import { describeStorage, planCtrStorage } from '../../../commands/connect/storage-plan';

const OURS = 'arn:aws:kinesis:us-east-1:123456789012:stream/ctr-lake-stream';
const OTHER = 'arn:aws:kinesis:us-east-1:123456789012:stream/legacy-ctrs';

describe('planCtrStorage', () => {
  it('associates when the instance streams no CTRs', () => {
    expect(planCtrStorage([], OURS)).toEqual({ state: 'none', action: 'associate' });
  });

  it('does nothing when the instance already streams to our stream', () => {
    const current = { associationId: 'a-1', storageType: 'KINESIS_STREAM', target: OURS };

    expect(planCtrStorage([current], OURS)).toEqual({ state: 'ours', action: 'none', current });
  });

  it.each([
    ['another Kinesis stream', { associationId: 'a-2', storageType: 'KINESIS_STREAM', target: OTHER }],
    ['a Firehose stream', { associationId: 'a-3', storageType: 'KINESIS_FIREHOSE', target: 'arn:aws:firehose:x' }],
  ])('moves the association when the instance streams to %s', (_case, current) => {
    expect(planCtrStorage([current], OURS)).toEqual({ state: 'elsewhere', action: 'update', current });
  });

  it('prefers the config that already names our stream when there are several', () => {
    const other = { associationId: 'a-2', storageType: 'KINESIS_STREAM', target: OTHER };
    const ours = { associationId: 'a-1', storageType: 'KINESIS_STREAM', target: OURS };

    expect(planCtrStorage([other, ours], OURS).state).toBe('ours');
  });
});

describe('describeStorage', () => {
  it('names the kind of storage and its target', () => {
    expect(describeStorage({ associationId: 'a', storageType: 'KINESIS_STREAM', target: OTHER })).toBe(
      `Kinesis stream ${OTHER}`,
    );
    expect(describeStorage({ associationId: 'a', storageType: 'KINESIS_FIREHOSE', target: 'arn:f' })).toBe(
      'Firehose stream arn:f',
    );
    expect(describeStorage({ associationId: 'a', storageType: 'SOMETHING_NEW' })).toBe('SOMETHING_NEW');
  });
});
