import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { KinesisClient } from '@aws-sdk/client-kinesis';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { KinesisStreamEvent } from 'aws-lambda';
import { CHECKER_TIMEOUT_SECONDS } from '../../lambda/checker/config';
import { createCheckerHandler } from '../../lambda/checker/handler';
import { createKinesisClient } from '../../lambda/shared/adapters/kinesis-client';
import { createCrashInjector, type CrashPoint } from '../faults/crash-injector';
import {
  composeInterceptors,
  FAULT_KINDS,
  startFaultProxy,
  type FaultKind,
  type FaultProxy,
} from '../faults/fault-proxy';
import type { TcpFaultKind } from '../faults/tcp-fault-proxy';
import type { TransformFaultKind } from '../faults/transform-faults';
import { createStream, ensureDedupTable } from '../../local-aws/pipeline/local-resources';
import { DirectoryFailureQueue } from '../../commands/redrive/failure-queue';
import { redrive } from '../../commands/redrive/redrive-core';
import { DynamoDbDedupStore } from '../../lambda/checker/adapters/dynamodb-dedup-store';
import { ValkeyDedupStore } from '../../lambda/checker/adapters/valkey-dedup-store';
import type { DedupStore } from '../../lambda/checker/ports';
import { writeOnFailureRecord } from '../../local-aws/pipeline/on-failure';
import { createLambdaContext, localFunctionArn } from '../../local-aws/lambda-runtime/lambda-context';
import { LOCAL_NAMES } from '../../local-aws/pipeline/local-names';
import { streamEventIds } from './stream-census';
import { LakeQueryRunner } from '../../local-aws/query/lake-query-runner';
import {
  LOCAL_CLIENT_CONFIG,
  LOCAL_INFRASTRUCTURE_TIMEOUTS,
  startDynalite,
  startKinesalite,
  type LocalServer,
} from '../../local-aws/servers';
import { compactionPass, judgeCompaction, type CompactionPassFigures } from './compaction-pass';
import { DeliveryLedger, type DuplicateExplanation } from './delivery-ledger';
import { readErrorPrefix } from './error-prefix';
import { SoakProducer, type ProducerFigures } from './producer';
import { reconcile, type Reconciliation } from './reconcile';
import { soakDynamoDbClient, soakFirehoseClient, soakKinesisClient } from './sdk-clients';
import { soakEventSource } from './soak-event-source';
import { startSoakValkey, type SoakValkey } from './soak-valkey';
import { startSoakFirehose } from './soak-firehose';
import { emptyExpectation, iterateSoakInput, type SoakRecord } from './soak-input';
import { crashRateOf, SOAK_DEFAULTS, type SoakOptions } from './soak-options';

export interface SoakReport {
  readonly options: SoakOptions;
  readonly recordsIn: number;
  readonly input: Readonly<Record<SoakRecord['kind'], number>>;
  /** Exact copies that met their original inside one checker batch (first attempts only). */
  readonly inBatchCopies: number;
  readonly producer: ProducerFigures;
  /** Request faults injected by the proxies, summed over DynamoDB, Kinesis and Firehose. */
  readonly faults: Readonly<Record<FaultKind, number>>;
  /** With `--dedup-store valkey`: TCP faults between the checker and redis-server, and the server's restarts. */
  readonly valkey?: { readonly faults: Readonly<Record<TcpFaultKind, number>>; readonly restarts: number };
  readonly transformFaults: Readonly<Record<TransformFaultKind, number>>;
  readonly crashes: Readonly<Record<CrashPoint, number>>;
  readonly checkerInvocations: number;
  /** Checker execution environments started: one per shard at first, one more after each crash. */
  readonly coldStarts: number;
  /** Checker invocations that retried records (after a partial failure or a crash, bisected halves included). */
  readonly batchRetries: number;
  readonly transformRetries: number;
  /** Records the event source gave up on. Must be 0, unless the run redrives them (`--redrive`). */
  readonly abandoned: number;
  /** Records the redrive put back on the stream (`--redrive`). */
  readonly redriven: number;
  /** Records on the stream the event source never handed to the checker. Must be 0. */
  readonly unread: number;
  /** CTR envelopes Firehose accepted. */
  readonly delivered: number;
  /** Records Firehose parked under the error prefix after the transform kept failing, then re-driven. */
  readonly parked: number;
  /** Where raw-file duplicates came from, as the proxies saw it (see DuplicateExplanation). */
  readonly duplicates: Pick<
    DuplicateExplanation,
    'sameRecordRedeliveries' | 'deliveredBeforeCrash' | 'ambiguousDeliveries'
  > & { readonly released: number };
  readonly reconciliation: Reconciliation;
  /** The final compaction pass and the lake reconciled again after it. */
  readonly compaction: CompactionPassFigures;
  /** Why the run failed; empty when nothing was lost and every count is exact. */
  readonly problems: readonly string[];
  readonly durationMs: number;
}

