import { CreateTableCommand, DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import type { FirehoseClient } from '@aws-sdk/client-firehose';
import { createCheckerHandler } from '../../lambda/checker/handler';
import { createCrashInjector, InvocationCrashedError, type CrashPoint } from '../../local/faults/crash-injector';
import { startFaultProxy, type FaultProxy } from '../../local/faults/fault-proxy';
import { soakDynamoDbClient, soakFirehoseClient } from '../../local/soak/sdk-clients';
import { LOCAL_CLIENT_CONFIG, startDynalite, type LocalServer } from '../../local/servers';
import { aCtr, kinesisEvent } from '../support/ctr-factory';
import { startRecordingFirehose, type RecordingFirehose } from './recording-firehose';

/**
 * Crash injection against the real checker: dynalite behind one fault proxy, a recording Firehose behind another,
 * the checker's own SDK clients tagged per invocation. Each test crashes the first invocation at one point and then
 * redelivers the same batch, as the event source does after a function error.
 */
describe('crash injector', () => {
  const BATCH_SIZE = 5;
  let dynalite: LocalServer;
  let firehose: RecordingFirehose;
  let direct: DynamoDBClient;
  const stops: Array<() => Promise<void>> = [];
  let tableCount = 0;

  beforeAll(async () => {
    process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
    process.env.POWERTOOLS_METRICS_DISABLED = 'true';
    [dynalite, firehose] = await Promise.all([startDynalite(), startRecordingFirehose()]);
    direct = new DynamoDBClient({ ...LOCAL_CLIENT_CONFIG, endpoint: dynalite.endpoint });
  });

  afterAll(async () => {
    direct.destroy();
    await Promise.all([...stops.map((stop) => stop()), dynalite.stop(), firehose.stop()]);
  });

  async function checkerWithCrashes(point: CrashPoint) {
    tableCount += 1;
    const table = `dedup-${tableCount}`;
    await direct.send(
      new CreateTableCommand({
        TableName: table,
        AttributeDefinitions: [{ AttributeName: 'fingerprint', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'fingerprint', KeyType: 'HASH' }],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
    const injector = createCrashInjector({ crashRate: 1, seed: 1, points: [point], maxCrashes: 1 });
    const proxies: FaultProxy[] = await Promise.all([
      startFaultProxy({
        service: 'dynamodb',
        target: dynalite.endpoint,
        faultRate: 0,
        seed: 1,
        interceptor: injector.deadInvocationInterceptor,
      }),
      startFaultProxy({
        service: 'firehose',
        target: firehose.endpoint,
        faultRate: 0,
        seed: 1,
        interceptor: injector.deliveryInterceptor,
      }),
    ]);
    const [ddbProxy, firehoseProxy] = proxies as [FaultProxy, FaultProxy];
    const dynamoDb = soakDynamoDbClient(ddbProxy.endpoint);
    const firehoseClient: FirehoseClient = soakFirehoseClient(firehoseProxy.endpoint);
    stops.push(async () => {
      dynamoDb.destroy();
      firehoseClient.destroy();
      await Promise.all(proxies.map((proxy) => proxy.stop()));
    });
    const checker = createCheckerHandler({
      env: { DEDUP_TABLE_NAME: table, DELIVERY_STREAM_NAME: 'ctr-lake-delivery' },
      dynamoDb,
      firehose: firehoseClient,
      delivery: { baseMs: 1, maxMs: 5 },
    });
    return { injector, invoke: injector.wrap(checker), table, ddbProxy };
  }

  async function claimsIn(table: string): Promise<number> {
    const { Items } = await direct.send(new ScanCommand({ TableName: table }));
    return Items?.length ?? 0;
  }

  function deliveredFingerprints(from: number): string[] {
    return firehose.envelopes.slice(from).map((envelope) => (envelope.kind === 'ctr' ? envelope.fingerprint : ''));
  }

  it('after-claim: the claims are written, nothing reaches Firehose, and the redelivery delivers each record once', async () => {
    // Arrange
    const { injector, invoke, table } = await checkerWithCrashes('after-claim');
    const event = kinesisEvent(Array.from({ length: BATCH_SIZE }, () => aCtr()));
    const before = firehose.envelopes.length;

    // Act
    const crashed = invoke(event);
    await expect(crashed).rejects.toBeInstanceOf(InvocationCrashedError);
    await injector.settle();
    const afterCrash = firehose.envelopes.length;
    const claimsAfterCrash = await claimsIn(table);
    const retry = await invoke(event);

    // Assert
    expect(afterCrash).toBe(before);
    expect(claimsAfterCrash).toBe(BATCH_SIZE);
    expect(retry.batchItemFailures).toEqual([]);
    expect(new Set(deliveredFingerprints(before)).size).toBe(BATCH_SIZE);
    expect(firehose.envelopes.length - before).toBe(BATCH_SIZE);
    expect(injector.crashes).toEqual({ 'after-claim': 1, 'after-delivery': 0, 'before-return': 0 });
    expect(injector.deliveredBeforeCrash).toBe(0);
  });

  it.each<[CrashPoint]>([['after-delivery'], ['before-return']])(
    '%s: the batch is delivered again on redelivery, and the raw duplicates are exactly what the crash explains',
    async (point) => {
      // Arrange
      const { injector, invoke } = await checkerWithCrashes(point);
      const event = kinesisEvent(Array.from({ length: BATCH_SIZE }, () => aCtr()));
      const before = firehose.envelopes.length;

      // Act
      await expect(invoke(event)).rejects.toMatchObject({ point });
      await injector.settle();
      const afterCrash = firehose.envelopes.length;
      const retry = await invoke(event);

      // Assert
      expect(afterCrash - before).toBe(BATCH_SIZE);
      expect(retry.batchItemFailures).toEqual([]);
      const fingerprints = deliveredFingerprints(before);
      expect(fingerprints).toHaveLength(2 * BATCH_SIZE);
      expect(new Set(fingerprints).size).toBe(BATCH_SIZE);
      expect(injector.crashes[point]).toBe(1);
      expect(injector.deliveredBeforeCrash).toBe(BATCH_SIZE);
    },
  );

  it("shuts a dead invocation out: its leftover requests never reach DynamoDB", async () => {
    // Arrange
    const { injector, invoke, ddbProxy } = await checkerWithCrashes('after-claim');
    const event = kinesisEvent(Array.from({ length: BATCH_SIZE }, () => aCtr()));

    // Act
    await expect(invoke(event)).rejects.toBeInstanceOf(InvocationCrashedError);
    await injector.settle();

    // Assert: the checker's failure path (release of the undelivered claims) was sent but never applied.
    expect(ddbProxy.requests.DeleteItem ?? 0).toBeGreaterThan(0);
    expect(await claimsIn(`dedup-${tableCount}`)).toBe(BATCH_SIZE);
  });
});
