import { GetItemCommand, PutItemCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import type { KinesisStreamRecord } from 'aws-lambda';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DynamoDbDedupStore } from '../../../lambda/checker/adapters/dynamodb-dedup-store';
import { FirehoseRecordSink } from '../../../lambda/checker/adapters/firehose-record-sink';
import { checkBatch } from '../../../lambda/checker/check-batch';
import { createCheckerHandler, handler, toStreamRecords, type CheckerHandler } from '../../../lambda/checker/handler';
import type { RecordSink } from '../../../lambda/checker/ports';
import type { Ctr } from '../../../lambda/shared/ctr';
import { contentFingerprint } from '../../../lambda/shared/fingerprint';
import { startDynalite, startDynamoDbLocal, type LocalServer } from '../../../local-aws/servers';
import { fingerprintsOf, RecordingTelemetry, runLikeEventSourceMapping } from '../../support/checker-harness';
import { aCtr } from '../../support/ctr-factory';
import { startCheckerLocalStack, type CheckerLocalStack } from './local-stack';

const SEED = join(__dirname, '..', '..', '..', '..', 'shared', 'seed', 'duplicated_samples.json');
const SEED_FINGERPRINTS = [
  'ef7d9f7e4b26f827d2e526c4797852d978e6e9e2ccfdcaf162e9126a4eaca6a7',
  '886176cd231d8c6a7ef5520cb60eace2d9826cb6a98031cee5fbdf8683334e58',
  'eaa1aa065a550dd3df0c912b1e9180100d7fa5dc9ffb378253721c68d4234b1d',
];
const DELIVERY_STREAM = 'ctr-lake-delivery';
const FAST_RETRIES = { baseMs: 1, maxMs: 5 };

function countBy(values: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return counts;
}