export interface SoakHooks {
  /** Called after each chunk is through the checker. */
  readonly onProgress?: (done: number, total: number) => void;
}

/** Backoff of the retry loops in our own code (checker delivery, emulator sender), scaled for local servers. */
const LOCAL_BACKOFF = { baseMs: 5, maxMs: 250 };

/**
 * The soak: the full pipeline on 127.0.0.1 with every fault on, then an exact reconciliation.
 *
 * Producer (the emulator's sender) → Kinesis proxy → kinesalite → event source (Lambda's mapping, shards in
 * parallel, ReportBatchItemFailures, redelivery after a function error) → checker, the real handler in this
 * process with crash injection → DynamoDB proxy → dynalite, and Firehose proxy → local Firehose → transform, the
 * real one, with throw/timeout faults → lake directory (Parquet) → DuckDB with the project's queries.
 *
 * The handlers run in this process rather than in the local runtime's worker threads so that their SDK clients can
 * be tagged per invocation: that is what lets a crashed invocation be shut out of every service while the event
 * source redelivers its batch (see crash-injector.ts).
 */
export async function runSoak(options: SoakOptions, hooks: SoakHooks = {}): Promise<SoakReport> {
  const started = Date.now();
  // Quiet handlers: a soak would print millions of log lines and EMF documents. An explicit setting wins.
  process.env.POWERTOOLS_LOG_LEVEL ??= 'SILENT';
  process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
  const settings = { ...SOAK_DEFAULTS, ...definedOnly(options) };
  const lakeDir = options.lakeDir ? resolve(options.lakeDir) : await mkdtemp(join(tmpdir(), 'ctr-lake-soak-'));
  const stack = new ResourceStack();
  try {
    // Services and resources: the dedup table in dynalite, or none (the claims are in redis-server, started below).
    const valkeyMode = settings.dedupStore === 'valkey';
    const [kinesalite, dynalite]: LocalServer[] = await Promise.all([
      startKinesalite(),
      ...(valkeyMode ? [] : [startDynalite()]),
    ]);
    stack.push(kinesalite!, ...(dynalite ? [dynalite] : []));
    const kinesis = createKinesisClient(
      { ...LOCAL_CLIENT_CONFIG, endpoint: kinesalite!.endpoint },
      process.env,
      LOCAL_INFRASTRUCTURE_TIMEOUTS,
    );
    stack.defer(() => kinesis.destroy());
    const dynamo = dynalite ? new DynamoDBClient({ ...LOCAL_CLIENT_CONFIG, endpoint: dynalite.endpoint }) : undefined;
    stack.defer(() => dynamo?.destroy());
    const [, streamArn] = await Promise.all([
      dynamo ? ensureDedupTable(dynamo, LOCAL_NAMES.dedupTable) : undefined,
      createStream(kinesis, LOCAL_NAMES.stream, settings.shards),
    ]);

    // Firehose, its transform (with faults) and the lake.
    const firehose = await startSoakFirehose({
      lakeDir,
      format: settings.format,
      faultRate: options.faultRate,
      seed: seedFor(options.seed, 'transform'),
      transformRetries: settings.transformRetries,
    });
    stack.push(firehose);

    // Fault proxies and crash injection.
    const injector = createCrashInjector({ crashRate: crashRateOf(options), seed: seedFor(options.seed, 'crash') });
    const ledger = new DeliveryLedger({ isDead: (invocation) => injector.isDead(invocation) });
    const slowMs = 2 * settings.requestTimeoutMs;
    const proxy = (service: 'dynamodb' | 'kinesis' | 'firehose', target: string, extra: object): Promise<FaultProxy> =>
      startFaultProxy({
        service,
        target,
        faultRate: options.faultRate,
        seed: seedFor(options.seed, service),
        slowMs,
        ...extra,
      });
    const proxies = await Promise.all([
      // Only the producer's writes: the event source's reads stand for Lambda's own poller, which is not under test.
      proxy('kinesis', kinesalite!.endpoint, { operations: ['PutRecords'] }),
      proxy('firehose', firehose.endpoint, {
        interceptor: composeInterceptors(injector.deliveryInterceptor, ledger.deliveryObserver),
      }),
      ...(dynalite
        ? [
            proxy('dynamodb', dynalite.endpoint, {
              interceptor: composeInterceptors(injector.deadInvocationInterceptor, ledger.dedupStoreObserver),
            }),
          ]
        : []),
    ]);
    const [kinesisProxy, firehoseProxy, dynamoProxy] = proxies as [FaultProxy, FaultProxy, FaultProxy | undefined];
    stack.push(...proxies);
    const valkey = valkeyMode
      ? await startSoakValkey({
          faultRate: options.faultRate,
          seed: seedFor(options.seed, 'dynamodb'),
          commandTimeoutMs: settings.requestTimeoutMs,
          isDead: (invocation) => injector.isDead(invocation),
          onReleased: (key) => ledger.claimReleased(key),
        })
      : undefined;
    if (valkey) stack.push(valkey);

    // The checker and its event source.
    const clientOptions = { requestTimeoutMs: settings.requestTimeoutMs };
    const checkerDynamo = dynamoProxy ? soakDynamoDbClient(dynamoProxy.endpoint, clientOptions) : undefined;
    const checkerFirehose = soakFirehoseClient(firehoseProxy.endpoint, {
      ...clientOptions,
      onAttemptFailed: (attempt) => ledger.attemptFailed(attempt),
    });
    stack.defer(() => checkerDynamo?.destroy());
    stack.defer(() => checkerFirehose.destroy());
    // Each execution environment (a cold start, again after every crash) builds its own checker around the
    // shared, tagged clients.
    const checker = injector.wrap(() =>
      createCheckerHandler({
        env: {
          DELIVERY_STREAM_NAME: LOCAL_NAMES.deliveryStream,
          ...(valkey
            ? { DEDUP_STORE: 'valkey', VALKEY_ENDPOINT: valkey.endpoint }
            : { DEDUP_TABLE_NAME: LOCAL_NAMES.dedupTable }),
        },
        ...(checkerDynamo ? { dynamoDb: checkerDynamo } : {}),
        ...(valkey ? { valkey: valkey.connection } : {}),
        firehose: checkerFirehose,
        delivery: LOCAL_BACKOFF,
      }),
    );
    // Each invocation gets a Lambda context with the stack's timeout, so the checker works within its deadline.
    const invokeChecker = (event: KinesisStreamEvent): Promise<unknown> =>
      checker(event, createLambdaContext(LOCAL_NAMES.checker, CHECKER_TIMEOUT_SECONDS * 1000));
    const { eventSource, figures: counters } = soakEventSource(kinesis, streamArn, invokeChecker, {
      batchSize: settings.batchSize,
      maxRetries: settings.maxRetries,
      // The on-failure destination, as the local pipeline writes it: what the redrive reads.
      onFailure: async (batch) => {
        await writeOnFailureRecord(lakeDir, localFunctionArn(LOCAL_NAMES.checker), batch);
      },
    });

    // Produce and drain, chunk by chunk.
    const producerKinesis: KinesisClient = soakKinesisClient(kinesisProxy.endpoint, clientOptions);
    stack.defer(() => producerKinesis.destroy());
    const producer = new SoakProducer(producerKinesis, LOCAL_NAMES.stream, LOCAL_BACKOFF);
    const expectation = emptyExpectation();
    const input: Record<SoakRecord['kind'], number> = { original: 0, redelivery: 0, reordered: 0, bad: 0 };
    let chunk: SoakRecord[] = [];
    let done = 0;
    // Valkey: the server restarts once, while the checker works through the chunk that crosses half the records.
    let restartPending = valkey !== undefined;
    const flushChunk = async (): Promise<void> => {
      await producer.put(chunk);
      const restart = restartPending && done + chunk.length >= options.records / 2 ? valkey?.restart() : undefined;
      if (restart) restartPending = false;
      await Promise.all([eventSource.drain(), restart]);
      done += chunk.length;
      chunk = [];
      hooks.onProgress?.(done, options.records);
    };
    const soakInput = {
      records: options.records,
      dupRate: options.dupRate,
      badRate: settings.badRate,
      seed: options.seed,
    };
    for (const record of iterateSoakInput(soakInput, expectation)) {
      input[record.kind] += 1;
      chunk.push(record);
      if (chunk.length >= settings.chunkSize) await flushChunk();
    }
    if (chunk.length > 0) await flushChunk();
    await eventSource.drain();
    // What was given up comes back as `npm run redrive` brings it back on a deployment: its own claims released (the
    // release goes through the DynamoDB proxy, so faults hit it too and the ledger sees it), its range put back on
    // the stream, then through the checker again; until nothing is left or the rounds run out.
    const redriven = options.redrive
      ? await redriveUntilEmpty(lakeDir, kinesis, redriveClaims(dynamoProxy?.endpoint, valkey), () =>
          eventSource.drain(),
        )
      : { reput: 0, lost: 0, left: 0, rounds: 0 };
    await injector.settle();
    await firehose.stream.flush();
    const parked = await firehose.redriveParked();

    const runner = await LakeQueryRunner.open({ lakeDir });
    stack.defer(() => runner.close());
    const errors = await readErrorPrefix(lakeDir);
    const explanation = ledger.explain();
    const reconciliation = await reconcile(expectation, runner, errors, explanation);
    const compaction = await compactionPass({
      lakeDir,
      format: settings.format,
      expectation,
      runner,
      seed: options.seed,
      crash: crashRateOf(options) > 0,
    });
    // Counted on the stream itself: a producer's resend of a put that timed out after Kinesis stored it adds records.
    const onStream = await streamEventIds(kinesis, LOCAL_NAMES.stream);
    const unread = [...onStream].filter((eventId) => !counters.read.has(eventId)).length;
    const problems = [
      ...judge(reconciliation, counters.abandoned, options.redrive ? redriven : undefined),
      ...judgeCompaction(compaction),
      ...(unread > 0 ? [`the event source never read ${unread} of the ${onStream.size} records on the stream`] : []),
    ];
    return {
      options,
      recordsIn: done,
      input,
      inBatchCopies: counters.inBatchCopies,
      producer: producer.figures,
      faults: sumFaults(proxies),
      ...(valkey ? { valkey: { faults: { ...valkey.injected }, restarts: valkey.restarts } } : {}),
      transformFaults: { ...firehose.transformFaults },
      crashes: { ...injector.crashes },
      checkerInvocations: counters.invocations,
      coldStarts: injector.coldStarts,
      batchRetries: counters.batchRetries,
      transformRetries: firehose.stream.stats.transformRetries,
      abandoned: counters.abandoned,
      redriven: redriven.reput,
      unread,
      delivered: firehose.delivered(),
      parked,
      duplicates: {
        sameRecordRedeliveries: explanation.sameRecordRedeliveries,
        deliveredBeforeCrash: explanation.deliveredBeforeCrash,
        ambiguousDeliveries: explanation.ambiguousDeliveries,
        released: explanation.released.size,
      },
      reconciliation,
      compaction,
      problems,
      durationMs: Date.now() - started,
    };
  } finally {
    await stack.release();
    if (!options.lakeDir) await rm(lakeDir, { recursive: true, force: true });
  }
}

