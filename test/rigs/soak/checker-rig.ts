import { type AttributeValue, CreateTableCommand, DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import type { KinesisStreamBatchResponse, KinesisStreamEvent } from 'aws-lambda';
import { createCheckerHandler } from '../../../lambda/checker/handler';
import {
  createCrashInjector,
  type CrashInjector,
  type CrashInjectorOptions,
} from '../../../rigs/faults/crash-injector';
import {
  composeInterceptors,
  startFaultProxy,
  type FaultKind,
  type FaultProxy,
} from '../../../rigs/faults/fault-proxy';
import { DeliveryLedger } from '../../../rigs/soak/delivery-ledger';
import { soakDynamoDbClient, soakFirehoseClient, type SoakClientOptions } from '../../../rigs/soak/sdk-clients';
import { LOCAL_CLIENT_CONFIG, startDynalite, type LocalServer } from '../../../local-aws/servers';
import { startRecordingFirehose, type RecordingFirehose, type RecordingFirehoseOptions } from './recording-firehose';
import { dedupTableDefinition } from '../../../local-aws/pipeline/dedup-table';

export interface CheckerRigOptions {
  /** Faults injected in front of DynamoDB. @default none */
  readonly dynamoFaults?: {
    readonly faultRate: number;
    readonly kinds: readonly FaultKind[];
    readonly operations?: readonly string[];
    readonly seed?: number;
  };
  /** @default no crashes */
  readonly crashes?: CrashInjectorOptions;
  readonly clients?: SoakClientOptions;
  /** How the Firehose stand-in answers. @default at once */
  readonly firehose?: RecordingFirehoseOptions;
  /** Backoff of the checker's Firehose retries. @default 1-5 ms, local servers answer at once */
  readonly delivery?: { readonly baseMs: number; readonly maxMs: number };
}

/**
 * The real checker (createCheckerHandler) on its own dynalite table, with a fault proxy in front of DynamoDB and of
 * a recording Firehose, and its SDK clients tagged per invocation. For tests that need the checker's exact
 * behaviour under faults and crashes without the rest of the pipeline.
 */
export interface CheckerRig {
  /** One invocation, through the crash injector. */
  invoke(event: KinesisStreamEvent): Promise<KinesisStreamBatchResponse>;
  readonly firehose: RecordingFirehose;
  readonly dynamoProxy: FaultProxy;
  readonly firehoseProxy: FaultProxy;
  readonly injector: CrashInjector;
  /** What explains raw duplicates: deliveries before crashes, ambiguous deliveries, released claims. */
  readonly ledger: DeliveryLedger;
  /** Items in the dedup table, read directly (not through the proxy). */
  claims(): Promise<number>;
  stop(): Promise<void>;
}

const TABLE = 'ctr-lake-dedup';

export async function startCheckerRig(options: CheckerRigOptions = {}): Promise<CheckerRig> {
  // Quiet handlers: per-record log lines and EMF documents would flood the test output.
  process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
  process.env.POWERTOOLS_METRICS_DISABLED = 'true';
  const [dynalite, firehose]: [LocalServer, RecordingFirehose] = await Promise.all([
    startDynalite(),
    startRecordingFirehose(options.firehose),
  ]);
  const direct = new DynamoDBClient({ ...LOCAL_CLIENT_CONFIG, endpoint: dynalite.endpoint });
  await direct.send(new CreateTableCommand(dedupTableDefinition(TABLE)));
  const injector = createCrashInjector(options.crashes ?? { crashRate: 0, seed: 1 });
  const ledger = new DeliveryLedger({ isDead: (invocation) => injector.isDead(invocation) });
  const faults = options.dynamoFaults;
  const [dynamoProxy, firehoseProxy] = await Promise.all([
    startFaultProxy({
      service: 'dynamodb',
      target: dynalite.endpoint,
      faultRate: faults?.faultRate ?? 0,
      seed: faults?.seed ?? 1,
      ...(faults ? { kinds: faults.kinds } : {}),
      ...(faults?.operations ? { operations: faults.operations } : {}),
      interceptor: composeInterceptors(injector.deadInvocationInterceptor, ledger.dedupStoreObserver),
    }),
    startFaultProxy({
      service: 'firehose',
      target: firehose.endpoint,
      faultRate: 0,
      seed: 1,
      interceptor: composeInterceptors(injector.deliveryInterceptor, ledger.deliveryObserver),
    }),
  ]);
  const dynamoDb = soakDynamoDbClient(dynamoProxy.endpoint, options.clients);
  const firehoseClient = soakFirehoseClient(firehoseProxy.endpoint, {
    ...options.clients,
    onAttemptFailed: (attempt) => ledger.attemptFailed(attempt),
  });
  // Each execution environment builds its own checker (config, adapters, caches) around the shared clients.
  const createChecker = () =>
    createCheckerHandler({
      env: { DEDUP_TABLE_NAME: TABLE, DELIVERY_STREAM_NAME: 'ctr-lake-delivery' },
      dynamoDb,
      firehose: firehoseClient,
      delivery: options.delivery ?? { baseMs: 1, maxMs: 5 },
    });

  return {
    invoke: injector.wrap(createChecker),
    firehose,
    dynamoProxy,
    firehoseProxy,
    injector,
    ledger,
    claims: () => countItems(direct, TABLE),
    stop: async () => {
      await injector.settle();
      dynamoDb.destroy();
      firehoseClient.destroy();
      direct.destroy();
      await Promise.all([dynamoProxy.stop(), firehoseProxy.stop(), dynalite.stop(), firehose.stop()]);
    },
  };
}

/** Counts a table's items; Scan pages at 1 MB, so a big table takes several calls. */
export async function countItems(client: DynamoDBClient, table: string): Promise<number> {
  let count = 0;
  let start: Record<string, AttributeValue> | undefined;
  do {
    const page = await client.send(new ScanCommand({ TableName: table, Select: 'COUNT', ExclusiveStartKey: start }));
    count += page.Count ?? 0;
    start = page.LastEvaluatedKey;
  } while (start !== undefined);
  return count;
}