describe.each<[string, () => Promise<LocalServer>]>([
  ['dynalite', () => startDynalite()],
  ['DynamoDB Local', () => startDynamoDbLocal()],
])('checker: emulator → kinesalite → checker → Firehose, dedup table on %s', (_, startDynamoDb) => {
  let stack: CheckerLocalStack;
  let testNumber = 0;
  let table: string;
  let stream: string;
  let check: CheckerHandler;

  beforeAll(async () => {
    stack = await startCheckerLocalStack(startDynamoDb);
  });

  afterAll(async () => {
    await stack?.stop();
  });

  beforeEach(async () => {
    testNumber++;
    table = `ctr-dedup-${testNumber}`;
    stream = `ctr-stream-${testNumber}`;
    await Promise.all([stack.createTable(table), stack.createStream(stream)]);
    stack.capture.accepted.length = 0;
    stack.capture.failEntry = () => undefined;
    stack.capture.failCall = () => false;
    check = createCheckerHandler({
      env: { DEDUP_TABLE_NAME: table, DELIVERY_STREAM_NAME: DELIVERY_STREAM },
      dynamoDb: stack.dynamoDb,
      firehose: stack.firehose,
      delivery: FAST_RETRIES,
    });
  });

  /** CTRs through the emulator onto the stream, and back as the Lambda event records. */
  async function putAndRead(ctrs: readonly unknown[]): Promise<KinesisStreamRecord[]> {
    const sent = await stack.sendCtrs(stream, ctrs);
    expect(sent).toMatchObject({ sent: ctrs.length, failed: 0 });
    return stack.readRecords(stream);
  }

  /** An invocation of the real core on the real table whose sink dies: what a crashed Lambda leaves behind. */
  function invokeCrashing(records: readonly KinesisStreamRecord[], sink: RecordSink): Promise<unknown> {
    return checkBatch(
      toStreamRecords({ Records: [...records] }),
      { ttlHours: 24, keyStrategy: 'content' },
      { store: new DynamoDbDedupStore(table, stack.dynamoDb), sink, telemetry: new RecordingTelemetry() },
    );
  }

  function delivered(): string[] {
    return fingerprintsOf(stack.capture.accepted);
  }

  async function claimItems(): Promise<Array<Record<string, unknown>>> {
    const { Items = [] } = await stack.dynamoDb.send(new ScanCommand({ TableName: table }));
    return Items.map((item) =>
      Object.fromEntries(Object.entries(item).map(([k, v]) => [k, v.S ?? (v.N === undefined ? v : Number(v.N))])),
    );
  }

  it('delivers the 3 distinct CTRs of the 6-record seed sample once each, with their published fingerprints', async () => {
    // Arrange
    const records = await putAndRead(JSON.parse(readFileSync(SEED, 'utf8')) as unknown[]);
    const before = Math.floor(Date.now() / 1000);

    // Act
    const response = await check({ Records: records });

    // Assert
    expect(response).toEqual({ batchItemFailures: [] });
    expect(delivered()).toEqual(SEED_FINGERPRINTS);
    const items = await claimItems();
    expect(items.map((i) => i.fingerprint).sort()).toEqual([...SEED_FINGERPRINTS].sort());
    for (const item of items) {
      expect(records.map((r) => r.eventID)).toContain(item.claimedBy);
      expect(item.expiresAt).toBeGreaterThanOrEqual(before + 24 * 3600);
      expect(item.expiresAt).toBeLessThanOrEqual(before + 24 * 3600 + 60);
      // Marked once Firehose took it: no copy or redelivery re-owns it (check-batch.ts step 8).
      expect(item.deliveredAt).toEqual(expect.any(String));
      expect(item.leaseUntil).toBeGreaterThan(before * 1000);
    }
  });

  it('drops in a later batch what an earlier batch delivered', async () => {
    // Arrange
    const ctr = aCtr();
    const records = await putAndRead([ctr, aCtr(), ctr]);

    // Act
    await check({ Records: records.slice(0, 2) });
    const second = await check({ Records: records.slice(2) });

    // Assert
    expect(second).toEqual({ batchItemFailures: [] });
    expect(countBy(delivered()).get(contentFingerprint(ctr))).toBe(1);
    expect(delivered()).toHaveLength(2);
  });

  it('retries from the reported failure point without delivering anything twice', async () => {
    // Arrange: Firehose keeps refusing one record during the first invocation only
    const ctrs = [aCtr(), aCtr(), aCtr(), aCtr(), aCtr()];
    const records = await putAndRead([...ctrs, ctrs[0], ctrs[3]]);
    const refused = contentFingerprint(ctrs[1]);
    let invocation = 0;
    stack.capture.failEntry = (envelope) =>
      invocation === 1 && envelope.kind === 'ctr' && envelope.fingerprint === refused
        ? 'ServiceUnavailableException'
        : undefined;
    const responses: unknown[] = [];

    // Act
    const run = await runLikeEventSourceMapping(records, {
      batchSize: 100,
      sequenceNumberOf: (r) => r.kinesis.sequenceNumber,
      invoke: async (batch) => {
        invocation++;
        const response = await check({ Records: [...batch] });
        responses.push(response);
        return response;
      },
    });

    // Assert
    expect(run.batches).toEqual([7, 6]);
    expect(responses[0]).toEqual({ batchItemFailures: [{ itemIdentifier: records[1]?.kinesis.sequenceNumber }] });
    expect([...countBy(delivered()).values()]).toEqual([1, 1, 1, 1, 1]);
    expect(new Set(delivered())).toEqual(new Set(ctrs.map(contentFingerprint)));
  });

  it('replays a batch whose invocation crashed before delivering: every record delivered once', async () => {
    // Arrange: claims are made, then the invocation dies
    const ctrs = [aCtr(), aCtr(), aCtr()];
    const records = await putAndRead(ctrs);
    const crashBeforeDelivery: RecordSink = { deliver: () => Promise.reject(new Error('Runtime exited')) };
    await expect(invokeCrashing(records, crashBeforeDelivery)).rejects.toThrow('Runtime exited');
    expect(await claimItems()).toHaveLength(3);

    // Act: Lambda redelivers the whole batch
    const response = await check({ Records: records });

    // Assert
    expect(response).toEqual({ batchItemFailures: [] });
    expect(delivered()).toEqual(ctrs.map(contentFingerprint));
  });

  it('replays a batch whose invocation crashed after delivering: the documented raw duplicate, nothing lost', async () => {
    // Arrange
    const ctrs = [aCtr(), aCtr()];
    const records = await putAndRead(ctrs);
    const firehoseSink = new FirehoseRecordSink(DELIVERY_STREAM, stack.firehose, FAST_RETRIES);
    const crashAfterDelivery: RecordSink = {
      deliver: async (envelopes) => {
        await firehoseSink.deliver(envelopes);
        throw new Error('Task timed out');
      },
    };
    await expect(invokeCrashing(records, crashAfterDelivery)).rejects.toThrow('Task timed out');

    // Act
    const response = await check({ Records: records });

    // Assert: the same eventIDs re-own their unmarked claims, so the rows reach Firehose twice (ctr_latest and
    // duplicates_audit absorb them); this is the only path to a duplicate.
    expect(response).toEqual({ batchItemFailures: [] });
    expect([...countBy(delivered()).entries()]).toEqual(ctrs.map((c) => [contentFingerprint(c), 2]));
  });

  it('treats an expired claim as absent, and an unexpired one of another record as a duplicate', async () => {
    // Arrange
    const [expired, live] = [aCtr(), aCtr()];
    const now = Math.floor(Date.now() / 1000);
    for (const [ctr, expiresAt] of [
      [expired, now - 60],
      [live, now + 3600],
    ] as Array<[Ctr, number]>) {
      await stack.dynamoDb.send(
        new PutItemCommand({
          TableName: table,
          Item: {
            fingerprint: { S: contentFingerprint(ctr) },
            claimedBy: { S: 'shardId-000000000000:1' },
            claimedAt: { S: new Date((expiresAt - 86_400) * 1000).toISOString() },
            expiresAt: { N: String(expiresAt) },
          },
        }),
      );
    }
    const records = await putAndRead([expired, live]);

    // Act
    const response = await check({ Records: records });

    // Assert
    expect(response).toEqual({ batchItemFailures: [] });
    expect(delivered()).toEqual([contentFingerprint(expired)]);
    const { Item } = await stack.dynamoDb.send(
      new GetItemCommand({ TableName: table, Key: { fingerprint: { S: contentFingerprint(expired) } } }),
    );
    expect(Item?.claimedBy?.S).toBe(records[0]?.eventID);
  });

  it('retries a partial Firehose failure within the invocation and delivers everything once', async () => {
    // Arrange
    const ctrs = [aCtr(), aCtr(), aCtr()];
    const records = await putAndRead(ctrs);
    const refusedOnce = contentFingerprint(ctrs[2]);
    const requestsBefore = stack.capture.requests();
    stack.capture.failEntry = (envelope, call) =>
      call === requestsBefore + 1 && envelope.kind === 'ctr' && envelope.fingerprint === refusedOnce
        ? 'ServiceUnavailableException'
        : undefined;

    // Act
    const response = await check({ Records: records });

    // Assert
    expect(response).toEqual({ batchItemFailures: [] });
    expect(stack.capture.requests() - requestsBefore).toBe(2);
    expect(delivered()).toEqual(ctrs.map(contentFingerprint));
    expect((await claimItems()).every((item) => typeof item.deliveredAt === 'string')).toBe(true);
  });

  it('marks records delivered after a permanent failure so the retry drops them', async () => {
    // Arrange: every call fails the second record
    const ctrs = [aCtr(), aCtr(), aCtr()];
    const records = await putAndRead(ctrs);
    const refused = contentFingerprint(ctrs[1]);
    stack.capture.failEntry = (envelope) =>
      envelope.kind === 'ctr' && envelope.fingerprint === refused ? 'InternalFailure' : undefined;

    // Act
    const response = await check({ Records: records });

    // Assert
    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: records[1]?.kinesis.sequenceNumber }] });
    const items = new Map((await claimItems()).map((item) => [item.fingerprint, item]));
    expect(items.get(contentFingerprint(ctrs[0]))?.deliveredAt).toEqual(expect.any(String));
    expect(items.has(refused)).toBe(false);
    expect(items.get(contentFingerprint(ctrs[2]))?.deliveredAt).toEqual(expect.any(String));
  });
});