/**
 * Every way the run can fail the bar: anything lost, any count not exact, a duplicate nothing explains, a
 * record given up and not redriven.
 */
export function judge(r: Reconciliation, abandoned: number, redriven?: RedriveRounds): string[] {
  const problems: string[] = [];
  if (r.lost > 0) problems.push(`${r.lost} distinct CTRs are not in the lake (e.g. ${r.lostSample.join(', ')})`);
  if (redriven === undefined && abandoned > 0) problems.push(`the event source abandoned ${abandoned} records`);
  if (redriven !== undefined && redriven.left > 0) {
    problems.push(`${redriven.left} on-failure messages were still there after ${redriven.rounds} redrive rounds`);
  }
  if (redriven !== undefined && redriven.lost > 0) problems.push(`the redrive found ${redriven.lost} records lost`);
  if (r.unexpected > 0) problems.push(`${r.unexpected} fingerprints in the lake were never sent`);
  if (r.viewDuplicates > 0) problems.push(`ctr_latest holds ${r.viewDuplicates} extra rows for some contacts`);
  if (r.viewMismatches > 0)
    problems.push(`ctr_latest differs from the newest versions for ${r.viewMismatches} contacts`);
  if (r.auditMismatches > 0) problems.push(`duplicates_audit misreports ${r.auditMismatches} fingerprints`);
  if (r.unexplainedDuplicates > 0) {
    problems.push(
      `${r.unexplainedDuplicates} copies of CTRs another record had already stored (a dedup failure; e.g. fingerprints ` +
        `${r.unexplainedSample.join(', ')})`,
    );
  }
  if (r.copyMismatches > 0) {
    problems.push(`the lake's copies of ${r.copyMismatches} fingerprints differ from what Firehose accepted`);
  }
  if (r.quarantinesMissing > 0) {
    problems.push(
      `${r.quarantinesMissing} of ${r.quarantinesExpected} bad records are not quarantined with their reason`,
    );
  }
  return problems;
}

