import { DeleteTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { encodeEnvelope } from '../../lambda/checker/firehose-batches';
import { contentFingerprint } from '../../lambda/shared/fingerprint';
import { LOCAL_CLIENT_CONFIG, startDynamoDbLocal } from '../../local-aws/servers';
import { POWERTOOLS_FUNCTION_NAME } from './baselines/powertools';
import Redis from 'ioredis';
import { findRedisServer, REDIS_INSTALL_HINT, startRedisServer } from '../../local-aws/servers/redis-server';
import {
  BENCH_DESIGNS,
  DESIGNS,
  RAW_KEY_DESIGN,
  VALKEY_DESIGN,
  type BenchDesign,
  type DesignName,
  type WorkerDesign,
} from './bench-checker';
import { benchStream, firstBatches, toKinesisEvents, withoutKind, type BenchStream } from './bench-stream';
import { bundleCheckerWorker, CheckerProcess } from './checker-process';
import type { RunResult } from './checker-worker';
import { capacityUnits, type CapacityUnits } from './capacity-units';
import { checkDelivery, deliveryProblem, expectedFingerprints, type DeliveryFigures } from './delivery-check';
import { createDesignTable, DESIGN_TABLES, type BenchEndpoints } from './designs';
import { startFirehoseCountingSink, type FirehoseCountingSink } from './firehose-counting-sink';
import { startLatencyProxy } from './latency-proxy';
import { startTcpLatencyProxy } from './tcp-latency-proxy';
import { loadValkeyScripts, VALKEY_ROUND_TRIPS, VALKEY_SERVICE } from './valkey-checker';
import { BATCH_WRITE_ITEMS, type RequestTally } from './request-counter';
import { median } from './stats';

export interface CheckerBenchOptions {
  /** Scratch directory for the events files and the bundled worker. */
  readonly workDir: string;
  readonly seed: number;
  /** Timed runs per design (the median is reported). */
  readonly runs: number;
  /** Batches of the stream's start that the timed loopback runs process. */
  readonly timedBatches: number;
  readonly records: number;
  readonly batchSize: number;
  readonly duplicateRate: number;
  /** Records in the one batch of the memory measurement. */
  readonly memoryBatchRecords: number;
  /** Batches of the stream's start on which the marginal cost of each kind of duplicate is measured. */
  readonly marginalBatches: number;
  /** Batches of the stream's start timed behind the latency proxies (the baselines are slow there). */
  readonly latencyBatches: number;
  /** Timed runs per design behind the latency proxies. */
  readonly latencyRuns: number;
  /** Round trip the latency proxies add to every request, per service. */
  readonly latencyMs: { readonly dynamoDb: number; readonly firehose: number };
  /** Called after each run, for progress output. */
  readonly onProgress?: (message: string) => void;
}

export interface RequestFigures {
  readonly ddbPerInput: number;
  readonly ddbPerUnique: number;
  /**
   * Marginal: extra DynamoDB requests per in-batch duplicate, measured as the requests on the stream's first
   * batches minus the requests on the same batches without their in-batch duplicates (redeliveries included).
   */
  readonly ddbPerInBatchDuplicate: number;
  readonly ddbPerCrossBatchDuplicate: number;
  /** DynamoDB requests per unique record on the same batches with every duplicate taken out. */
  readonly ddbPerUniqueWithoutDuplicates: number;
  readonly firehosePerDelivered: number;
  readonly firehosePerInvocation: number;
  /** Lambda invocations per batch: 1, plus the redeliveries a design's batch item failures caused. */
  readonly invocationsPerBatch: number;
  /** Records handed to the design again after batch item failures, per input record. */
  readonly redeliveredPerInput: number;
  /** Billed request units per input record, from the request tally and the design's table shape. */
  readonly writeUnitsPerInput: number;
  readonly readUnitsPerInput: number;
  readonly tally: readonly RequestTally[];
}

export interface ThroughputFigures {
  readonly recordsPerSecond: number;
  /** Median over runs of the mean invocation time (redeliveries are invocations too): what Lambda bills per invocation. */
  readonly msPerInvocation: number;
  /** Mean over runs of the invocations per batch (1 unless the design reported batch item failures). */
  readonly invocationsPerBatch: number;
  /** Each run's total time, redeliveries included, ms. */
  readonly runsMs: readonly number[];
}

export interface LatencyThroughput {
  readonly records: number;
  readonly latencyMs: { readonly dynamoDb: number; readonly firehose: number };
  readonly designs: Record<DesignName, ThroughputFigures>;
}

export interface CheckerBenchResult {
  /** The DynamoDB every design of this section ran on. */
  readonly store: string;
  readonly stream: {
    readonly records: number;
    readonly unique: number;
    readonly inBatchDuplicates: number;
    readonly crossBatchDuplicates: number;
    /** Duplicates serialised with their keys in another order (the rest are byte-identical copies). */
    readonly reorderedDuplicates: number;
    readonly batchSize: number;
    readonly invocations: number;
    /** Sizes of the CTRs on the stream and of the envelopes delivered to Firehose (bytes), for the cost model. */
    readonly ctrSizes: readonly number[];
    readonly envelopeSizes: readonly number[];
  };
  readonly requests: Record<DesignName, RequestFigures>;
  /** What each design delivered from the whole stream, the raw-bytes key included. */
  readonly delivery: Record<BenchDesign, DeliveryFigures>;
  /** On loopback: the local servers as they are. */
  readonly throughput: { readonly records: number; readonly designs: Record<DesignName, ThroughputFigures> };
  /** The same servers behind proxies that add a network round trip to each request. */
  readonly throughputWithLatency: LatencyThroughput;
  /** The Valkey design, or why it was not measured (no redis-server installed). */
  readonly valkey: ValkeyFigures | { readonly skipped: string };
  readonly memory: {
    readonly peakRssMb: number;
    readonly rssBeforeMb: number;
    readonly records: number;
    readonly ms: number;
  };
}

/** The Valkey design's figures: the same stream and sections as the DynamoDB designs, on redis-server. */
export interface ValkeyFigures {
  /** `redis-server 7.0.15`, say. */
  readonly server: string;
  readonly requests: {
    /** Script calls (claims, marks, releases), the store's billed requests. */
    readonly perInput: number;
    readonly perUnique: number;
    readonly perInBatchDuplicate: number;
    readonly perCrossBatchDuplicate: number;
    readonly perUniqueWithoutDuplicates: number;
    /** Pipelined writes of the client: the round trips a network would see. */
    readonly roundTripsPerInput: number;
    readonly roundTripsPerInvocation: number;
    readonly firehosePerDelivered: number;
    readonly firehosePerInvocation: number;
    readonly invocationsPerBatch: number;
    readonly tally: readonly RequestTally[];
  };
  readonly delivery: DeliveryFigures;
  readonly throughput: ThroughputFigures;
  /** Behind a TCP proxy adding the DynamoDB designs' store latency to each round trip (one per pipelined write). */
  readonly throughputWithLatency: ThroughputFigures;
  readonly memory: { readonly peakRssMb: number; readonly rssBeforeMb: number; readonly ms: number };
  /** The server's used_memory per key after the whole stream: what ElastiCache meters as data stored. */
  readonly bytesPerKey: number;
  /**
   * vCPU time per script call over a simple SET's, from the server's INFO commandstats: ElastiCache bills a command
   * "that requires additional vCPU time" proportionally more ECPUs, and a small SET 1 ECPU.
   */
  readonly scriptUsPerCall: number;
  readonly setUsPerCall: number;
  readonly ecpusPerScript: number;
}

interface ValkeyEnvironment {
  readonly admin: Redis;
  readonly endpoint: string;
}

interface Environment {
  readonly valkey?: ValkeyEnvironment;
  readonly admin: DynamoDBClient;
  readonly sink: FirehoseCountingSink;
  readonly endpoints: BenchEndpoints;
}

interface Run {
  readonly result: RunResult;
  readonly delivery: DeliveryFigures;
  /** The Valkey design's keys after the run and the memory they took (used_memory growth). */
  readonly valkeyMemory?: { readonly keys: number; readonly bytes: number };
}

let runCounter = 0;
const expectedSets = new WeakMap<BenchStream, Set<string>>();

/**
 * One design on one stream, on a fresh table and a fresh delivery stream, and a check that it delivered every
 * distinct CTR of the stream exactly once, and nothing else: a design that loses or doubles records has no
 * figures worth reporting. The raw-bytes key is expected to double some, and only that is allowed it.
 */
async function runOnce(
  env: Environment,
  worker: CheckerProcess,
  design: WorkerDesign,
  eventsFile: string,
  stream: BenchStream,
  endpoints: BenchEndpoints = env.endpoints,
): Promise<Run> {
  runCounter += 1;
  const tableName = `bench-${design}-${runCounter}`;
  const valkey = design === VALKEY_DESIGN ? env.valkey : undefined;
  let usedBefore = 0;
  if (valkey) {
    await valkey.admin.flushall();
    usedBefore = await usedMemory(valkey.admin);
  } else {
    await createDesignTable(env.admin, design as BenchDesign, tableName);
  }
  try {
    const result = await worker.run({ design, endpoints, tableName, deliveryStreamName: tableName, eventsFile });
    const valkeyMemory = valkey
      ? { keys: await valkey.admin.dbsize(), bytes: (await usedMemory(valkey.admin)) - usedBefore }
      : undefined;
    let expected = expectedSets.get(stream);
    if (!expected) {
      expected = expectedFingerprints(stream);
      expectedSets.set(stream, expected);
    }
    const delivery = checkDelivery(env.sink.stream(tableName), expected);
    const problem = deliveryProblem(delivery, { allowExtraCopies: design === RAW_KEY_DESIGN });
    if (problem)
      throw new Error(`${design} delivered ${delivery.distinct} of ${expected.size} distinct CTRs: ${problem}`);
    return { result, delivery, ...(valkeyMemory ? { valkeyMemory } : {}) };
  } finally {
    if (!valkey) await env.admin.send(new DeleteTableCommand({ TableName: tableName }));
  }
}

async function usedMemory(admin: Redis): Promise<number> {
  return Number(/used_memory:(\d+)/.exec(await admin.info('memory'))?.[1] ?? 0);
}

/** Microseconds per call of a command, from INFO commandstats (0 when it never ran). */
async function usPerCall(admin: Redis, command: string): Promise<number> {
  const stats = await admin.info('commandstats');
  return Number(new RegExp(`cmdstat_${command}:.*?usec_per_call=([0-9.]+)`).exec(stats)?.[1] ?? 0);
}

/** SET calls of the baseline the scripts' vCPU time is compared with: small values, as a GET/SET of 1 ECPU. */
const SET_BASELINE_CALLS = 20_000;

function requestsOf(tally: readonly RequestTally[], service: string): number {
  return tally
    .filter((line) => line.service === service && line.operation !== BATCH_WRITE_ITEMS)
    .reduce((sum, line) => sum + line.count, 0);
}

async function writeEvents(workDir: string, name: string, stream: BenchStream): Promise<string> {
  const file = join(workDir, `${name}.events.json`);
  await writeFile(file, JSON.stringify(toKinesisEvents(stream)));
  return file;
}

/**
 * Runs every design over the same streams, on one DynamoDB Local (AWS's own emulator, in its JVM: the Powertools
 * designs need `ReturnValuesOnConditionCheckFailure`, which dynalite lacks, and every design shares the store):
 * 1. the whole stream once: the request economy and what each design delivered (it also warms every worker up),
 *    the raw-bytes key included;
 * 2. the stream's first `marginalBatches` batches without each kind of duplicate, for the marginal cost of each,
 *    and without any, for the cost of the unique records alone;
 * 3. `runs` timed runs of the first `timedBatches` batches on loopback;
 * 4. `latencyRuns` timed runs of the first `latencyBatches` batches behind the latency proxies;
 * 5. ours on one batch of `memoryBatchRecords` records in a fresh process, for its peak RSS.
 * Steps 1 and 2 count requests, not time, so the designs run them side by side; the timed steps interleave the
 * designs (their order rotated) run by run, so that a slow spell of the shared machine falls on all of them alike.
 */
export async function runCheckerBench(options: CheckerBenchOptions): Promise<CheckerBenchResult> {
  const progress = options.onProgress ?? (() => undefined);
  const stream = benchStream({
    seed: options.seed,
    records: options.records,
    batchSize: options.batchSize,
    duplicateRate: options.duplicateRate,
  });
  const marginal = firstBatches(stream, options.marginalBatches);
  const timed = firstBatches(stream, options.timedBatches);
  const latency = firstBatches(stream, options.latencyBatches);
  const memoryStream = benchStream({
    seed: options.seed + 1,
    records: options.memoryBatchRecords,
    batchSize: options.memoryBatchRecords,
    duplicateRate: options.duplicateRate,
    inBatchShare: 1,
  });
  const streams = {
    noInBatch: withoutKind(marginal, 'inBatchDuplicate'),
    noCrossBatch: withoutKind(marginal, 'crossBatchDuplicate'),
    noDuplicates: uniqueOnly(marginal),
  };
  const files = {
    full: await writeEvents(options.workDir, 'full', stream),
    noInBatch: await writeEvents(options.workDir, 'no-in-batch', streams.noInBatch),
    noCrossBatch: await writeEvents(options.workDir, 'no-cross-batch', streams.noCrossBatch),
    noDuplicates: await writeEvents(options.workDir, 'no-duplicates', streams.noDuplicates),
    timed: await writeEvents(options.workDir, 'timed', timed),
    latency: await writeEvents(options.workDir, 'latency', latency),
    memory: await writeEvents(options.workDir, 'memory', memoryStream),
  };
  const bundle = await bundleCheckerWorker(options.workDir);

  progress('starting DynamoDB Local (Java)');
  const dynamoDb = await startDynamoDbLocal();
  const sink = await startFirehoseCountingSink();
  const slowDynamoDb = await startLatencyProxy('dynamodb-latency', dynamoDb.endpoint, options.latencyMs.dynamoDb);
  const slowFirehose = await startLatencyProxy('firehose-latency', sink.endpoint, options.latencyMs.firehose);
  // The Valkey design when a server is installed: the same store latency per round trip as DynamoDB's per request.
  const redisProgram = findRedisServer();
  const redis = redisProgram ? await startRedisServer() : undefined;
  const slowRedis = redis
    ? await startTcpLatencyProxy('valkey-latency', redis.port, options.latencyMs.dynamoDb)
    : undefined;
  const valkeyAdmin = redis ? new Redis(redis.port, '127.0.0.1', { lazyConnect: true }) : undefined;
  if (!redis) progress(`valkey design skipped: ${REDIS_INSTALL_HINT}`);
  if (valkeyAdmin) await loadValkeyScripts(valkeyAdmin);
  const env: Environment = {
    admin: new DynamoDBClient({ ...LOCAL_CLIENT_CONFIG, endpoint: dynamoDb.endpoint }),
    sink,
    endpoints: { dynamoDb: dynamoDb.endpoint, firehose: sink.endpoint, ...(redis ? { valkey: redis.endpoint } : {}) },
    ...(redis && valkeyAdmin ? { valkey: { admin: valkeyAdmin, endpoint: redis.endpoint } } : {}),
  };
  const slowEndpoints: BenchEndpoints = {
    dynamoDb: slowDynamoDb.endpoint,
    firehose: slowFirehose.endpoint,
    ...(slowRedis ? { valkey: slowRedis.endpoint } : {}),
  };
  /** The designs the timed sections interleave: the DynamoDB ones, and Valkey when it runs. */
  const timedDesigns: readonly (DesignName | typeof VALKEY_DESIGN)[] = redis ? [...DESIGNS, VALKEY_DESIGN] : DESIGNS;
  // Lambda names every function's environment; Powertools prefixes its idempotency keys with that name.
  const startWorker = (): CheckerProcess =>
    CheckerProcess.start(bundle, { AWS_LAMBDA_FUNCTION_NAME: POWERTOOLS_FUNCTION_NAME });
  const workers = Object.fromEntries(
    [...BENCH_DESIGNS, ...(redis ? [VALKEY_DESIGN] : [])].map((d) => [d, startWorker()]),
  ) as Record<WorkerDesign, CheckerProcess>;
  const interleaved = async (
    label: string,
    runs: number,
    file: string,
    input: BenchStream,
    endpoints: BenchEndpoints,
  ) => {
    const results = Object.fromEntries(timedDesigns.map((d) => [d, [] as RunResult[]])) as Record<
      DesignName | typeof VALKEY_DESIGN,
      RunResult[]
    >;
    for (let run = 0; run < runs; run++) {
      for (let i = 0; i < timedDesigns.length; i++) {
        const design = timedDesigns[(run + i) % timedDesigns.length] as DesignName | typeof VALKEY_DESIGN;
        const { result } = await runOnce(env, workers[design], design, file, input, endpoints);
        results[design].push(result);
        progress(`${label} run ${run + 1}/${runs} ${design}: ${sum(result.batchMs).toFixed(0)} ms`);
      }
    }
    return results;
  };

  try {
    /** The whole stream, then the marginal runs: requests per unique record and per kind of duplicate. */
    const economyOf = async (design: DesignName | typeof VALKEY_DESIGN) => {
      const worker = workers[design];
      const full = await runOnce(env, worker, design, files.full, stream);
      progress(`checker, whole stream ${design}: ${full.delivery.records} records delivered`);
      const requestsWithout = async (file: string, input: BenchStream): Promise<number> =>
        sum((await runOnce(env, worker, design, file, input)).result.storeRequestsPerBatch);
      const noInBatch = await requestsWithout(files.noInBatch, streams.noInBatch);
      const noCross = await requestsWithout(files.noCrossBatch, streams.noCrossBatch);
      const noDuplicates = await requestsWithout(files.noDuplicates, streams.noDuplicates);
      progress(`checker marginal runs ${design}: done`);
      const marginalRequests = sum(full.result.storeRequestsPerBatch.slice(0, options.marginalBatches));
      return {
        full,
        marginal: {
          inBatch: (marginalRequests - noInBatch) / marginal.inBatchDuplicates,
          crossBatch: (marginalRequests - noCross) / marginal.crossBatchDuplicates,
          uniqueWithoutDuplicates: noDuplicates / marginal.unique,
        },
      };
    };
    const economy = await Promise.all(
      BENCH_DESIGNS.map(async (design) => {
        if (design === RAW_KEY_DESIGN) {
          const full = await runOnce(env, workers[design], design, files.full, stream);
          progress(`checker, whole stream ${design}: ${full.delivery.records} records delivered`);
          return { design, full };
        }
        const { full, marginal: perDuplicate } = await economyOf(design);
        return { design, full, requests: requestFigures(design, stream, full.result, perDuplicate) };
      }),
    );
    // Valkey after the others: its server's CPU is not shared with theirs while it counts.
    const valkeyEconomy = redis ? await economyOf(VALKEY_DESIGN) : undefined;
    await workers[RAW_KEY_DESIGN].stop();
    const requests = {} as Record<DesignName, RequestFigures>;
    const delivery = {} as Record<BenchDesign, DeliveryFigures>;
    for (const entry of economy) {
      delivery[entry.design] = entry.full.delivery;
      if (entry.design !== RAW_KEY_DESIGN && entry.requests) requests[entry.design] = entry.requests;
    }

    const loopbackRuns = await interleaved('checker, timed', options.runs, files.timed, timed, env.endpoints);
    const latencyRuns = await interleaved(
      'checker with latency',
      options.latencyRuns,
      files.latency,
      latency,
      slowEndpoints,
    );

    // Memory: a fresh process, so the peak is this one invocation's (and the runtime's), as Lambda reports it.
    const memoryOf = async (design: 'ours' | typeof VALKEY_DESIGN): Promise<RunResult> => {
      const memoryWorker = startWorker();
      try {
        return (await runOnce(env, memoryWorker, design, files.memory, memoryStream)).result;
      } finally {
        await memoryWorker.stop();
      }
    };
    const memoryRun = await memoryOf('ours');
    const valkeyMemoryRun = redis ? await memoryOf(VALKEY_DESIGN) : undefined;
    progress('checker memory run: done');

    let valkey: ValkeyFigures | { skipped: string } = { skipped: REDIS_INSTALL_HINT };
    if (redis && redisProgram && valkeyAdmin && valkeyEconomy && valkeyMemoryRun) {
      // The scripts' vCPU against a simple SET's on the same server, for the ECPUs ElastiCache would bill.
      const value = 'x'.repeat(64);
      await Promise.all(Array.from({ length: SET_BASELINE_CALLS }, (_, i) => valkeyAdmin.set(`baseline:${i}`, value)));
      const scriptUsPerCall = await usPerCall(valkeyAdmin, 'evalsha');
      const setUsPerCall = await usPerCall(valkeyAdmin, 'set');
      const version = /redis_version:([^\r\n]+)/.exec(await valkeyAdmin.info('server'))?.[1] ?? '?';
      valkey = valkeyFigures({
        server: `${redisProgram.split('/').pop() ?? 'redis-server'} ${version}`,
        stream,
        economy: valkeyEconomy,
        loopback: throughputOf(loopbackRuns.valkey, timed.records),
        withLatency: throughputOf(latencyRuns.valkey, latency.records),
        memoryRun: valkeyMemoryRun,
        scriptUsPerCall,
        setUsPerCall,
      });
    }

    const all = stream.batches.flat();
    const originals = all.filter((r) => r.kind === 'original');
    const originalText = new Map(originals.map((r) => [r.sourceIndex, r.text]));
    return {
      store: 'DynamoDB Local',
      stream: {
        records: stream.records,
        unique: stream.unique,
        inBatchDuplicates: stream.inBatchDuplicates,
        crossBatchDuplicates: stream.crossBatchDuplicates,
        reorderedDuplicates: all.filter((r) => r.kind !== 'original' && r.text !== originalText.get(r.sourceIndex))
          .length,
        batchSize: options.batchSize,
        invocations: stream.batches.length,
        ctrSizes: all.map((r) => Buffer.byteLength(r.text, 'utf8')),
        envelopeSizes: originals.map(
          (r, i) =>
            encodeEnvelope({
              kind: 'ctr',
              fingerprint: contentFingerprint(JSON.parse(r.text)),
              sequenceNumber: sequenceLike(i),
              raw: r.text,
            }).length,
        ),
      },
      requests,
      delivery,
      throughput: {
        records: timed.records,
        designs: mapDesigns((design) => throughputOf(loopbackRuns[design], timed.records)),
      },
      throughputWithLatency: {
        records: latency.records,
        latencyMs: options.latencyMs,
        designs: mapDesigns((design) => throughputOf(latencyRuns[design], latency.records)),
      },
      memory: {
        peakRssMb: memoryRun.peakRssMb,
        rssBeforeMb: memoryRun.rssBeforeMb,
        records: options.memoryBatchRecords,
        ms: sum(memoryRun.batchMs),
      },
      valkey,
    };
  } finally {
    await Promise.all(Object.values(workers).map((worker) => worker.stop()));
    env.admin.destroy();
    valkeyAdmin?.disconnect();
    await Promise.all([slowDynamoDb.stop(), slowFirehose.stop(), slowRedis?.stop(), redis?.stop()]);
    await Promise.all([dynamoDb.stop(), sink.stop()]);
  }
}

/** The Valkey design's figures from its runs and the server's own statistics. */
function valkeyFigures(input: {
  readonly server: string;
  readonly stream: BenchStream;
  readonly economy: {
    readonly full: Run;
    readonly marginal: {
      readonly inBatch: number;
      readonly crossBatch: number;
      readonly uniqueWithoutDuplicates: number;
    };
  };
  readonly loopback: ThroughputFigures;
  readonly withLatency: ThroughputFigures;
  readonly memoryRun: RunResult;
  readonly scriptUsPerCall: number;
  readonly setUsPerCall: number;
}): ValkeyFigures {
  const { stream, economy } = input;
  const { result, delivery, valkeyMemory } = economy.full;
  const scripts = requestsOf(result.tally, VALKEY_SERVICE);
  const roundTrips = requestsOf(result.tally, VALKEY_ROUND_TRIPS);
  const firehose = requestsOf(result.tally, 'firehose');
  return {
    server: input.server,
    requests: {
      perInput: scripts / stream.records,
      perUnique: scripts / stream.unique,
      perInBatchDuplicate: economy.marginal.inBatch,
      perCrossBatchDuplicate: economy.marginal.crossBatch,
      perUniqueWithoutDuplicates: economy.marginal.uniqueWithoutDuplicates,
      roundTripsPerInput: roundTrips / stream.records,
      roundTripsPerInvocation: roundTrips / result.invocations,
      firehosePerDelivered: firehose / stream.unique,
      firehosePerInvocation: firehose / result.invocations,
      invocationsPerBatch: result.invocations / stream.batches.length,
      tally: result.tally,
    },
    delivery,
    throughput: input.loopback,
    throughputWithLatency: input.withLatency,
    memory: {
      peakRssMb: input.memoryRun.peakRssMb,
      rssBeforeMb: input.memoryRun.rssBeforeMb,
      ms: sum(input.memoryRun.batchMs),
    },
    bytesPerKey: valkeyMemory && valkeyMemory.keys > 0 ? valkeyMemory.bytes / valkeyMemory.keys : 0,
    scriptUsPerCall: input.scriptUsPerCall,
    setUsPerCall: input.setUsPerCall,
    // At least 1 ECPU a call: each moves well under 1 KB.
    ecpusPerScript: input.setUsPerCall > 0 ? Math.max(1, input.scriptUsPerCall / input.setUsPerCall) : 1,
  };
}

/** A stream with both kinds of duplicate taken out: only the originals, batch boundaries kept. */
function uniqueOnly(stream: BenchStream): BenchStream {
  return withoutKind(withoutKind(stream, 'inBatchDuplicate'), 'crossBatchDuplicate');
}

function mapDesigns<T>(f: (design: DesignName) => T): Record<DesignName, T> {
  return Object.fromEntries(DESIGNS.map((d) => [d, f(d)])) as Record<DesignName, T>;
}

function throughputOf(runs: readonly RunResult[], records: number): ThroughputFigures {
  const runsMs = runs.map((r) => sum(r.batchMs));
  return {
    recordsPerSecond: records / (median(runsMs) / 1000),
    msPerInvocation: median(runs.map((r) => sum(r.batchMs) / r.invocations)),
    invocationsPerBatch: sum(runs.map((r) => r.invocations / r.batchMs.length)) / runs.length,
    runsMs,
  };
}

function requestFigures(
  design: DesignName,
  stream: BenchStream,
  full: RunResult,
  marginalPerDuplicate: {
    readonly inBatch: number;
    readonly crossBatch: number;
    readonly uniqueWithoutDuplicates: number;
  },
): RequestFigures {
  const ddb = requestsOf(full.tally, 'dynamodb');
  const firehose = requestsOf(full.tally, 'firehose');
  const units: CapacityUnits = capacityUnits(full.tally, DESIGN_TABLES[design].shape);
  return {
    ddbPerInput: ddb / stream.records,
    ddbPerUnique: ddb / stream.unique,
    ddbPerInBatchDuplicate: marginalPerDuplicate.inBatch,
    ddbPerCrossBatchDuplicate: marginalPerDuplicate.crossBatch,
    ddbPerUniqueWithoutDuplicates: marginalPerDuplicate.uniqueWithoutDuplicates,
    firehosePerDelivered: firehose / stream.unique,
    firehosePerInvocation: firehose / full.invocations,
    invocationsPerBatch: full.invocations / stream.batches.length,
    redeliveredPerInput: full.redeliveredRecords / stream.records,
    writeUnitsPerInput: units.writeUnits / stream.records,
    readUnitsPerInput: units.readUnits / stream.records,
    tally: full.tally,
  };
}

function sum(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0);
}

/** A Kinesis-sized sequence number, so the measured envelope sizes match the real ones. */
function sequenceLike(index: number): string {
  return (49_650_000_000_000_000_000_000_000_000_000_000_000_000_000_000_000n + BigInt(index) * 1000n).toString();
}
