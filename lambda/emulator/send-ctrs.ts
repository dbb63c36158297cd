import {
  DEFAULT_MAX_ATTEMPTS,
  isTransientAwsError,
  retryWithBackoff,
  type BackoffOptions,
  type Sleep,
} from '../shared/backoff';
import { recordSize, type PreparedRecord } from './parse-event';
import type { PublishOutcome, RecordPublisher } from './record-publisher';

/** PutRecords limits: 500 records and 5 MiB (data plus partition keys) per request. */
export const MAX_RECORDS_PER_REQUEST = 500;
export const MAX_BYTES_PER_REQUEST = 5 * 1024 * 1024;

export interface SendFailure {
  readonly index: number;
  readonly contactId: string;
  readonly errorCode: string;
  readonly errorMessage: string;
}

export interface SendReport {
  /** Records the stream acknowledged with a sequence number. */
  readonly sent: number;
  /** Records still refused after every retry, or never sent because the stream refused a request outright. */
  readonly failed: number;
  readonly failures: readonly SendFailure[];
  /** Record sends beyond the first (partial failures and throttled requests retried). */
  readonly retries: number;
  /** PutRecords requests made. */
  readonly requests: number;
}

export interface SendOptions extends BackoffOptions {
  /** Calls per chunk, the first included. @default 8 */
  readonly maxAttempts?: number;
  readonly sleep?: Sleep;
  /** Called before each backoff sleep: how many records are about to be resent, and why. */
  readonly onRetry?: (info: {
    readonly attempt: number;
    readonly delayMs: number;
    readonly records: number;
    readonly error?: unknown;
  }) => void;
}

/**
 * Splits records into PutRecords requests within both limits, keeping event order. Every record fits on its own
 * (parseEmulatorEvent refuses records over 1 MiB), so every chunk holds at least one record.
 */
export function chunkRecords(records: readonly PreparedRecord[]): PreparedRecord[][] {
  const chunks: PreparedRecord[][] = [];
  let current: PreparedRecord[] = [];
  let bytes = 0;
  for (const record of records) {
    const size = recordSize(record);
    if (current.length > 0 && (current.length === MAX_RECORDS_PER_REQUEST || bytes + size > MAX_BYTES_PER_REQUEST)) {
      chunks.push(current);
      current = [];
      bytes = 0;
    }
    current.push(record);
    bytes += size;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}

/**
 * Puts the records on the stream, chunk by chunk. Entries the stream refuses (throttling, internal errors) are
 * resent alone, and throttled or failed requests again, with full-jitter backoff, up to `maxAttempts` calls per
 * chunk. A record counts as sent only when its entry came back with a sequence number.
 *
 * Resending can put a record on the stream twice (a request that timed out may have been applied), and can put a
 * resent older version of a contact after a newer one: both are what Connect itself does, and what the checker's
 * dedup and the lake's latest-version view are built for. After a non-transient refusal (missing stream, access
 * denied) the remaining chunks are not attempted: they would fail the same way.
 */
export async function sendCtrs(
  records: readonly PreparedRecord[],
  publisher: RecordPublisher,
  options: SendOptions = {},
): Promise<SendReport> {
  let sent = 0;
  let retries = 0;
  let requests = 0;
  const failures: SendFailure[] = [];
  let fatal: unknown;

  for (const chunk of chunkRecords(records)) {
    if (fatal !== undefined) {
      failures.push(
        ...chunk.map((r) =>
          failure(r, errorCode(fatal), `not sent: an earlier request failed with ${errorCode(fatal)}`),
        ),
      );
      continue;
    }
    let pending = chunk;
    const lastRefusal = new Map<number, PublishOutcome & { accepted: false }>();
    try {
      await retryWithBackoff(
        async () => {
          requests += 1;
          const outcomes = await publisher.publish(pending.map((r) => ({ data: r.data, partitionKey: r.contactId })));
          const refused: PreparedRecord[] = [];
          pending.forEach((record, i) => {
            const outcome = outcomes[i] ?? MISSING_OUTCOME;
            if (outcome.accepted) {
              sent += 1;
            } else {
              refused.push(record);
              lastRefusal.set(record.index, outcome);
            }
          });
          pending = refused;
          return pending.length;
        },
        (left) => left === 0,
        {
          ...options,
          maxAttempts: options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
          isRetryableError: isTransientAwsError,
          onRetry: ({ attempt, delayMs, error }) => {
            retries += pending.length;
            options.onRetry?.({ attempt, delayMs, records: pending.length, ...(error === undefined ? {} : { error }) });
          },
        },
      );
    } catch (error) {
      // The last call threw: whatever is still pending was not acknowledged by it.
      for (const record of pending) lastRefusal.set(record.index, refusalOf(error));
      if (!isTransientAwsError(error)) fatal = error;
    }
    for (const record of pending) {
      const refusal = lastRefusal.get(record.index) ?? MISSING_OUTCOME;
      failures.push(failure(record, refusal.errorCode, refusal.errorMessage));
    }
  }
  return { sent, failed: failures.length, failures, retries, requests };
}

const MISSING_OUTCOME = {
  accepted: false,
  errorCode: 'MissingResult',
  errorMessage: 'the response had no result for this entry',
} as const satisfies PublishOutcome;

function failure(record: PreparedRecord, code: string, message: string): SendFailure {
  return { index: record.index, contactId: record.contactId, errorCode: code, errorMessage: message };
}

function errorCode(error: unknown): string {
  return error instanceof Error ? error.name : 'UnknownError';
}

function refusalOf(error: unknown): PublishOutcome & { accepted: false } {
  return {
    accepted: false,
    errorCode: errorCode(error),
    errorMessage: error instanceof Error ? error.message : String(error),
  };
}