/** What the redrive rounds of a soak did. */
export interface RedriveRounds {
  /** Records put back on the stream, over every round. */
  readonly reput: number;
  /** Records the redrive found no longer on the stream (kinesalite keeps everything: must be 0). */
  readonly lost: number;
  /** On-failure messages left after the last round. */
  readonly left: number;
  readonly rounds: number;
}

/** Rounds of redrive-then-drain before the soak declares the given-up records unrecoverable. */
const MAX_REDRIVE_ROUNDS = 25;

/**
 * The redrive core of `npm run redrive` on the lake's on-failure directory, then a drain of the event source, as
 * long as something was given up (a redriven record may be given up again while faults go on).
 */
async function redriveUntilEmpty(
  lakeDir: string,
  kinesis: KinesisClient,
  claims: { readonly store: DedupStore; close(): void },
  drain: () => Promise<void>,
): Promise<RedriveRounds> {
  let reput = 0;
  let lost = 0;
  try {
    for (let round = 1; round <= MAX_REDRIVE_ROUNDS; round++) {
      const report = await redrive({
        queue: new DirectoryFailureQueue(lakeDir),
        kinesis,
        claims: claims.store,
        keyStrategy: 'content',
        send: LOCAL_BACKOFF,
      });
      reput += report.totals.reput;
      lost += report.totals.lost;
      if (report.totals.messages === 0) return { reput, lost, left: 0, rounds: round - 1 };
      await drain();
    }
    const left = (await new DirectoryFailureQueue(lakeDir).next()).length;
    return { reput, lost, left, rounds: MAX_REDRIVE_ROUNDS };
  } finally {
    claims.close();
  }
}

