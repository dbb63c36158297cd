import type { KinesisClient } from '@aws-sdk/client-kinesis';
import type { KinesisStreamEvent } from 'aws-lambda';
import { KinesisEventSource, type AbandonedBatch } from '../../local-aws/event-source/kinesis-event-source';
import { LOCAL_REGION } from '../../local-aws/lambda-runtime/local-identity';
import { LOCAL_NAMES, localArn } from '../../local-aws/pipeline/local-names';

/** What the event source did, counted as it went. */
export interface EventSourceFigures {
  invocations: number;
  /** Invocations that retried records (after a partial failure or a crash, bisected halves included). */
  batchRetries: number;
  /** Records given up on after the retries (what Lambda sends to the on-failure destination). */
  abandoned: number;
  /** Exact copies that met their original inside one batch, first attempts only. */
  inBatchCopies: number;
  /** Stream records (eventIDs) handed to the checker at least once. */
  readonly read: Set<string>;
}

export interface SoakEventSourceOptions {
  readonly batchSize: number;
  /** Retries before the on-failure destination (MaximumRetryAttempts). */
  readonly maxRetries: number;
  /** The on-failure destination: told of each batch given up. */
  readonly onFailure: (batch: AbandonedBatch) => Promise<void>;
}

/**
 * Lambda's Kinesis event source mapping as the stack configures it (lib/constructs/duplicate-checker.ts): batches
 * of `batchSize`, one batch per shard at a time, partial batch responses, bisection on function errors, and
 * `maxRetries` retries (10 in the stack) before the on-failure destination.
 */
export function soakEventSource(
  kinesis: KinesisClient,
  streamArn: string,
  invoke: (event: KinesisStreamEvent) => Promise<unknown>,
  options: SoakEventSourceOptions,
): { readonly eventSource: KinesisEventSource; readonly figures: EventSourceFigures } {
  const figures: EventSourceFigures = {
    invocations: 0,
    batchRetries: 0,
    abandoned: 0,
    inBatchCopies: 0,
    read: new Set(),
  };
  const eventSource = new KinesisEventSource({
    kinesis,
    streamName: LOCAL_NAMES.stream,
    identity: { streamArn, region: LOCAL_REGION, invokeIdentityArn: localArn.role(LOCAL_NAMES.checker) },
    invoke: (event) => invoke(event),
    batchSize: options.batchSize,
    bisectBatchOnFunctionError: true,
    maximumRetryAttempts: options.maxRetries,
    retryBaseDelayMs: 5,
    onInvocation: ({ event, isRetry }) => {
      figures.invocations += 1;
      for (const record of event.Records) figures.read.add(record.eventID);
      if (isRetry) figures.batchRetries += 1;
      else figures.inBatchCopies += event.Records.length - new Set(event.Records.map((r) => r.kinesis.data)).size;
    },
    onFailure: async (batch) => {
      figures.abandoned += batch.records.length;
      await options.onFailure(batch);
    },
  });
  return { eventSource, figures };
}
