import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { KinesisClient } from '@aws-sdk/client-kinesis';
import type { FirehoseTransformationEvent, KinesisStreamEvent } from 'aws-lambda';
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { KinesisRecordPublisher } from '../../lambda/emulator/adapters/kinesis-publisher';
import type { RecordPublisher } from '../../lambda/emulator/record-publisher';
import { createKinesisClient } from '../../lambda/shared/adapters/kinesis-client';
import { DEFAULT_PROJECTION_START_YEAR } from '../../lambda/shared/row-schema';
import { PII_ENV } from '../../lambda/transform/pii/pii-policy';
import { KinesisEventSource } from '../event-source/kinesis-event-source';
import { DeliveryStream } from '../firehose/delivery-stream';
import { startLocalFirehose } from '../firehose/firehose-server';
import { localFunctionArn } from '../lambda-runtime/lambda-context';
import { LOCAL_REGION } from '../lambda-runtime/local-identity';
import { LocalFunction } from '../lambda-runtime/local-function';
import { LakeWriter, stateDir } from '../lake/lake-writer';
import { ensureLocalKey } from '../pii/local-key';
import { startLocalSecretsManager } from '../secrets-manager/secrets-manager-server';
import {
  LOCAL_CLIENT_CONFIG,
  LOCAL_INFRASTRUCTURE_TIMEOUTS,
  startDynalite,
  startDynamoDbLocal,
  startKinesalite,
  type LocalServer,
} from '../servers';
import { startRedisServer } from '../servers/redis-server';
import { functionEnvironment, type LocalEndpoints } from './function-environment';
import { dedupStateDir, type DedupBackend } from './dedup-state';
import { createStream, ensureDedupTable } from './local-resources';
import { LOCAL_NAMES, localArn } from './local-names';
import { writeOnFailureRecord } from './on-failure';
import { OutcomeTally, type OutcomeCounts } from './outcome-tally';
import type {
  InvocationFaults,
  LocalPipelineOptions,
  LocalService,
  PiiReport,
  PipelineDetails,
  ServiceInterposer,
} from './pipeline-options';

const LAMBDA_DIR = resolve(__dirname, '..', '..', 'lambda');

type FunctionRole = 'emulator' | 'checker' | 'transform';

/** What the emulator handler returns (lambda/emulator/emulator.ts). */
interface EmulatorAnswer {
  readonly sent?: number;
  readonly failed?: number;
}

/**
 * The whole pipeline on 127.0.0.1, running the real handlers: emulator → kinesalite → event source → checker →
 * (dynalite or DynamoDB Local) + local Firehose → transform → lake directory. Start it, `send` events, `drain` the
 * stream, `flush` Firehose; `counts()`/`details()` report what happened; `stop()` releases everything.
 */
export class LocalPipeline {
  readonly lakeDir: string;
  private readonly tally: OutcomeTally;
  private readonly started = Date.now();
  private readonly emulatorTotals = { sent: 0, failed: 0 };
  private checkerInvocations = 0;
  private checkerRetries = 0;
  private eventSource!: KinesisEventSource;
  private deliveryStream!: DeliveryStream;
  private writer!: LakeWriter;
  private kinesis!: KinesisClient;
  private firehoseEndpoint!: string;
  private functions!: Record<FunctionRole, LocalFunction>;
  private ttlEnabled = false;
  /** redis://127.0.0.1:<port> when the claims are in redis-server (`dynamoDb: 'valkey'`). */
  private valkeyEndpoint: string | undefined;
  private readonly servers: LocalServer[] = [];
  private readonly interposers = new Map<LocalService, ServiceInterposer>();
  private piiReport!: PiiReport;
  /** The transform's PII environment, with the local Secrets Manager endpoint when it needs the key. */
  private piiEnvironment: Record<string, string> = {};

  private constructor(private readonly options: LocalPipelineOptions) {
    this.lakeDir = resolve(options.lakeDir);
    this.tally = new OutcomeTally(options.dedupKeyStrategy ?? 'content');
  }

  static async start(options: LocalPipelineOptions): Promise<LocalPipeline> {
    const pipeline = new LocalPipeline(options);
    try {
      await pipeline.boot();
    } catch (error) {
      await pipeline.stop();
      throw error;
    }
    return pipeline;
  }

