import {
  ExpiredIteratorException,
  PutRecordsCommand,
  type GetShardIteratorCommandInput,
  type KinesisClient,
} from '@aws-sdk/client-kinesis';
import type { KinesisStreamBatchResponse, KinesisStreamEvent } from 'aws-lambda';
import { createKinesisClient } from '../../../lambda/shared/adapters/kinesis-client';
import { KinesisEventSource, type AbandonedBatch } from '../../../local-aws/event-source/kinesis-event-source';
import { createStream } from '../../../local-aws/pipeline/local-resources';
import { LOCAL_CLIENT_CONFIG, startKinesalite, type LocalServer } from '../../../local-aws/servers';

const noSleep = async (): Promise<void> => undefined;
let streams = 0;

describe('KinesisEventSource', () => {
  let server: LocalServer;
  let kinesis: KinesisClient;

  beforeAll(async () => {
    server = await startKinesalite();
    kinesis = createKinesisClient({ ...LOCAL_CLIENT_CONFIG, endpoint: server.endpoint });
  });

  afterAll(async () => {
    kinesis.destroy();
    await server.stop();
  });

  /** A fresh stream holding `count` records `r0`, `r1`, … on one partition key (so one shard, in order). */
  async function streamWith(count: number, shards = 1): Promise<{ name: string; arn: string }> {
    streams += 1;
    const name = `s${streams}`;
    const arn = await createStream(kinesis, name, shards);
    const records = Array.from({ length: count }, (_, i) => ({ Data: Buffer.from(`r${i}`), PartitionKey: 'k' }));
    if (records.length > 0) await kinesis.send(new PutRecordsCommand({ StreamName: name, Records: records }));
    return { name, arn };
  }

  function source(
    stream: { name: string; arn: string },
    invoke: (event: KinesisStreamEvent, attempt: number) => Promise<unknown>,
    options: {
      batchSize?: number;
      maximumRetryAttempts?: number;
      bisectBatchOnFunctionError?: boolean;
      parallelizationFactor?: number;
      onFailure?: (b: AbandonedBatch) => Promise<void>;
    } = {},
  ): KinesisEventSource {
    return new KinesisEventSource({
      kinesis,
      streamName: stream.name,
      identity: { streamArn: stream.arn, region: 'us-east-1', invokeIdentityArn: 'arn:aws:iam::000000000000:role/r' },
      invoke: (event, { attempt }) => invoke(event, attempt),
      sleep: noSleep,
      ...options,
    });
  }

  const dataOf = (event: KinesisStreamEvent): string[] =>
    event.Records.map((r) => Buffer.from(r.kinesis.data, 'base64').toString());

  it('delivers every record once, in order, in batches of batchSize', async () => {
    // Arrange
    const stream = await streamWith(5);
    const batches: string[][] = [];

    // Act
    await source(stream, async (event) => void batches.push(dataOf(event)), { batchSize: 2 }).drain();

    // Assert
    expect(batches).toEqual([['r0', 'r1'], ['r2', 'r3'], ['r4']]);
  });

  it('builds events with the stream ARN and shard-qualified event ids', async () => {
    // Arrange
    const stream = await streamWith(1);
    const events: KinesisStreamEvent[] = [];

    // Act
    await source(stream, async (event) => void events.push(event)).drain();

    // Assert
    const [record] = events[0]!.Records;
    expect(record).toMatchObject({ eventSourceARN: stream.arn, eventSource: 'aws:kinesis' });
    expect(record!.eventID).toBe(`shardId-000000000000:${record!.kinesis.sequenceNumber}`);
  });

  it('retries from the lowest failed record reported in batchItemFailures', async () => {
    // Arrange
    const stream = await streamWith(4);
    const batches: string[][] = [];
    const invoke = async (event: KinesisStreamEvent): Promise<KinesisStreamBatchResponse> => {
      batches.push(dataOf(event));
      const failed = batches.length === 1 ? event.Records.slice(2) : [];
      return { batchItemFailures: failed.map((r) => ({ itemIdentifier: r.kinesis.sequenceNumber })) };
    };

    // Act
    await source(stream, invoke, { batchSize: 10 }).drain();

    // Assert
    expect(batches).toEqual([
      ['r0', 'r1', 'r2', 'r3'],
      ['r2', 'r3'],
    ]);
  });

  it('retries the whole batch when the function throws', async () => {
    // Arrange
    const stream = await streamWith(2);
    const attempts: number[] = [];
    const invoke = async (_event: KinesisStreamEvent, attempt: number): Promise<void> => {
      attempts.push(attempt);
      if (attempt < 2) throw new Error('crash');
    };

    // Act
    await source(stream, invoke).drain();

    // Assert
    expect(attempts).toEqual([0, 1, 2]);
  });

  it('gives a batch up after maximumRetryAttempts and moves on', async () => {
    // Arrange
    const stream = await streamWith(3);
    const abandoned: AbandonedBatch[] = [];
    const seen: string[][] = [];
    const invoke = async (event: KinesisStreamEvent): Promise<void> => {
      seen.push(dataOf(event));
      if (dataOf(event)[0] === 'r0') throw new Error('poison');
    };

    // Act
    await source(stream, invoke, {
      batchSize: 2,
      maximumRetryAttempts: 2,
      onFailure: async (batch) => void abandoned.push(batch),
    }).drain();

    // Assert
    expect(seen).toEqual([['r0', 'r1'], ['r0', 'r1'], ['r0', 'r1'], ['r2']]);
    expect(abandoned).toHaveLength(1);
    expect(abandoned[0]!.records.map((r) => Buffer.from(r.Data!).toString())).toEqual(['r0', 'r1']);
    expect(abandoned[0]).toMatchObject({ attempts: 3, reason: 'function error: poison' });
  });

  it('bisects a batch whose invocation throws until the poison record is alone, then gives only it up', async () => {
    // Arrange
    const stream = await streamWith(4);
    const seen: string[][] = [];
    const abandoned: string[][] = [];
    const invoke = async (event: KinesisStreamEvent): Promise<void> => {
      seen.push(dataOf(event));
      if (dataOf(event).includes('r2')) throw new Error('poison');
    };

    // Act
    await source(stream, invoke, {
      maximumRetryAttempts: 1,
      bisectBatchOnFunctionError: true,
      onFailure: async (batch) => void abandoned.push(batch.records.map((r) => Buffer.from(r.Data!).toString())),
    }).drain();

    // Assert
    expect(seen).toEqual([['r0', 'r1', 'r2', 'r3'], ['r0', 'r1'], ['r2', 'r3'], ['r2'], ['r2'], ['r3']]);
    expect(abandoned).toEqual([['r2']]);
  });

  it('resumes after its checkpoint on the next drain', async () => {
    // Arrange
    const stream = await streamWith(2);
    const batches: string[][] = [];
    const eventSource = source(stream, async (event) => void batches.push(dataOf(event)));
    await eventSource.drain();
    await kinesis.send(
      new PutRecordsCommand({ StreamName: stream.name, Records: [{ Data: Buffer.from('r2'), PartitionKey: 'k' }] }),
    );

    // Act
    await eventSource.drain();

    // Assert
    expect(batches).toEqual([['r0', 'r1'], ['r2']]);
  });

  it('asks again from its checkpoint when a slow batch left the next iterator expired, delivering each record once', async () => {
    // Arrange: kinesalite expires an iterator after five minutes, as Kinesis does; the second GetRecords is answered
    // as if the first batch had taken that long.
    const stream = await streamWith(5);
    const expiring = createKinesisClient({ ...LOCAL_CLIENT_CONFIG, endpoint: server.endpoint });
    let getRecordsCalls = 0;
    const iteratorRequests: Array<string | undefined> = [];
    expiring.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName === 'GetShardIteratorCommand') {
          iteratorRequests.push((args.input as GetShardIteratorCommandInput).StartingSequenceNumber);
        }
        if (context.commandName === 'GetRecordsCommand' && ++getRecordsCalls === 2) {
          throw new ExpiredIteratorException({ message: 'Iterator expired.', $metadata: { httpStatusCode: 400 } });
        }
        return next(args);
      },
      { step: 'initialize' },
    );
    const batches: string[][] = [];
    const sequenceNumbers: string[] = [];
    const eventSource = new KinesisEventSource({
      kinesis: expiring,
      streamName: stream.name,
      identity: { streamArn: stream.arn, region: 'us-east-1', invokeIdentityArn: 'arn:aws:iam::000000000000:role/r' },
      invoke: async (event) => {
        batches.push(dataOf(event));
        sequenceNumbers.push(...event.Records.map((r) => r.kinesis.sequenceNumber));
      },
      batchSize: 2,
      sleep: noSleep,
    });

    // Act
    try {
      await eventSource.drain();
    } finally {
      expiring.destroy();
    }

    // Assert: the new iterator starts just after the last record of the batch that was processed.
    expect(batches).toEqual([['r0', 'r1'], ['r2', 'r3'], ['r4']]);
    expect(iteratorRequests).toEqual([undefined, sequenceNumbers[1]]);
  });

  it('reads every shard', async () => {
    // Arrange
    const stream = await streamWith(0, 2);
    const records = Array.from({ length: 20 }, (_, i) => ({ Data: Buffer.from(`x${i}`), PartitionKey: `key-${i}` }));
    await kinesis.send(new PutRecordsCommand({ StreamName: stream.name, Records: records }));
    const seen = new Set<string>();
    const shards = new Set<string>();

    // Act
    await source(stream, async (event) => {
      for (const record of event.Records) shards.add(record.eventID.split(':')[0]!);
      dataOf(event).forEach((d) => seen.add(d));
    }).drain();

    // Assert
    expect(seen.size).toBe(20);
    expect(shards.size).toBe(2);
  });

  it('with a parallelization factor, invokes batches of one shard concurrently and keeps each partition key in order', async () => {
    // Arrange: 200 records over 20 partition keys, interleaved, on one shard
    streams += 1;
    const stream = { name: `s${streams}`, arn: '' };
    stream.arn = await createStream(kinesis, stream.name, 1);
    const records = Array.from({ length: 200 }, (_, i) => ({
      Data: Buffer.from(`k${i % 20}:${Math.floor(i / 20)}`),
      PartitionKey: `k${i % 20}`,
    }));
    await kinesis.send(new PutRecordsCommand({ StreamName: stream.name, Records: records }));
    const seen = new Map<string, number[]>();
    let inFlight = 0;
    let mostInFlight = 0;

    // Act
    await source(
      stream,
      async (event) => {
        inFlight += 1;
        mostInFlight = Math.max(mostInFlight, inFlight);
        for (const text of dataOf(event)) {
          const [key, index] = text.split(':') as [string, string];
          seen.set(key, [...(seen.get(key) ?? []), Number(index)]);
        }
        // Yield so the other lanes' invocations start before this one ends.
        await new Promise((resolve) => setImmediate(resolve));
        inFlight -= 1;
        return { batchItemFailures: [] };
      },
      { batchSize: 100, parallelizationFactor: 4 },
    ).drain();

    // Assert
    expect(mostInFlight).toBeGreaterThan(1);
    expect(mostInFlight).toBeLessThanOrEqual(4);
    expect(seen.size).toBe(20);
    for (const indexes of seen.values()) expect(indexes).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('refuses a parallelization factor Lambda would refuse', () => {
    expect(() => source({ name: 'x', arn: 'y' }, async () => undefined, { parallelizationFactor: 11 })).toThrow(
      /parallelizationFactor must be an integer from 1 to 10/,
    );
  });
});
