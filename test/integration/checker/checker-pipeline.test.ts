import { ScanCommand } from '@aws-sdk/client-dynamodb';
import type { KinesisStreamRecord } from 'aws-lambda';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createCheckerHandler, handler, type CheckerHandler } from '../../../lambda/checker/handler';
import { contentFingerprint } from '../../../lambda/shared/fingerprint';
import { startDynalite, startDynamoDbLocal, type LocalServer } from '../../../local-aws/servers';
import { fingerprintsOf } from '../../support/checker-harness';
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

  function delivered(): string[] {
    return fingerprintsOf(stack.capture.accepted);
  }

  async function claimItems(): Promise<Array<Record<string, unknown>>> {
    const { Items = [] } = await stack.dynamoDb.send(new ScanCommand({ TableName: table }));
    return Items.map((item) =>
      Object.fromEntries(Object.entries(item).map(([k, v]) => [k, v.S ?? (v.N === undefined ? v : Number(v.N))])),
    );
  }

  // Retries from a failure point, crashes before and after delivery and expired claims are in the shared store
  // contract suite (dedup-store-contract.test.ts), on every store; these tests keep the emulator → stream → handler →
  // Firehose path.
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
