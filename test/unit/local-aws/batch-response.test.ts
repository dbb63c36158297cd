import { judgeBatchResponse, judgeFunctionError } from '../../../local-aws/event-source/batch-response';

const BATCH = ['100', '200', '300', '400'];

describe('judgeBatchResponse', () => {
  it.each([
    ['nothing', undefined],
    ['null', null],
    ['an empty string', ''],
    ['an empty list', { batchItemFailures: [] }],
    ['a null list', { batchItemFailures: null }],
    ['an object without the list', {}],
  ])('takes %s as complete success', (_label, response) => {
    // Act / Assert
    expect(judgeBatchResponse(BATCH, response)).toEqual({ kind: 'success' });
  });

  it('retries from the lowest failed sequence number', () => {
    // Act
    const verdict = judgeBatchResponse(BATCH, {
      batchItemFailures: [{ itemIdentifier: '400' }, { itemIdentifier: '200' }],
    });

    // Assert
    expect(verdict).toMatchObject({ kind: 'retry', fromIndex: 1 });
  });

  it.each([
    ['an empty itemIdentifier', { batchItemFailures: [{ itemIdentifier: '' }] }],
    ['a null itemIdentifier', { batchItemFailures: [{ itemIdentifier: null }] }],
    ['a misnamed key', { batchItemFailures: [{ itemId: '200' }] }],
    ['a sequence number not in the batch', { batchItemFailures: [{ itemIdentifier: '999' }] }],
    ['a list that is not a list', { batchItemFailures: 'all' }],
  ])('retries the whole batch for %s', (_label, response) => {
    // Act / Assert
    expect(judgeBatchResponse(BATCH, response)).toMatchObject({ kind: 'retry', fromIndex: 0 });
  });
});

describe('judgeFunctionError', () => {
  it('retries the whole batch and says why', () => {
    // Act / Assert
    expect(judgeFunctionError(new Error('boom'))).toEqual({
      kind: 'retry',
      fromIndex: 0,
      reason: 'function error: boom',
    });
  });
});