  /** Invokes the emulator with one event; rejects (LambdaInvocationError) if the emulator refuses it. */
  async send(event: unknown): Promise<{ sent: number; failed: number }> {
    const answer = await this.functions.emulator.invoke<EmulatorAnswer>(event);
    const sent = answer?.sent ?? 0;
    const failed = answer?.failed ?? 0;
    this.emulatorTotals.sent += sent;
    this.emulatorTotals.failed += failed;
    return { sent, failed };
  }

  /** The emulator's publisher (PutRecords) on the local stream, for callers that put records themselves. */
  streamPublisher(): RecordPublisher {
    return new KinesisRecordPublisher(this.kinesis, LOCAL_NAMES.stream);
  }

  /** The local Firehose's endpoint and delivery stream, for callers that put records on it themselves. */
  get firehose(): { readonly endpoint: string; readonly deliveryStreamName: string } {
    return { endpoint: this.firehoseEndpoint, deliveryStreamName: LOCAL_NAMES.deliveryStream };
  }

  /** Runs the checker over every record on the stream not yet processed. */
  drain(): Promise<void> {
    return this.eventSource.drain();
  }

  /** Delivers everything Firehose has buffered to the lake. */
  flush(): Promise<void> {
    return this.deliveryStream.flush();
  }

  counts(): OutcomeCounts {
    return this.tally.counts();
  }

  /** Records the checker has been given so far. */
  get recordsChecked(): number {
    return this.tally.recordsSeen;
  }

  details(): PipelineDetails {
    const stats = this.deliveryStream.stats;
    return {
      emulator: { ...this.emulatorTotals },
      checkerInvocations: this.checkerInvocations,
      checkerRetries: this.checkerRetries,
      transformInvocations: stats.transformInvocations,
      transformRetries: stats.transformRetries,
      rowsWritten: stats.rows,
      objectsWritten: stats.objects,
      metrics: {
        emulator: { ...this.functions.emulator.metrics },
        checker: { ...this.functions.checker.metrics },
        transform: { ...this.functions.transform.metrics },
      },
      faultsInjected: Object.fromEntries(
        [...this.interposers].map(([service, interposer]) => [service, { ...interposer.injected }]),
      ),
      dedupTtlEnabled: this.ttlEnabled,
      durationMs: Date.now() - this.started,
    };
  }

  /** Which PII mode the transform ran in, and with which key. */
  get pii(): PiiReport {
    return this.piiReport;
  }

  /** Records written under the error prefix in this run. */
  get errorRecords(): number {
    return this.deliveryStream.stats.errorRecords;
  }

  /** Lake-relative keys of the error objects written in this run. */
  get errorObjects(): readonly string[] {
    return this.deliveryStream.errorObjects;
  }

  /** Stops every function, server and proxy; safe to call more than once and after a failed start. */
  async stop(): Promise<void> {
    const functions = this.functions ? Object.values(this.functions) : [];
    await Promise.allSettled(functions.map((fn) => fn.stop()));
    this.kinesis?.destroy();
    this.deliveryStream?.dispose();
    await this.writer?.close();
    await Promise.allSettled([...this.interposers.values()].map((interposer) => interposer.stop()));
    await Promise.allSettled(this.servers.map((server) => server.stop()));
  }

  private async boot(): Promise<void> {
    const { options } = this;
    const backend = options.dynamoDb ?? 'dynalite';
    // Before anything starts: a lake whose dedup state is in the other server is refused.
    const dedupDir = await dedupStateDir(this.lakeDir, backend);
    await mkdir(stateDir(this.lakeDir), { recursive: true });

    // DynamoDB Local refuses a database directory that does not exist yet; dynalite and redis-server create theirs.
    if (backend === 'dynamodb-local') await mkdir(dedupDir, { recursive: true });
    const [dedup, kinesalite] = await this.startServers(startDedupServer(backend, dedupDir), startKinesalite());

    this.kinesis = createKinesisClient(
      { ...LOCAL_CLIENT_CONFIG, endpoint: kinesalite.endpoint },
      process.env,
      LOCAL_INFRASTRUCTURE_TIMEOUTS,
    );
    let dynamodb: string | undefined;
    if (backend === 'valkey') {
      this.valkeyEndpoint = dedup.endpoint;
    } else {
      dynamodb = dedup.endpoint;
    }
    const dynamoClient = dynamodb ? new DynamoDBClient({ ...LOCAL_CLIENT_CONFIG, endpoint: dynamodb }) : undefined;
    try {
      const [table, streamArn] = await Promise.all([
        // redis-server expires the claims itself (PEXPIREAT at expiresAt): TTL on, as the stack's table has it.
        dynamoClient ? ensureDedupTable(dynamoClient, LOCAL_NAMES.dedupTable) : { ttl: true },
        createStream(this.kinesis, LOCAL_NAMES.stream, options.shardCount ?? 1),
      ]);
      this.ttlEnabled = table.ttl;
      await this.preparePii();
      this.startDelivery();
      const firehose = await startLocalFirehose({
        streams: new Map([[LOCAL_NAMES.deliveryStream, this.deliveryStream]]),
        onAccepted: (_stream, records) => records.forEach((record) => this.tally.observeEnvelope(record)),
      });
      this.servers.push(firehose);
      this.firehoseEndpoint = firehose.endpoint;

      const endpoints = await this.interposeServices({
        kinesis: kinesalite.endpoint,
        ...(dynamodb === undefined ? {} : { dynamodb }),
        firehose: firehose.endpoint,
      });
      this.functions = this.createFunctions(endpoints);
      this.eventSource = this.createEventSource(streamArn);
      await Promise.all(Object.values(this.functions).map((fn) => fn.start()));
    } finally {
      dynamoClient?.destroy();
    }
  }