/** The store the redrive releases claims in, through the same faults as the checker's: DynamoDB or Valkey. */
function redriveClaims(
  dynamoDbEndpoint: string | undefined,
  valkey: SoakValkey | undefined,
): { readonly store: DedupStore; close(): void } {
  if (valkey) return { store: new ValkeyDedupStore(valkey.connection.client), close: () => undefined };
  const dynamo = new DynamoDBClient({ ...LOCAL_CLIENT_CONFIG, endpoint: dynamoDbEndpoint });
  return { store: new DynamoDbDedupStore(LOCAL_NAMES.dedupTable, dynamo), close: () => dynamo.destroy() };
}

function sumFaults(proxies: readonly FaultProxy[]): Record<FaultKind, number> {
  const total = Object.fromEntries(FAULT_KINDS.map((kind) => [kind, 0])) as Record<FaultKind, number>;
  for (const proxy of proxies) for (const kind of FAULT_KINDS) total[kind] += proxy.injected[kind];
  return total;
}

/** A distinct, stable seed per fault source, so changing one source's draws never shifts another's. */
function seedFor(seed: number, source: 'dynamodb' | 'kinesis' | 'firehose' | 'transform' | 'crash'): number {
  const offset = { dynamodb: 1, kinesis: 2, firehose: 3, transform: 4, crash: 5 }[source];
  return (Math.imul(seed, 0x9e3779b1) + offset) >>> 0;
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** Servers, proxies and clients to release in reverse order of creation, whatever happened. */
class ResourceStack {
  private readonly releases: Array<() => unknown> = [];

  push(...resources: ReadonlyArray<{ stop(): Promise<void> }>): void {
    for (const resource of resources) this.releases.push(() => resource.stop());
  }

  defer(release: () => unknown): void {
    this.releases.push(release);
  }

  async release(): Promise<void> {
    for (const release of this.releases.splice(0).reverse()) await Promise.resolve(release()).catch(() => undefined);
  }
}
