/**
 * Exponential backoff with full jitter (AWS Architecture Blog, "Exponential Backoff and Jitter"): the delay before
 * retry `attempt` is uniform in [0, min(maxMs, baseMs * 2^attempt)). Full jitter spreads the retries of many
 * concurrent writers (one per shard) so that they do not hit a throttled stream or table in lock-step.
 *
 * Time and randomness are injectable so that tests run instantly and deterministically.
 */
export interface BackoffOptions {
  /** Delay cap before jitter for the first retry. @default 50 */
  readonly baseMs?: number;
  /** Upper bound of any single delay. @default 5000 */
  readonly maxMs?: number;
  /** A source of uniform numbers in [0, 1). @default Math.random */
  readonly random?: () => number;
}

export const DEFAULT_BASE_MS = 50;
export const DEFAULT_MAX_MS = 5_000;
export const DEFAULT_MAX_ATTEMPTS = 8;

/**
 * The full-jitter delay before retry number `attempt` (0 for the first retry).
 * Always a whole number of milliseconds in [0, min(maxMs, baseMs * 2^attempt)).
 */
export function computeBackoffMs(attempt: number, options: BackoffOptions = {}): number {
  const baseMs = options.baseMs ?? DEFAULT_BASE_MS;
  const maxMs = options.maxMs ?? DEFAULT_MAX_MS;
  const random = options.random ?? Math.random;
  if (!Number.isInteger(attempt) || attempt < 0) {
    throw new RangeError(`attempt must be a non-negative integer, received ${attempt}`);
  }
  // 2 ** attempt overflows to Infinity for huge attempts; Math.min keeps the ceiling finite.
  const ceiling = Math.min(maxMs, baseMs * 2 ** attempt);
  const r = Math.min(Math.max(random(), 0), 1 - Number.EPSILON);
  return Math.floor(r * ceiling);
}

export type Sleep = (ms: number) => Promise<void>;

export const realSleep: Sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** A sleep that ends early, without error, when `signal` aborts: a wait that must not outlive a deadline. */
export function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (ms <= 0 || signal?.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}

/** Why a retry loop stopped: a caller can tell "still failing" from "gave up after N attempts". */
export interface RetryState<T> {
  /** The last value returned by the operation. */
  readonly value: T;
  /** Number of calls made, at least 1. */
  readonly attempts: number;
  /** True when `isDone(value)` held on the last call; false when attempts ran out. */
  readonly done: boolean;
}

export interface RetryOptions extends BackoffOptions {
  /** Total calls including the first. @default 8 */
  readonly maxAttempts?: number;
  /** @default real setTimeout-based sleep */
  readonly sleep?: Sleep;
  /**
   * Which thrown errors are worth another attempt (throttling, 5xx, network). Any other error is rethrown at once.
   * @default every error is retryable
   */
  readonly isRetryableError?: (error: unknown) => boolean;
  /** Called before each sleep, e.g. to count retries in a metric. */
  readonly onRetry?: (info: { attempt: number; delayMs: number; error?: unknown }) => void;
}

/**
 * Calls `operation` until `isDone(result)` holds or attempts run out, sleeping with full jitter between calls.
 * The operation receives the attempt number (0-based) and the previous result, so a batch writer can resend only
 * the entries that failed last time. A thrown error is retried like an unfinished result if it is retryable, and
 * rethrown when it is not or when it happens on the last attempt.
 */
export async function retryWithBackoff<T>(
  operation: (attempt: number, previous: T | undefined) => Promise<T>,
  isDone: (value: T) => boolean,
  options: RetryOptions = {},
): Promise<RetryState<T>> {
  const maxAttempts = options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
  const sleep = options.sleep ?? realSleep;
  const isRetryableError = options.isRetryableError ?? (() => true);
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1) {
    throw new RangeError(`maxAttempts must be a positive integer, received ${maxAttempts}`);
  }

  let previous: T | undefined;
  for (let attempt = 0; ; attempt++) {
    let error: unknown;
    let failed = false;
    try {
      const value = await operation(attempt, previous);
      previous = value;
      if (isDone(value) || attempt + 1 >= maxAttempts) {
        return { value, attempts: attempt + 1, done: isDone(value) };
      }
    } catch (caught) {
      if (!isRetryableError(caught) || attempt + 1 >= maxAttempts) throw caught;
      error = caught;
      failed = true;
    }
    const delayMs = computeBackoffMs(attempt, options);
    options.onRetry?.(failed ? { attempt, delayMs, error } : { attempt, delayMs });
    await sleep(delayMs);
  }
}

/**
 * Whether a thrown AWS SDK error is transient: throttling, a 5xx, or a network failure. The SDK's own retry
 * strategy already retried these a few times; this decides whether our outer loop should keep going.
 * Duck-typed on the SDK's error shape so that the core never imports the SDK.
 */
export function isTransientAwsError(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const e = error as {
    name?: unknown;
    code?: unknown;
    $retryable?: unknown;
    $fault?: unknown;
    $metadata?: { httpStatusCode?: unknown };
  };
  if (e.$retryable) return true;
  if (e.$fault === 'server') return true;
  const status = e.$metadata?.httpStatusCode;
  if (typeof status === 'number' && (status >= 500 || status === 429)) return true;
  const name = typeof e.name === 'string' ? e.name : '';
  if (TRANSIENT_ERROR_NAMES.has(name)) return true;
  const code = typeof e.code === 'string' ? e.code : '';
  return TRANSIENT_NETWORK_CODES.has(code);
}

const TRANSIENT_ERROR_NAMES = new Set([
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'Throttling',
  'ThrottledException',
  'RequestLimitExceeded',
  'TooManyRequestsException',
  'LimitExceededException',
  'ServiceUnavailable',
  'ServiceUnavailableException',
  'InternalFailure',
  'InternalServerError',
  'InternalFailureException',
  'KMSThrottlingException',
  'RequestTimeout',
  'RequestTimeoutException',
  'TimeoutError',
]);

const TRANSIENT_NETWORK_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'EAI_AGAIN']);