  /**
   * The transform's PII settings. To pseudonymise, the lake's key file (created on first run) is served by a local
   * Secrets Manager, so the transform reads it through its real Secrets Manager adapter, as deployed.
   */
  private async preparePii(): Promise<void> {
    const { mode, attributeKeys = [], keyVersion = 1 } = this.options.pii ?? { mode: 'pseudonymise' };
    this.piiEnvironment = { [PII_ENV.mode]: mode, [PII_ENV.attributeKeys]: JSON.stringify(attributeKeys) };
    this.piiReport = { mode, attributeKeys };
    if (mode !== 'pseudonymise') return;
    const local = await ensureLocalKey(this.lakeDir, keyVersion);
    const secret = {
      name: LOCAL_NAMES.pseudonymKey,
      arn: localArn.secret(LOCAL_NAMES.pseudonymKey),
      secretString: local.secretString,
    };
    const server = await startLocalSecretsManager([secret]);
    this.servers.push(server);
    this.piiEnvironment = {
      ...this.piiEnvironment,
      [PII_ENV.keySecretId]: secret.arn,
      [PII_ENV.keyVersion]: String(keyVersion),
      AWS_ENDPOINT_URL_SECRETS_MANAGER: server.endpoint,
    };
    this.piiReport = { mode, attributeKeys, keyVersion: local.key.version, keyFile: local.path };
  }

  /** Waits for every server; if one fails to start, the others are still tracked so that stop() stops them. */
  private async startServers(...starting: Promise<LocalServer>[]): Promise<LocalServer[]> {
    const settled = await Promise.allSettled(starting);
    for (const result of settled) if (result.status === 'fulfilled') this.servers.push(result.value);
    const failed = settled.find((result) => result.status === 'rejected');
    if (failed) throw failed.reason;
    return settled.map((result) => (result as PromiseFulfilledResult<LocalServer>).value);
  }

  private startDelivery(): void {
    const { options } = this;
    this.writer = new LakeWriter({
      lakeDir: this.lakeDir,
      format: options.format ?? 'parquet',
      streamName: LOCAL_NAMES.deliveryStream,
    });
    this.deliveryStream = new DeliveryStream({
      name: LOCAL_NAMES.deliveryStream,
      arn: localArn.deliveryStream(LOCAL_NAMES.deliveryStream),
      region: LOCAL_REGION,
      transformArn: `${localFunctionArn(LOCAL_NAMES.transform)}:$LATEST`,
      writer: this.writer,
      transform: (event, attempt) =>
        this.invokeWithFaults(this.functions.transform, options.faults?.transform, event, attempt),
      ...(options.firehose?.bufferSizeBytes !== undefined ? { bufferSizeBytes: options.firehose.bufferSizeBytes } : {}),
      ...(options.firehose?.bufferIntervalMs !== undefined
        ? { bufferIntervalMs: options.firehose.bufferIntervalMs }
        : {}),
      ...(options.firehose?.transformRetries !== undefined
        ? { transformRetries: options.firehose.transformRetries }
        : {}),
    });
  }

  /** Puts what `faults.interpose` makes in front of each service; returns the endpoints the handlers call. */
  private async interposeServices(direct: LocalEndpoints): Promise<LocalEndpoints> {
    const interpose = this.options.faults?.interpose;
    if (!interpose) return direct;
    const endpoints = { ...direct };
    for (const service of Object.keys(direct) as LocalService[]) {
      const target = direct[service];
      if (target === undefined) continue;
      const interposer = await interpose(service, target);
      if (!interposer) continue;
      this.interposers.set(service, interposer);
      endpoints[service] = interposer.endpoint;
    }
    return endpoints;
  }

