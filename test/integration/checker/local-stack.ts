import {
  CreateTableCommand,
  DynamoDBClient,
  UpdateTimeToLiveCommand,
  type DynamoDBClientConfig,
} from '@aws-sdk/client-dynamodb';
import { FirehoseClient } from '@aws-sdk/client-firehose';
import {
  CreateStreamCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
  ListShardsCommand,
  waitUntilStreamExists,
  type KinesisClient,
} from '@aws-sdk/client-kinesis';
import type { KinesisStreamRecord } from 'aws-lambda';
import { KinesisRecordPublisher } from '../../../lambda/emulator/adapters/kinesis-publisher';
import { createEmulator, type EmulatorResult } from '../../../lambda/emulator/emulator';
import { createKinesisClient } from '../../../lambda/shared/adapters/kinesis-client';
import { createObservability } from '../../../lambda/shared/observability';
import { LOCAL_CLIENT_CONFIG, startKinesalite, type LocalServer } from '../../../local-aws/servers';
import { startFirehoseCaptureServer, type FirehoseCaptureServer } from '../../support/firehose-capture-server';
import { dedupTableDefinition } from '../../../local-aws/pipeline/dedup-table';

/**
 * The checker's neighbours on loopback: kinesalite with the real emulator in front, a DynamoDB emulator (dynalite or
 * DynamoDB Local), and a Firehose capture server, each reached with the real SDK client.
 */
export interface CheckerLocalStack {
  readonly kinesis: KinesisClient;
  readonly dynamoDb: DynamoDBClient;
  readonly firehose: FirehoseClient;
  readonly capture: FirehoseCaptureServer;
  readonly servers: { readonly kinesis: LocalServer; readonly dynamoDb: LocalServer };
  /** A fresh dedup table (TTL enabled where the server implements it). */
  createTable(name: string): Promise<void>;
  /** A fresh one-shard stream. */
  createStream(name: string): Promise<void>;
  /** Puts CTRs on a stream through the real emulator core, as the emulator Lambda does. */
  sendCtrs(streamName: string, ctrs: readonly unknown[]): Promise<EmulatorResult>;
  /** Reads the stream back as the records of a Lambda Kinesis event, in sequence order. */
  readRecords(streamName: string): Promise<KinesisStreamRecord[]>;
  stop(): Promise<void>;
}

export async function startCheckerLocalStack(
  startDynamoDb: () => Promise<LocalServer>,
  dynamoDbConfig: Partial<DynamoDBClientConfig> = {},
): Promise<CheckerLocalStack> {
  // Quiet handlers: per-invocation log lines and EMF documents would flood the test output.
  process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
  process.env.POWERTOOLS_METRICS_DISABLED = 'true';
  const [kinesisServer, dynamoDbServer, capture] = await Promise.all([
    startKinesalite(),
    startDynamoDb(),
    startFirehoseCaptureServer(),
  ]);
  const kinesis = createKinesisClient({ ...LOCAL_CLIENT_CONFIG, endpoint: kinesisServer.endpoint });
  const dynamoDb = new DynamoDBClient({ ...LOCAL_CLIENT_CONFIG, endpoint: dynamoDbServer.endpoint, ...dynamoDbConfig });
  const firehose = new FirehoseClient({ ...LOCAL_CLIENT_CONFIG, endpoint: capture.endpoint });
  const { logger, metrics } = createObservability('ctr-lake-emulator');

  return {
    kinesis,
    dynamoDb,
    firehose,
    capture,
    servers: { kinesis: kinesisServer, dynamoDb: dynamoDbServer },

    async createTable(name) {
      await dynamoDb.send(new CreateTableCommand(dedupTableDefinition(name)));
      // dynalite has no TTL API; the protocol does not need one (the claim condition treats expired as absent).
      if (dynamoDbServer.name === 'dynamodb-local') {
        await dynamoDb.send(
          new UpdateTimeToLiveCommand({
            TableName: name,
            TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
          }),
        );
      }
    },

    async createStream(name) {
      await kinesis.send(new CreateStreamCommand({ StreamName: name, ShardCount: 1 }));
      await waitUntilStreamExists({ client: kinesis, maxWaitTime: 30, minDelay: 1 }, { StreamName: name });
    },

    sendCtrs(streamName, ctrs) {
      const emulate = createEmulator({ publisher: new KinesisRecordPublisher(kinesis, streamName), logger, metrics });
      return emulate([...ctrs]);
    },

    async readRecords(streamName) {
      const { Shards = [] } = await kinesis.send(new ListShardsCommand({ StreamName: streamName }));
      const shardId = Shards[0]?.ShardId ?? 'shardId-000000000000';
      let { ShardIterator: iterator } = await kinesis.send(
        new GetShardIteratorCommand({ StreamName: streamName, ShardId: shardId, ShardIteratorType: 'TRIM_HORIZON' }),
      );
      const records: KinesisStreamRecord[] = [];
      while (iterator) {
        const page = await kinesis.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 10_000 }));
        for (const r of page.Records ?? []) {
          records.push(
            toLambdaRecord(
              streamName,
              shardId,
              r.SequenceNumber ?? '',
              r.PartitionKey ?? '',
              r.Data,
              r.ApproximateArrivalTimestamp,
            ),
          );
        }
        // An open shard always returns a next iterator: an empty page means we are caught up.
        iterator = page.Records?.length ? page.NextShardIterator : undefined;
      }
      return records;
    },

    async stop() {
      kinesis.destroy();
      dynamoDb.destroy();
      firehose.destroy();
      await Promise.all([kinesisServer.stop(), dynamoDbServer.stop(), capture.stop()]);
    },
  };
}

/** One record exactly as the Kinesis event source mapping hands it to Lambda. */
function toLambdaRecord(
  streamName: string,
  shardId: string,
  sequenceNumber: string,
  partitionKey: string,
  data: Uint8Array | undefined,
  arrival: Date | undefined,
): KinesisStreamRecord {
  const { region } = LOCAL_CLIENT_CONFIG;
  return {
    kinesis: {
      kinesisSchemaVersion: '1.0',
      partitionKey,
      sequenceNumber,
      data: Buffer.from(data ?? new Uint8Array()).toString('base64'),
      approximateArrivalTimestamp: (arrival ?? new Date()).getTime() / 1000,
    },
    eventSource: 'aws:kinesis',
    eventVersion: '1.0',
    eventID: `${shardId}:${sequenceNumber}`,
    eventName: 'aws:kinesis:record',
    invokeIdentityArn: 'arn:aws:iam::111122223333:role/ctr-lake-checker',
    awsRegion: region,
    eventSourceARN: `arn:aws:kinesis:${region}:111122223333:stream/${streamName}`,
  };
}
