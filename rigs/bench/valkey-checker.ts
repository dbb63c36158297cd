import type { FirehoseClient } from '@aws-sdk/client-firehose';
import type { KinesisStreamBatchResponse, KinesisStreamEvent } from 'aws-lambda';
import Redis from 'ioredis';
import {
  CLAIM_SCRIPT,
  MARK_SCRIPT,
  RELEASE_SCRIPT,
  type ValkeyScriptClient,
} from '../../lambda/checker/adapters/valkey-dedup-store';
import { createCheckerHandler, type CheckerHandler } from '../../lambda/checker/handler';
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
 * The `valkey` design: the real checker handler (createCheckerHandler) configured as the stack configures it for
 * `ctrLake:dedupStore: valkey` (DEDUP_STORE=valkey, so the ValkeyDedupStore, every claim of a batch in flight at once,
 * and the handler's default cache of delivered keys), on an auto-pipelining ioredis connection to the local server
 * that counts what it sends. Only the store differs from `ours`, so the two columns compare stores. Each script call
 * counts as a request; each tick in which the client issued commands as one round trip, which is when ioredis'
 * auto-pipelining writes them out together (it flushes on process.nextTick).
 */
export class ValkeyChecker implements BenchChecker {
  readonly design = 'valkey';
  private readonly redis: Redis;
  private readonly handler: CheckerHandler;

  constructor(options: ValkeyCheckerOptions) {
    const { port, hostname } = new URL(options.endpoint);
    this.redis = new Redis(Number(port), hostname, { enableAutoPipelining: true, lazyConnect: true });
    const env: Record<string, string | undefined> = {
      ...process.env,
      DEDUP_STORE: 'valkey',
      VALKEY_ENDPOINT: options.endpoint,
      DELIVERY_STREAM_NAME: options.deliveryStreamName,
    };
    delete env.DEDUP_CACHE_SIZE;
    delete env.DEDUP_TABLE_NAME;
    const redis = this.redis;
    this.handler = createCheckerHandler({
      env,
      firehose: options.firehose,
      valkey: {
        client: countingClient(redis, options.counter),
        prepare: async () => undefined,
        refreshAuth: async () => undefined,
        close: () => redis.disconnect(),
      },
    });
  }

  checkBatch(event: KinesisStreamEvent): Promise<KinesisStreamBatchResponse> {
    return this.handler(event);
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
