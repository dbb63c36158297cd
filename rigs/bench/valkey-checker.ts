import type { FirehoseClient } from '@aws-sdk/client-firehose';
import type { KinesisStreamBatchResponse, KinesisStreamEvent } from 'aws-lambda';
import Redis from 'ioredis';
import { FirehoseRecordSink } from '../../lambda/checker/adapters/firehose-record-sink';
import { PowertoolsTelemetry } from '../../lambda/checker/adapters/powertools-telemetry';
import {
  CLAIM_SCRIPT,
  MARK_SCRIPT,
  RELEASE_SCRIPT,
  ValkeyDedupStore,
  type ValkeyScriptClient,
} from '../../lambda/checker/adapters/valkey-dedup-store';
import { checkBatch } from '../../lambda/checker/check-batch';
import { readCheckerConfig } from '../../lambda/checker/config';
import { DEFAULT_DELIVERED_KEYS_CAPACITY, DeliveredKeys } from '../../lambda/checker/delivered-keys';
import { toStreamRecords } from '../../lambda/checker/handler';
import { createObservability } from '../../lambda/shared/observability';
import type { BenchChecker } from './bench-checker';
import type { RequestCounter } from './request-counter';

/** How the bench tallies the Valkey design: one line per script call, one per pipelined write. */
export const VALKEY_SERVICE = 'valkey';
export const VALKEY_ROUND_TRIPS = 'valkey-round-trips';

export interface ValkeyCheckerOptions {
  /** `redis://127.0.0.1:<port>`: the server, or the latency proxy in front of it. */
  readonly endpoint: string;
  readonly firehose: FirehoseClient;
  readonly deliveryStreamName: string;
  readonly counter: RequestCounter;
}

/**
 * The `valkey` design: the checker's own core (checkBatch) with the ValkeyDedupStore on an auto-pipelining ioredis
 * client, the same Firehose sink, telemetry and cache of delivered keys (the handler's default size) as `ours`, put
 * together as the handler puts them together for DynamoDB. Only the store differs, so the two columns compare stores.
 * Each script call counts as a request; each tick in which the client issued commands as one round trip, which is
 * when ioredis' auto-pipelining writes them out together (it flushes on process.nextTick).
 */
export class ValkeyChecker implements BenchChecker {
  readonly design = 'valkey';
  private readonly redis: Redis;
  private readonly check: (event: KinesisStreamEvent) => Promise<KinesisStreamBatchResponse>;

  constructor(options: ValkeyCheckerOptions) {
    const { port, hostname } = new URL(options.endpoint);
    this.redis = new Redis(Number(port), hostname, { enableAutoPipelining: true, lazyConnect: true });
    const config = readCheckerConfig({
      // The core reads the table's name only to build the DynamoDB store, which this design replaces.
      DEDUP_TABLE_NAME: 'unused-by-valkey',
      DELIVERY_STREAM_NAME: options.deliveryStreamName,
    });
    const { logger, metrics } = createObservability('ctr-checker');
    const telemetry = new PowertoolsTelemetry(logger, metrics);
    const store = new ValkeyDedupStore(countingClient(this.redis, options.counter));
    const sink = new FirehoseRecordSink(options.deliveryStreamName, options.firehose);
    const deliveredKeys = new DeliveredKeys(DEFAULT_DELIVERED_KEYS_CAPACITY);
    this.check = async (event) => {
      try {
        const result = await checkBatch(toStreamRecords(event), config, { store, sink, telemetry, deliveredKeys });
        return { batchItemFailures: result.batchItemFailures.map(({ itemIdentifier }) => ({ itemIdentifier })) };
      } finally {
        metrics.publishStoredMetrics();
      }
    };
  }

  checkBatch(event: KinesisStreamEvent): Promise<KinesisStreamBatchResponse> {
    return this.check(event);
  }

  close(): void {
    this.redis.disconnect();
  }
}

/**
 * Loads the store's scripts into the server's script cache, as a cache that has served a checker before holds them,
 * so that the counts are the steady state's and not a first contact's (EVALSHA refused with NOSCRIPT, then EVAL).
 */
export async function loadValkeyScripts(redis: Redis): Promise<void> {
  for (const script of [CLAIM_SCRIPT, MARK_SCRIPT, RELEASE_SCRIPT]) await redis.script('LOAD', script);
}

/** The script client the store uses, counting each call and each tick's pipelined write. */
function countingClient(redis: Redis, counter: RequestCounter): ValkeyScriptClient {
  let flushPending = false;
  const count = (operation: string): void => {
    counter.record(VALKEY_SERVICE, operation, 'ok');
    if (!flushPending) {
      flushPending = true;
      counter.record(VALKEY_ROUND_TRIPS, 'pipeline', 'ok');
      process.nextTick(() => {
        flushPending = false;
      });
    }
  };
  return {
    evalsha: (sha, numKeys, ...args) => {
      count('EVALSHA');
      return redis.evalsha(sha, numKeys, ...args);
    },
    eval: (script, numKeys, ...args) => {
      count('EVAL');
      return redis.eval(script, numKeys, ...args);
    },
  };
}
