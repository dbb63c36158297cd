import type { KinesisStreamEvent } from 'aws-lambda';
import { readFile } from 'node:fs/promises';
import type { WorkerDesign } from './bench-checker';
import { createBenchClients, createChecker, type BenchEndpoints } from './designs';
import { deliverBatch } from './redelivery';
import { RequestCounter, type RequestTally } from './request-counter';
import { VALKEY_SERVICE } from './valkey-checker';
import { nowMs } from './stats';

/**
 * The checker side of the bench, run in its own Node process (bundled by esbuild, as Lambda runs a bundled
 * handler), so that it has a core of its own while DynamoDB Local (a JVM) and the Firehose sink run apart, as a Lambda
 * and DynamoDB run on different machines, and so that its peak RSS is its own. The parent talks to it over IPC.
 *
 * The checker's logs and EMF metrics go to this process's stdout, which the parent discards: they cost what they
 * cost in Lambda, but do not clutter the bench's table.
 */

export interface RunRequest {
  readonly kind: 'run';
  readonly design: WorkerDesign;
  readonly endpoints: BenchEndpoints;
  readonly tableName: string;
  readonly deliveryStreamName: string;
  /** A JSON file holding the KinesisStreamEvent[] to process, one batch each, in order. */
  readonly eventsFile: string;
  /** Redeliveries allowed per batch before the run fails (0: any batch item failure fails it). @default MAX_REDELIVERIES */
  readonly maxRedeliveries?: number;
}

export interface RunResult {
  readonly kind: 'result';
  /** Wall time of each batch, its redeliveries included, in order. */
  readonly batchMs: readonly number[];
  /** Invocations, redeliveries included (one per batch when the design reported no failure). */
  readonly invocations: number;
  /** Records redelivered after a design reported batch item failures. */
  readonly redeliveredRecords: number;
  readonly tally: readonly RequestTally[];
  /** Dedup store requests (DynamoDB, or Valkey script calls) made for each batch, its redeliveries included, in order. */
  readonly storeRequestsPerBatch: readonly number[];
  /** Peak resident set size of this process so far, and the RSS just before the first invocation (MB). */
  readonly peakRssMb: number;
  readonly rssBeforeMb: number;
}

export interface RunFailure {
  readonly kind: 'error';
  readonly message: string;
}

const MB = 1024 * 1024;
const eventsCache = new Map<string, KinesisStreamEvent[]>();

async function run(request: RunRequest): Promise<RunResult> {
  let events = eventsCache.get(request.eventsFile);
  if (!events) {
    // Parsed as the Lambda runtime parses an invocation's payload: from JSON text.
    events = JSON.parse(await readFile(request.eventsFile, 'utf8')) as KinesisStreamEvent[];
    eventsCache.set(request.eventsFile, events);
  }
  const counter = new RequestCounter();
  const clients = createBenchClients(request.endpoints, counter);
  const checker = createChecker(request.design, {
    ...clients,
    tableName: request.tableName,
    deliveryStreamName: request.deliveryStreamName,
    ...(request.endpoints.valkey ? { valkey: { endpoint: request.endpoints.valkey, counter } } : {}),
  });
  const storeRequests = (): number => counter.total('dynamodb') + counter.total(VALKEY_SERVICE);
  const rssBeforeMb = process.memoryUsage.rss() / MB;
  const batchMs: number[] = [];
  const storeRequestsPerBatch: number[] = [];
  let invocations = 0;
  let redeliveredRecords = 0;
  try {
    for (const event of events) {
      const requestsBefore = storeRequests();
      const start = nowMs();
      const delivery = await deliverBatch(checker, event, request.maxRedeliveries);
      batchMs.push(nowMs() - start);
      storeRequestsPerBatch.push(storeRequests() - requestsBefore);
      invocations += delivery.invocations;
      redeliveredRecords += delivery.redeliveredRecords;
    }
  } finally {
    clients.dynamoDb.destroy();
    clients.firehose.destroy();
    checker.close?.();
  }
  // maxRSS is in kilobytes: the high-water mark of the whole process, as Lambda's "Max Memory Used".
  return {
    kind: 'result',
    batchMs,
    invocations,
    redeliveredRecords,
    tally: counter.tally(),
    storeRequestsPerBatch,
    peakRssMb: (process.resourceUsage().maxRSS * 1024) / MB,
    rssBeforeMb,
  };
}

process.on('message', (message: RunRequest) => {
  run(message).then(
    (result) => process.send?.(result),
    (error: unknown) =>
      process.send?.({
        kind: 'error',
        message: error instanceof Error ? (error.stack ?? error.message) : String(error),
      }),
  );
});
