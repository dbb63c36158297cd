import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { KinesisStreamEvent } from 'aws-lambda';
import type { Ctr } from '../../../../lambda/shared/ctr';
import { contentFingerprint } from '../../../../lambda/shared/fingerprint';
import type { BenchDesign } from '../../../../rigs/bench/bench-checker';
import { createBenchClients, createDesignTable, type DesignWiring } from '../../../../rigs/bench/designs';
import { startFirehoseCountingSink, type FirehoseCountingSink } from '../../../../rigs/bench/firehose-counting-sink';
import { RequestCounter } from '../../../../rigs/bench/request-counter';
import {
  LOCAL_CLIENT_CONFIG,
  startDynalite,
  startDynamoDbLocal,
  type LocalServer,
} from '../../../../local-aws/servers';
import { loadedMachineLimit } from '../../../support/loaded-machine';
import { aChatCtr, aLaterVersion, anAbandonedCtr, aVoiceCtr, kinesisEvent } from '../../../support/ctr-factory';

/**
 * A small stream with both kinds of duplicate, for the designs' correctness tests: three batches (three checker
 * invocations), 10 records, 6 distinct CTRs (one of them a later version of another: a different record), 2
 * duplicates inside a batch and 2 across batches.
 */
export interface DuplicatedStream {
  readonly batches: readonly KinesisStreamEvent[];
  readonly uniqueFingerprints: ReadonlySet<string>;
  readonly inputRecords: number;
  readonly inBatchDuplicates: number;
  readonly crossBatchDuplicates: number;
}

export function aDuplicatedStream(): DuplicatedStream {
  const a = aVoiceCtr();
  const b = anAbandonedCtr();
  const c = aChatCtr();
  const d = aVoiceCtr();
  const e = aLaterVersion(a);
  const f = anAbandonedCtr();
  const batchesOfCtrs: Ctr[][] = [
    [a, b, a, c],
    [d, b, e, e],
    [c, f],
  ];
  let firstIndex = 0;
  const batches = batchesOfCtrs.map((ctrs) => {
    const event = kinesisEvent(ctrs, { firstIndex });
    firstIndex += ctrs.length;
    return event;
  });
  return {
    batches,
    uniqueFingerprints: new Set([a, b, c, d, e, f].map((ctr) => contentFingerprint(ctr))),
    inputRecords: 10,
    inBatchDuplicates: 2,
    crossBatchDuplicates: 2,
  };
}

/**
 * Where a design's table lives: dynalite (in this process, fast to start), or DynamoDB Local (AWS's emulator, a JVM)
 * for a design that relies on what dynalite lacks, such as `ReturnValuesOnConditionCheckFailure`.
 */
export type DesignStore = 'dynalite' | 'dynamodb-local';

/** A DynamoDB emulator and the counting Firehose sink, started once per test file. */
export interface BenchServers {
  readonly dynamoDb: LocalServer;
  readonly sink: FirehoseCountingSink;
  stop(): Promise<void>;
}

export async function startBenchServers(store: DesignStore = 'dynalite'): Promise<BenchServers> {
  const dynamoDb = store === 'dynalite' ? await startDynalite() : await startDynamoDbLocal();
  const sink = await startFirehoseCountingSink();
  return { dynamoDb, sink, stop: async () => void (await Promise.all([dynamoDb.stop(), sink.stop()])) };
}

let tableCounter = 0;
/** A fresh table name per test, so tests never see each other's claims. */
export function aTableName(prefix: string): string {
  tableCounter += 1;
  return `${prefix}-${tableCounter}`;
}

/** A design's table on the shared emulator, and clients that count their requests, pointed at it and the sink. */
export interface DesignWorld {
  readonly tableName: string;
  readonly counter: RequestCounter;
  readonly wiring: DesignWiring;
}

/**
 * DynamoDB Local starts a JVM (about 5 s unloaded): the hook's limit stays above startDynamoDbLocal's own start
 * timeout, so a Java that never answers fails with its message rather than jest's.
 */
const JVM_START_MS = loadedMachineLimit(15);

/**
 * A DynamoDB emulator, the sink and an admin client for one test file, and a fresh table per call of
 * `aDesignWorld`: the setup every design's correctness test shares.
 */
export function useDesignServers(store: DesignStore = 'dynalite'): {
  readonly servers: () => BenchServers;
  readonly admin: () => DynamoDBClient;
  aDesignWorld(design: BenchDesign): Promise<DesignWorld>;
} {
  let servers: BenchServers;
  let admin: DynamoDBClient;
  beforeAll(async () => {
    servers = await startBenchServers(store);
    admin = new DynamoDBClient({ ...LOCAL_CLIENT_CONFIG, endpoint: servers.dynamoDb.endpoint });
  }, JVM_START_MS);
  afterAll(async () => {
    admin?.destroy();
    await servers?.stop();
  });
  return {
    servers: () => servers,
    admin: () => admin,
    async aDesignWorld(design) {
      const tableName = aTableName(design);
      await createDesignTable(admin, design, tableName);
      const counter = new RequestCounter();
      const clients = createBenchClients(
        { dynamoDb: servers.dynamoDb.endpoint, firehose: servers.sink.endpoint },
        counter,
      );
      return { tableName, counter, wiring: { ...clients, tableName, deliveryStreamName: tableName } };
    },
  };
}
