import { FirehoseClient, PutRecordBatchCommand, type PutRecordBatchResponseEntry } from '@aws-sdk/client-firehose';
import {
  abortableSleep,
  isTransientAwsError,
  retryWithBackoff,
  type BackoffOptions,
  type Sleep,
} from '../../shared/backoff';
import type { Envelope } from '../../shared/envelope';
import { encodeEnvelope, planFirehoseBatches } from '../firehose-batches';
import type { DeliveryOutcome, DeliveryReport, RecordSink } from '../ports';

export interface FirehoseRecordSinkOptions extends BackoffOptions {
  /** PutRecordBatch calls per chunk, including the first. Bounded: the Lambda timeout is. @default 5 */
  readonly maxAttempts?: number;
  /** @default real sleep */
  readonly sleep?: Sleep;
}

export const DEFAULT_DELIVERY_ATTEMPTS = 5;

/**
 * RecordSink on a Firehose delivery stream. Envelopes go out in PutRecordBatch calls of ≤ 500 records / 4 MiB;
 * entries that come back with an ErrorCode (FailedPutCount > 0) are resent alone, and a throttled or failed call
 * (ServiceUnavailableException, 5xx, network) is resent whole, with full-jitter backoff between attempts. Whatever
 * still fails gets a failed outcome: the checker reports it to Lambda instead of losing it. Never rejects for a
 * service error. Once the caller's signal aborts (its deadline), no attempt starts and the one in flight is
 * abandoned: its records fail, ambiguously (Firehose may have stored them).
 */
export class FirehoseRecordSink implements RecordSink {
  private readonly client: FirehoseClient;

  constructor(
    private readonly deliveryStreamName: string,
    client?: FirehoseClient,
    private readonly options: FirehoseRecordSinkOptions = {},
  ) {
    this.client = client ?? new FirehoseClient({});
  }

  async deliver(
    envelopes: readonly Envelope[],
    options: { readonly signal?: AbortSignal } = {},
  ): Promise<DeliveryReport> {
    const data = envelopes.map(encodeEnvelope);
    const outcomes: DeliveryOutcome[] = [];
    let retries = 0;
    for (const [start, end] of planFirehoseBatches(data.map((d) => d.length))) {
      const chunk = await this.deliverChunk(data.slice(start, end), options.signal);
      outcomes.push(...chunk.outcomes);
      retries += chunk.retries;
    }
    return { outcomes, retries };
  }

  private async deliverChunk(data: readonly Uint8Array[], signal: AbortSignal | undefined): Promise<DeliveryReport> {
    const failures = new Map<number, string>(data.map((_, i) => [i, 'not sent']));
    let pending = data.map((_, i) => i);
    let gaveUp = false;
    let retries = 0;

    await retryWithBackoff(
      async (attempt) => {
        if (signal?.aborted) {
          // Out of time: no attempt starts; the records not sent yet fail (Lambda retries them).
          for (const index of pending) failures.set(index, 'not sent: the invocation ran out of time');
          gaveUp = true;
          return pending.length;
        }
        if (attempt > 0) retries += pending.length;
        try {
          const response = await this.client.send(
            new PutRecordBatchCommand({
              DeliveryStreamName: this.deliveryStreamName,
              Records: pending.map((i) => ({ Data: data[i] })),
            }),
            signal === undefined ? {} : { abortSignal: signal },
          );
          pending = pending.filter((index, j) => {
            const reason = entryFailure(response.RequestResponses?.[j]);
            if (reason === undefined) failures.delete(index);
            else failures.set(index, reason);
            return reason !== undefined;
          });
        } catch (error) {
          const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
          for (const index of pending) failures.set(index, reason);
          // A refused request (no such stream, access denied) fails the same way every time: stop now.
          if (!isTransientAwsError(error)) gaveUp = true;
        }
        return pending.length;
      },
      (remaining) => remaining === 0 || gaveUp,
      {
        ...this.options,
        maxAttempts: this.options.maxAttempts ?? DEFAULT_DELIVERY_ATTEMPTS,
        // The backoff between attempts ends early at the deadline; the next attempt then does not start.
        sleep: this.options.sleep ?? ((ms) => abortableSleep(ms, signal)),
      },
    );

    const outcomes = data.map((_, i): DeliveryOutcome => {
      const reason = failures.get(i);
      return reason === undefined ? { delivered: true } : { delivered: false, reason };
    });
    return { outcomes, retries };
  }
}

/**
 * Why one PutRecordBatch entry failed, or undefined when Firehose took it. A missing entry counts as failed: the
 * record is resent (at worst a raw duplicate) rather than assumed delivered (at worst lost).
 */
function entryFailure(entry: PutRecordBatchResponseEntry | undefined): string | undefined {
  if (entry === undefined) return 'no response entry';
  if (entry.ErrorCode) return `${entry.ErrorCode}: ${entry.ErrorMessage ?? ''}`;
  if (!entry.RecordId) return 'no RecordId';
  return undefined;
}
