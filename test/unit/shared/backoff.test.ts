import { ProvisionedThroughputExceededException } from '@aws-sdk/client-kinesis';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { computeBackoffMs, isTransientAwsError, retryWithBackoff } from '../../../lambda/shared/backoff';

const noSleep = async (): Promise<void> => undefined;

describe('computeBackoffMs', () => {
  it('doubles the ceiling per attempt and caps it at maxMs', () => {
    // Arrange: a random just under 1 returns (almost) the ceiling itself.
    const random = (): number => 0.999999;

    // Act
    const delays = [0, 1, 2, 3, 4, 10, 2000].map((attempt) =>
      computeBackoffMs(attempt, { baseMs: 10, maxMs: 100, random }),
    );

    // Assert
    expect(delays).toEqual([9, 19, 39, 79, 99, 99, 99]);
  });

  it('is full jitter: a random of 0 waits nothing, one of 0.5 waits half the ceiling', () => {
    // Act / Assert
    expect(computeBackoffMs(3, { baseMs: 100, maxMs: 10_000, random: () => 0 })).toBe(0);
    expect(computeBackoffMs(3, { baseMs: 100, maxMs: 10_000, random: () => 0.5 })).toBe(400);
  });

  it('stays below the ceiling even when the random source returns 1', () => {
    // Act
    const delay = computeBackoffMs(2, { baseMs: 10, maxMs: 1000, random: () => 1 });

    // Assert
    expect(delay).toBeLessThan(40);
    expect(delay).toBeGreaterThanOrEqual(39);
  });

  it('refuses a negative or fractional attempt', () => {
    // Act / Assert
    expect(() => computeBackoffMs(-1)).toThrow(RangeError);
    expect(() => computeBackoffMs(1.5)).toThrow(RangeError);
  });
});

describe('retryWithBackoff', () => {
  it('returns after the first call when the result is done, without sleeping', async () => {
    // Arrange
    const sleep = jest.fn(noSleep);

    // Act
    const state = await retryWithBackoff(
      async () => 'ok',
      (v) => v === 'ok',
      { sleep },
    );

    // Assert
    expect(state).toEqual({ value: 'ok', attempts: 1, done: true });
    expect(sleep).not.toHaveBeenCalled();
  });

  it('passes the previous result so that only the unfinished part is retried', async () => {
    // Arrange: each call finishes one more item.
    const seen: Array<number[] | undefined> = [];
    const operation = async (_attempt: number, previous: number[] | undefined): Promise<number[]> => {
      seen.push(previous);
      return (previous ?? [1, 2, 3]).slice(1);
    };

    // Act
    const state = await retryWithBackoff(operation, (left) => left.length === 0, { sleep: noSleep });

    // Assert
    expect(state).toEqual({ value: [], attempts: 3, done: true });
    expect(seen).toEqual([undefined, [2, 3], [3]]);
  });

  it('sleeps the jittered delay between attempts and reports each retry', async () => {
    // Arrange
    const sleep = jest.fn(noSleep);
    const onRetry = jest.fn();

    // Act
    const state = await retryWithBackoff(
      async () => false,
      (v) => v,
      {
        maxAttempts: 3,
        baseMs: 100,
        random: () => 0.5,
        sleep,
        onRetry,
      },
    );

    // Assert
    expect(state).toEqual({ value: false, attempts: 3, done: false });
    expect(sleep.mock.calls).toEqual([[50], [100]]);
    expect(onRetry.mock.calls).toEqual([[{ attempt: 0, delayMs: 50 }], [{ attempt: 1, delayMs: 100 }]]);
  });

  it('retries a retryable thrown error and succeeds', async () => {
    // Arrange
    const throttled = new ProvisionedThroughputExceededException({ message: 'slow down', $metadata: {} });
    const operation = jest
      .fn<Promise<string>, [number, string | undefined]>()
      .mockRejectedValueOnce(throttled)
      .mockResolvedValueOnce('ok');
    const onRetry = jest.fn();

    // Act
    const state = await retryWithBackoff(operation, () => true, {
      sleep: noSleep,
      isRetryableError: isTransientAwsError,
      onRetry,
    });

    // Assert
    expect(state).toEqual({ value: 'ok', attempts: 2, done: true });
    expect(onRetry).toHaveBeenCalledWith(expect.objectContaining({ attempt: 0, error: throttled }));
  });

  it('rethrows a non-retryable error at once', async () => {
    // Arrange
    const conditional = new ConditionalCheckFailedException({ message: 'exists', $metadata: {} });
    const operation = jest.fn(async (): Promise<string> => {
      throw conditional;
    });

    // Act / Assert
    await expect(
      retryWithBackoff(operation, () => true, { sleep: noSleep, isRetryableError: isTransientAwsError }),
    ).rejects.toBe(conditional);
    expect(operation).toHaveBeenCalledTimes(1);
  });

  it('rethrows a retryable error when the attempts run out', async () => {
    // Arrange
    const throttled = new ProvisionedThroughputExceededException({ message: 'slow down', $metadata: {} });
    const operation = jest.fn(async (): Promise<string> => {
      throw throttled;
    });

    // Act / Assert
    await expect(retryWithBackoff(operation, () => true, { sleep: noSleep, maxAttempts: 4 })).rejects.toBe(throttled);
    expect(operation).toHaveBeenCalledTimes(4);
  });

  it('refuses a maxAttempts below 1', async () => {
    // Act / Assert
    await expect(
      retryWithBackoff(
        async () => 1,
        () => true,
        { maxAttempts: 0 },
      ),
    ).rejects.toThrow(RangeError);
  });
});

describe('isTransientAwsError', () => {
  it.each([
    ['a Kinesis throttle', new ProvisionedThroughputExceededException({ message: 'x', $metadata: {} }), true],
    ['a 503', Object.assign(new Error('x'), { name: 'Unknown', $metadata: { httpStatusCode: 503 } }), true],
    ['a server fault', Object.assign(new Error('x'), { name: 'Weird', $fault: 'server' }), true],
    ['a reset socket', Object.assign(new Error('x'), { code: 'ECONNRESET' }), true],
    ['a failed condition', new ConditionalCheckFailedException({ message: 'x', $metadata: {} }), false],
    [
      'a 400',
      Object.assign(new Error('x'), { name: 'ValidationException', $metadata: { httpStatusCode: 400 } }),
      false,
    ],
    ['a string', 'boom', false],
    ['null', null, false],
  ])('classifies %s', (_label, error, expected) => {
    // Act / Assert
    expect(isTransientAwsError(error)).toBe(expected);
  });
});
