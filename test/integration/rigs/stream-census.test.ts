import { PutRecordsCommand, type KinesisClient } from '@aws-sdk/client-kinesis';
import { createKinesisClient } from '../../../lambda/shared/adapters/kinesis-client';
import { createStream } from '../../../local-aws/pipeline/local-resources';
import { LOCAL_CLIENT_CONFIG, startKinesalite, type LocalServer } from '../../../local-aws/servers';
import { streamEventIds } from '../../../rigs/soak/stream-census';

describe('streamEventIds', () => {
  let kinesalite: LocalServer;
  let kinesis: KinesisClient;

  beforeAll(async () => {
    kinesalite = await startKinesalite();
    kinesis = createKinesisClient({ ...LOCAL_CLIENT_CONFIG, endpoint: kinesalite.endpoint }, process.env);
  });

  afterAll(async () => {
    kinesis.destroy();
    await kinesalite.stop();
  });

  it("counts every record on every shard, a resent put's second copies included, as Lambda's eventIDs", async () => {
    // Arrange: 30 records over 3 shards, then the same 10 sent again (a put that timed out after it was stored)
    await createStream(kinesis, 'census', 3);
    const entries = (from: number, to: number) =>
      Array.from({ length: to - from }, (_, i) => ({
        Data: Buffer.from(`{"n":${from + i}}`),
        PartitionKey: `contact-${from + i}`,
      }));
    const first = await kinesis.send(new PutRecordsCommand({ StreamName: 'census', Records: entries(0, 30) }));
    await kinesis.send(new PutRecordsCommand({ StreamName: 'census', Records: entries(0, 10) }));

    // Act
    const ids = await streamEventIds(kinesis, 'census');

    // Assert
    expect(ids.size).toBe(40);
    const firstIds = first.Records!.map((record) => `${record.ShardId!}:${record.SequenceNumber!}`);
    expect(firstIds.every((id) => ids.has(id))).toBe(true);
    expect(new Set([...ids].map((id) => id.split(':')[0])).size).toBe(3);
  });
});
