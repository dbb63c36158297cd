import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  type CreateTableCommandInput,
} from '@aws-sdk/client-dynamodb';
import { FirehoseClient } from '@aws-sdk/client-firehose';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { setTimeout as sleep } from 'node:timers/promises';
// local-server, not the servers index: the worker bundle must not pull in the emulators.
import { dedupTableDefinition } from '../../local-aws/pipeline/dedup-table';
import { LOCAL_CLIENT_CONFIG } from '../../local-aws/servers/local-server';
import { CHECK_THEN_WRITE_TABLE_SHAPE, CheckThenWriteChecker, checkThenWriteTable } from './baselines/check-then-write';
import { POWERTOOLS_TABLE_SHAPE, PowertoolsChecker, powertoolsTable } from './baselines/powertools';
import type { BenchChecker, BenchDesign, WorkerDesign } from './bench-checker';
import type { TableShape } from './capacity-units';
import { OUR_TABLE_SHAPE, OurChecker } from './our-checker';
import type { RequestCounter } from './request-counter';
import { ValkeyChecker } from './valkey-checker';

/** Each design's table definition and billing shape, by design name. */
const POWERTOOLS_TABLE = { define: powertoolsTable, shape: POWERTOOLS_TABLE_SHAPE };

export const DESIGN_TABLES: Record<
  BenchDesign,
  { define(tableName: string): CreateTableCommandInput; shape: TableShape }
> = {
  ours: { define: dedupTableDefinition, shape: OUR_TABLE_SHAPE },
  checkThenWrite: { define: checkThenWriteTable, shape: CHECK_THEN_WRITE_TABLE_SHAPE },
  powertools: POWERTOOLS_TABLE,
  powertoolsSequential: POWERTOOLS_TABLE,
  powertoolsRawKey: POWERTOOLS_TABLE,
};

export interface DesignWiring {
  readonly dynamoDb: DynamoDBClient;
  readonly firehose: FirehoseClient;
  readonly tableName: string;
  readonly deliveryStreamName: string;
  /** The Valkey design's server (or its latency proxy), `redis://127.0.0.1:<port>`, and what counts its requests. */
  readonly valkey?: { readonly endpoint: string; readonly counter: RequestCounter };
}

export function createChecker(design: WorkerDesign, wiring: DesignWiring): BenchChecker {
  switch (design) {
    case 'ours':
      return new OurChecker(wiring);
    case 'valkey':
      if (!wiring.valkey) throw new Error('the valkey design needs a Valkey endpoint');
      return new ValkeyChecker({
        ...wiring.valkey,
        firehose: wiring.firehose,
        deliveryStreamName: wiring.deliveryStreamName,
      });
    case 'checkThenWrite':
      return new CheckThenWriteChecker(wiring);
    case 'powertools':
    case 'powertoolsSequential':
    case 'powertoolsRawKey':
      return new PowertoolsChecker({ ...wiring, variant: design });
  }
}

export interface BenchEndpoints {
  readonly dynamoDb: string;
  readonly firehose: string;
  /** The Valkey design's server, when one runs: `redis://127.0.0.1:<port>`. */
  readonly valkey?: string;
}

/**
 * SDK clients for the local servers, each carrying the request counter. Keep-alive sockets, enough of them for the
 * requests our checker and Powertools' parallel batch processor run concurrently, as a warm Lambda would hold them.
 */
export function createBenchClients(
  endpoints: BenchEndpoints,
  counter: RequestCounter,
): { dynamoDb: DynamoDBClient; firehose: FirehoseClient } {
  const handler = (): NodeHttpHandler => new NodeHttpHandler({ httpAgent: { keepAlive: true, maxSockets: 64 } });
  const dynamoDb = new DynamoDBClient({
    ...LOCAL_CLIENT_CONFIG,
    endpoint: endpoints.dynamoDb,
    requestHandler: handler(),
  });
  const firehose = new FirehoseClient({
    ...LOCAL_CLIENT_CONFIG,
    endpoint: endpoints.firehose,
    requestHandler: handler(),
  });
  counter.attach(dynamoDb, 'dynamodb');
  counter.attach(firehose, 'firehose');
  return { dynamoDb, firehose };
}

/** Creates a design's table and waits until it and its indexes are ACTIVE (dynalite activates them asynchronously). */
export async function createDesignTable(client: DynamoDBClient, design: BenchDesign, tableName: string): Promise<void> {
  await client.send(new CreateTableCommand(DESIGN_TABLES[design].define(tableName)));
  for (let attempt = 0; attempt < 200; attempt++) {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    const indexesActive = (Table?.GlobalSecondaryIndexes ?? []).every((index) => index.IndexStatus === 'ACTIVE');
    if (Table?.TableStatus === 'ACTIVE' && indexesActive) return;
    await sleep(10);
  }
  throw new Error(`table ${tableName} did not become ACTIVE`);
}
