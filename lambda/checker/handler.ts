import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { FirehoseClient } from '@aws-sdk/client-firehose';
import type { Context, KinesisStreamBatchResponse, KinesisStreamEvent } from 'aws-lambda';
import {
  createHttpHandler,
  DYNAMODB_TIMEOUTS,
  FIREHOSE_TIMEOUTS,
  type RequestTimeouts,
} from '../shared/adapters/http-handler';
import { createObservability } from '../shared/observability';
import { DynamoDbDedupStore } from './adapters/dynamodb-dedup-store';
import { createValkeyConnection, type ValkeyConnection } from './adapters/valkey-client';
import { ValkeyDedupStore } from './adapters/valkey-dedup-store';
import { FirehoseRecordSink, type FirehoseRecordSinkOptions } from './adapters/firehose-record-sink';
import { PowertoolsTelemetry } from './adapters/powertools-telemetry';
import { checkBatch } from './check-batch';
import { readCheckerConfig, type CheckerConfig } from './config';
import { DeliveredKeys } from './delivered-keys';
import type { DedupStore, StreamRecord } from './ports';

/**
 * The context gives the invocation's deadline (getRemainingTimeInMillis), which the core works within; without one
 * (a direct call) it assumes the function's timeout.
 */
export type CheckerHandler = (
  event: KinesisStreamEvent,
  context?: Pick<Context, 'getRemainingTimeInMillis'>,
) => Promise<KinesisStreamBatchResponse>;

export interface CheckerHandlerOptions {
  /** @default process.env */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /**
   * Injected clients (e.g. pointed at local servers) are used unchanged; by default they are built by
   * `createDynamoDbClient` / `createFirehoseClient`: default config plus request timeouts.
   */
  readonly dynamoDb?: DynamoDBClient;
  readonly firehose?: FirehoseClient;
  /**
   * With DEDUP_STORE=valkey: the connection to use (e.g. to a local server, or a fake). @default built from
   * VALKEY_ENDPOINT by createValkeyConnection, with the Firehose client's credentials and region for the IAM token
   */
  readonly valkey?: ValkeyConnection;
  /** Overrides of the timeouts of the clients built here (not of injected ones), e.g. much shorter in tests. */
  readonly requestTimeouts?: CheckerRequestTimeouts;
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
  const firehose = options.firehose ?? createFirehoseClient(options.requestTimeouts?.firehose);
  const { store, prepare } = createDedupStore(config, options, firehose);
  const sink = new FirehoseRecordSink(config.deliveryStreamName, firehose, options.delivery);
  const cacheSize = options.cacheSize ?? config.cacheSize;
  const deliveredKeys = cacheSize > 0 ? new DeliveredKeys(cacheSize) : undefined;

  return async (event, context) => {
    try {
      await prepare();
      const result = await checkBatch(toStreamRecords(event), config, {
        store,
        sink,
        telemetry,
        ...(context ? { timeLeft: () => context.getRemainingTimeInMillis() } : {}),
        ...(options.clock ? { clock: options.clock } : {}),
        ...(deliveredKeys ? { deliveredKeys } : {}),
      });
      return { batchItemFailures: result.batchItemFailures.map(({ itemIdentifier }) => ({ itemIdentifier })) };
    } finally {
      metrics.publishStoredMetrics();
    }
  };
}

/**
 * The configured store. For Valkey, `prepare` runs before each invocation: it refreshes the IAM token a reconnection
 * would AUTH with, and connects on first use (if it throws, e.g. no credentials, the invocation fails as a whole and
 * Lambda retries the batch: nothing was claimed).
 */
function createDedupStore(
  config: CheckerConfig,
  options: CheckerHandlerOptions,
  firehose: FirehoseClient,
): { readonly store: DedupStore; readonly prepare: () => Promise<void> } {
  if (config.dedupStore.kind === 'dynamodb') {
    const client = options.dynamoDb ?? createDynamoDbClient(options.requestTimeouts?.dynamoDb);
    return { store: new DynamoDbDedupStore(config.dedupStore.tableName, client), prepare: async () => undefined };
  }
  const connection =
    options.valkey ??
    createValkeyConnection(config.dedupStore.endpoint, {
      credentials: () => firehose.config.credentials(),
      region: () => firehose.config.region(),
    });
  return { store: new ValkeyDedupStore(connection.client), prepare: () => connection.prepare() };
}

export interface CheckerRequestTimeouts {
  readonly dynamoDb?: Partial<RequestTimeouts>;
  readonly firehose?: Partial<RequestTimeouts>;
}

/**
 * The checker's own SDK clients: default config (region, credentials, AWS_ENDPOINT_URL_DYNAMODB / _FIREHOSE from the
 * process environment, read at first call) with an HTTP/1.1 handler that gives up on a hung request (http-handler.ts).
 * A checker that waits for an answer until the function times out crashes, and a crash after Firehose accepted
 * records redelivers them as raw duplicates; a timed-out request is instead retried by the SDK and then reported to
 * Lambda through the checker's failure path.
 */
export function createDynamoDbClient(timeouts: Partial<RequestTimeouts> = {}): DynamoDBClient {
  return new DynamoDBClient({ requestHandler: createHttpHandler(DYNAMODB_TIMEOUTS, timeouts) });
}

/** See createDynamoDbClient. */
export function createFirehoseClient(timeouts: Partial<RequestTimeouts> = {}): FirehoseClient {
  return new FirehoseClient({ requestHandler: createHttpHandler(FIREHOSE_TIMEOUTS, timeouts) });
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
export const handler: CheckerHandler = (event, context) => {
  instance ??= createCheckerHandler();
  return instance(event, context);
};
