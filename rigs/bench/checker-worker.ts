import type { KinesisStreamEvent } from 'aws-lambda';
import { readFile } from 'node:fs/promises';
import type { DesignName } from './bench-checker';
import { createBenchClients, createChecker, type BenchEndpoints } from './designs';
import { RequestCounter, type RequestTally } from './request-counter';
import { nowMs } from './stats';

/**
 * The checker side of the bench, run in its own Node process (bundled by esbuild, as Lambda runs a bundled
 * handler), so that it has a core of its own while dynalite and the Firehose sink run in the parent, as a Lambda
 * and DynamoDB run on different machines, and so that its peak RSS is its own. The parent talks to it over IPC.
 *
 * The checker's logs and EMF metrics go to this process's stdout, which the parent discards: they cost what they
 * cost in Lambda, but do not clutter the bench's table.
 */

export interface RunRequest {
  readonly kind: 'run';
  readonly design: DesignName;
  readonly endpoints: BenchEndpoints;
  readonly tableName: string;
  readonly deliveryStreamName: string;
  /** A JSON file holding the KinesisStreamEvent[] to process, one invocation each, in order. */
  readonly eventsFile: string;
}

export interface RunResult {
  readonly kind: 'result';
  /** Wall time of each invocation, in order. */
  readonly invocationMs: readonly number[];
  readonly tally: readonly RequestTally[];
  /** DynamoDB requests made by each invocation, in order. */
  readonly dynamoDbRequestsPerInvocation: readonly number[];
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
  });
  const rssBeforeMb = process.memoryUsage.rss() / MB;
  const invocationMs: number[] = [];
  const dynamoDbRequestsPerInvocation: number[] = [];
  try {
    for (const event of events) {
      const requestsBefore = counter.total('dynamodb');
      const start = nowMs();
      await checker.checkBatch(event);
      invocationMs.push(nowMs() - start);
      dynamoDbRequestsPerInvocation.push(counter.total('dynamodb') - requestsBefore);
    }
  } finally {
    clients.dynamoDb.destroy();
    clients.firehose.destroy();
  }
  // maxRSS is in kilobytes: the high-water mark of the whole process, as Lambda's "Max Memory Used".
  return {
    kind: 'result',
    invocationMs,
    tally: counter.tally(),
    dynamoDbRequestsPerInvocation,
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
