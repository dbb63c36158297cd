import {
  CreateStreamCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
  ListShardsCommand,
  waitUntilStreamExists,
  type KinesisClient,
} from '@aws-sdk/client-kinesis';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { KinesisRecordPublisher } from '../../lambda/emulator/adapters/kinesis-publisher';
import { createEmulator, type EmulatorResult } from '../../lambda/emulator/emulator';
import { createKinesisClient } from '../../lambda/shared/adapters/kinesis-client';
import { createObservability } from '../../lambda/shared/observability';
import { LOCAL_CLIENT_CONFIG, startKinesalite, type LocalServer } from '../../local-aws/servers';
import { aCtr } from '../support/ctr-factory';

const SAMPLES = join(__dirname, '..', '..', 'samples');
const STREAM = 'ctr-lake-ctrs';

interface StoredRecord {
  readonly shardId: string;
  readonly partitionKey: string;
  readonly sequenceNumber: string;
  readonly text: string;
}

function readSamples(): unknown[] {
  const files = ['duplicated-ctrs.json', ...readdirSync(join(SAMPLES, 'ctrs')).map((f) => join('ctrs', f))];
  return files.flatMap((file) => {
    const parsed = JSON.parse(readFileSync(join(SAMPLES, file), 'utf8')) as unknown;
    return Array.isArray(parsed) ? parsed : [parsed];
  });
}

/** Reads the whole stream back, shard by shard, in sequence order. */
async function readStream(client: KinesisClient, streamName: string): Promise<StoredRecord[]> {
  const { Shards = [] } = await client.send(new ListShardsCommand({ StreamName: streamName }));
  const records: StoredRecord[] = [];
  for (const shard of Shards) {
    const shardId = shard.ShardId!;
    let { ShardIterator: iterator } = await client.send(
      new GetShardIteratorCommand({ StreamName: streamName, ShardId: shardId, ShardIteratorType: 'TRIM_HORIZON' }),
    );
    while (iterator) {
      const page = await client.send(new GetRecordsCommand({ ShardIterator: iterator }));
      for (const r of page.Records ?? []) {
        records.push({
          shardId,
          partitionKey: r.PartitionKey!,
          sequenceNumber: r.SequenceNumber!,
          text: Buffer.from(r.Data!).toString('utf8'),
        });
      }
      // An open shard always returns a next iterator: an empty page means we are caught up.
      iterator = page.Records?.length ? page.NextShardIterator : undefined;
    }
  }
  return records;
}

describe('emulator → kinesalite (real handler, real SDK client)', () => {
  let server: LocalServer;
  let client: KinesisClient;
  let handler: (event: unknown) => Promise<EmulatorResult>;
  const savedEnv = { ...process.env };

  beforeAll(async () => {
    server = await startKinesalite();
    client = createKinesisClient({ ...LOCAL_CLIENT_CONFIG, endpoint: server.endpoint });
    await client.send(new CreateStreamCommand({ StreamName: STREAM, ShardCount: 4 }));
    await waitUntilStreamExists({ client, maxWaitTime: 30, minDelay: 1 }, { StreamName: STREAM });

    // What the local runner does: point the standard variables at the server, then load the handler unchanged.
    Object.assign(process.env, {
      STREAM_NAME: STREAM,
      AWS_ENDPOINT_URL_KINESIS: server.endpoint,
      AWS_REGION: LOCAL_CLIENT_CONFIG.region,
      AWS_ACCESS_KEY_ID: LOCAL_CLIENT_CONFIG.credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: LOCAL_CLIENT_CONFIG.credentials.secretAccessKey,
      POWERTOOLS_METRICS_DISABLED: 'true',
      POWERTOOLS_LOG_LEVEL: 'SILENT',
    });
    ({ handler } = jest.requireActual<{ handler: typeof handler }>('../../lambda/emulator/handler'));
  });

  afterAll(async () => {
    process.env = savedEnv;
    client?.destroy();
    await server?.stop();
  });

  it('lands every sample on the stream, byte for byte, keyed and sharded by ContactId', async () => {
    // Arrange
    const samples = readSamples();
    const before = await readStream(client, STREAM);

    // Act
    const result = await handler({ records: samples });

    // Assert
    expect(result).toEqual({ sent: samples.length, failed: 0, failures: [] });
    const stored = (await readStream(client, STREAM)).slice(before.length);
    expect(stored.map((r) => r.text).sort()).toEqual(samples.map((s) => JSON.stringify(s)).sort());
    for (const record of stored) {
      expect(record.partitionKey).toBe((JSON.parse(record.text) as { ContactId: string }).ContactId);
    }
    // Both copies of a duplicated contact went to one shard, so their order is kept.
    const shardsByContact = new Map<string, Set<string>>();
    for (const r of stored)
      shardsByContact.set(r.partitionKey, (shardsByContact.get(r.partitionKey) ?? new Set()).add(r.shardId));
    for (const shards of shardsByContact.values()) expect(shards.size).toBe(1);
  });

  it('sends a 1,100-record event, over the 500-record request limit, and every record arrives', async () => {
    // Arrange
    const ctrs = Array.from({ length: 1100 }, () => aCtr());

    // Act
    const result = await handler(ctrs);

    // Assert
    expect(result).toMatchObject({ sent: 1100, failed: 0 });
    const stored = new Set((await readStream(client, STREAM)).map((r) => r.partitionKey));
    expect(ctrs.every((c) => stored.has(c.ContactId))).toBe(true);
  });

  it('reports every record failed when the stream does not exist', async () => {
    // Arrange
    const emulator = createEmulator({
      publisher: new KinesisRecordPublisher(client, 'no-such-stream'),
      ...createObservability('test'),
    });

    // Act
    const result = await emulator([aCtr(), aCtr()]);

    // Assert
    expect(result.sent).toBe(0);
    expect(result.failures.map((f) => f.errorCode)).toEqual(['ResourceNotFoundException', 'ResourceNotFoundException']);
  });
});