  private createFunctions(endpoints: LocalEndpoints): Record<FunctionRole, LocalFunction> {
    const { options } = this;
    const own: Record<FunctionRole, Record<string, string>> = {
      emulator: { STREAM_NAME: LOCAL_NAMES.stream },
      checker: {
        ...(this.valkeyEndpoint === undefined
          ? { DEDUP_TABLE_NAME: LOCAL_NAMES.dedupTable }
          : { DEDUP_STORE: 'valkey', VALKEY_ENDPOINT: this.valkeyEndpoint }),
        DELIVERY_STREAM_NAME: LOCAL_NAMES.deliveryStream,
        DEDUP_TTL_HOURS: String(options.dedupTtlHours ?? 24),
        DEDUP_KEY_STRATEGY: options.dedupKeyStrategy ?? 'content',
      },
      transform: {
        PROJECTION_START_YEAR: String(options.projectionStartYear ?? DEFAULT_PROJECTION_START_YEAR),
        ...this.piiEnvironment,
      },
    };
    const make = (role: FunctionRole): LocalFunction => {
      const functionName = LOCAL_NAMES[role];
      return new LocalFunction({
        functionName,
        modulePath: join(LAMBDA_DIR, role, 'handler.ts'),
        environment: functionEnvironment(
          endpoints,
          { serviceName: functionName, logLevel: options.logLevel ?? 'SILENT' },
          { ...own[role], ...options.environment?.[role] },
        ),
        ...(options.onLog ? { onLog: options.onLog } : {}),
      });
    };
    return { emulator: make('emulator'), checker: make('checker'), transform: make('transform') };
  }

  private createEventSource(streamArn: string): KinesisEventSource {
    const { options } = this;
    const checkerArn = localFunctionArn(LOCAL_NAMES.checker);
    return new KinesisEventSource({
      kinesis: this.kinesis,
      streamName: LOCAL_NAMES.stream,
      identity: { streamArn, region: LOCAL_REGION, invokeIdentityArn: localArn.role(LOCAL_NAMES.checker) },
      invoke: (event, { attempt }) => {
        // Observed before the call, so that the batch composition is known whatever the invocation's outcome.
        this.tally.observeInvocation(
          event.Records.map((r) => ({
            sequenceNumber: r.kinesis.sequenceNumber,
            data: Buffer.from(r.kinesis.data, 'base64'),
          })),
        );
        return this.invokeWithFaults(this.functions.checker, options.faults?.checker, event, attempt);
      },
      ...(options.batchSize !== undefined ? { batchSize: options.batchSize } : {}),
      ...(options.parallelizationFactor !== undefined ? { parallelizationFactor: options.parallelizationFactor } : {}),
      ...(options.maximumRetryAttempts !== undefined ? { maximumRetryAttempts: options.maximumRetryAttempts } : {}),
      bisectBatchOnFunctionError: options.bisectBatchOnFunctionError ?? true,
      onInvocation: (report) => {
        this.checkerInvocations += 1;
        if (report.isRetry) this.checkerRetries += 1;
        options.onProgress?.({ stage: 'check', done: this.tally.recordsSeen, total: this.emulatorTotals.sent });
      },
      onFailure: async (batch) => {
        this.tally.observeAbandoned(batch.records.map((r) => r.SequenceNumber ?? ''));
        await writeOnFailureRecord(this.lakeDir, checkerArn, batch);
      },
    });
  }

  private async invokeWithFaults<TEvent extends KinesisStreamEvent | FirehoseTransformationEvent>(
    fn: LocalFunction,
    faults: InvocationFaults<TEvent> | undefined,
    event: TEvent,
    attempt: number,
  ): Promise<unknown> {
    await faults?.before?.(event, attempt);
    const result = await fn.invoke(event);
    await faults?.after?.(event, result, attempt);
    return result;
  }
}

/** The server that holds the lake's dedup claims, keeping them in `dir` across runs. */
function startDedupServer(backend: DedupBackend, dir: string): Promise<LocalServer> {
  if (backend === 'valkey') return startRedisServer({ dir });
  return backend === 'dynamodb-local' ? startDynamoDbLocal({ path: dir }) : startDynalite({ path: dir });
}
