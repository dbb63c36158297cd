import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { FirehoseClient } from '@aws-sdk/client-firehose';
import type { KinesisStreamBatchResponse, KinesisStreamEvent } from 'aws-lambda';
import { createObservability } from '../shared/observability';
import { DynamoDbDedupStore } from './adapters/dynamodb-dedup-store';
import { FirehoseRecordSink, type FirehoseRecordSinkOptions } from './adapters/firehose-record-sink';
import { PowertoolsTelemetry } from './adapters/powertools-telemetry';
import { checkBatch } from './check-batch';
import { readCheckerConfig } from './config';
import { DeliveredKeys } from './delivered-keys';
import type { StreamRecord } from './ports';

export type CheckerHandler = (event: KinesisStreamEvent) => Promise<KinesisStreamBatchResponse>;

export interface CheckerHandlerOptions {
  /** @default process.env */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Injected clients, e.g. pointed at local servers; by default built with default config. */
  readonly dynamoDb?: DynamoDBClient;
  readonly firehose?: FirehoseClient;
  readonly delivery?: FirehoseRecordSinkOptions;
  readonly clock?: () => Date;
  /** Keys the cache of delivered keys holds, 0 = off. @default DEDUP_CACHE_SIZE, else 100,000 */
  readonly cacheSize?: number;
}

/**
 * Builds the checker: reads and validates the environment once, builds the adapters once (SDK clients are reused
 * across invocations), and returns the per-invocation function. Only a configuration error throws. Lambda calls
 * this once per container (see `handler`), so the cache of delivered keys built here is the warm container's: it
 * survives invocations and dies with the container.
 */
export function createCheckerHandler(options: CheckerHandlerOptions = {}): CheckerHandler {
  const config = readCheckerConfig(options.env ?? process.env);
  const { logger, metrics } = createObservability('ctr-checker');
  const telemetry = new PowertoolsTelemetry(logger, metrics);
  const store = new DynamoDbDedupStore(config.tableName, options.dynamoDb);
  const sink = new FirehoseRecordSink(config.deliveryStreamName, options.firehose, options.delivery);
  const cacheSize = options.cacheSize ?? config.cacheSize;
  const deliveredKeys = cacheSize > 0 ? new DeliveredKeys(cacheSize) : undefined;

  return async (event) => {
    try {
      const result = await checkBatch(toStreamRecords(event), config, {
        store,
        sink,
        telemetry,
        ...(options.clock ? { clock: options.clock } : {}),
        ...(deliveredKeys ? { deliveredKeys } : {}),
      });
      return { batchItemFailures: result.batchItemFailures.map(({ itemIdentifier }) => ({ itemIdentifier })) };
    } finally {
      metrics.publishStoredMetrics();
    }
  };
}

export function toStreamRecords(event: KinesisStreamEvent): StreamRecord[] {
  return (event.Records ?? []).map((record) => ({
    eventId: record.eventID,
    sequenceNumber: record.kinesis.sequenceNumber,
    data: record.kinesis.data,
  }));
}

let instance: CheckerHandler | undefined;

/** The Lambda entry point (Kinesis event source with ReportBatchItemFailures). */
export const handler: CheckerHandler = (event) => {
  instance ??= createCheckerHandler();
  return instance(event);
};