describe('checker entry point against local servers', () => {
  it('finds DynamoDB and Firehose through AWS_ENDPOINT_URL_* with default SDK config (env read at first call)', async () => {
    // Arrange
    const stack = await startCheckerLocalStack(() => startDynalite());
    const saved = { ...process.env };
    try {
      await Promise.all([stack.createTable('ctr-dedup'), stack.createStream('ctr-stream')]);
      const ctr = aCtr();
      await stack.sendCtrs('ctr-stream', [ctr, ctr]);
      const records = await stack.readRecords('ctr-stream');
      Object.assign(process.env, {
        DEDUP_TABLE_NAME: 'ctr-dedup',
        DELIVERY_STREAM_NAME: DELIVERY_STREAM,
        AWS_ENDPOINT_URL_DYNAMODB: stack.servers.dynamoDb.endpoint,
        AWS_ENDPOINT_URL_FIREHOSE: stack.capture.endpoint,
        AWS_REGION: 'us-east-1',
        AWS_ACCESS_KEY_ID: 'local',
        AWS_SECRET_ACCESS_KEY: 'local',
      });

      // Act
      const response = await handler({ Records: records });

      // Assert
      expect(response).toEqual({ batchItemFailures: [] });
      expect(fingerprintsOf(stack.capture.accepted)).toEqual([contentFingerprint(ctr)]);
    } finally {
      process.env = saved;
      await stack.stop();
    }
  });
});
