import {
  BatchWriteItemCommand,
  ConditionalCheckFailedException,
  DeleteItemCommand,
  DynamoDBClient,
  PutItemCommand,
  ProvisionedThroughputExceededException,
  type PutItemCommandInput,
} from '@aws-sdk/client-dynamodb';
import {
  FirehoseClient,
  PutRecordBatchCommand,
  ServiceUnavailableException,
  type PutRecordBatchCommandInput,
  type PutRecordBatchCommandOutput,
} from '@aws-sdk/client-firehose';
import type { KinesisStreamEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { DynamoDbDedupStore } from '../../../lambda/checker/adapters/dynamodb-dedup-store';
import { FirehoseRecordSink } from '../../../lambda/checker/adapters/firehose-record-sink';
import {
  checkBatch,
  type BatchResult,
  type CheckBatchDeps,
  type CheckBatchSettings,
} from '../../../lambda/checker/check-batch';
import { DeliveredKeys } from '../../../lambda/checker/delivered-keys';
import { toStreamRecords } from '../../../lambda/checker/handler';
import type { DedupStore, RecordSink } from '../../../lambda/checker/ports';
import type { Ctr } from '../../../lambda/shared/ctr';
import type { Envelope } from '../../../lambda/shared/envelope';
import { contentFingerprint } from '../../../lambda/shared/fingerprint';
import { MetricName } from '../../../lambda/shared/observability';
import { LOCAL_CLIENT_CONFIG } from '../../../local-aws/servers';
import { fingerprintsOf, InMemoryDedupStore, InMemorySink, RecordingTelemetry } from '../../support/checker-harness';
import { aCtr, aLaterVersion, kinesisEvent, sequenceNumberAt } from '../../support/ctr-factory';

const ddb = mockClient(DynamoDBClient);
const firehose = mockClient(FirehoseClient);
const NOW = new Date('2026-03-04T09:30:00Z');
const NOW_SECONDS = NOW.getTime() / 1000;
const SETTINGS: CheckBatchSettings = { ttlHours: 24, keyStrategy: 'content' };

interface Run {
  readonly result: BatchResult;
  readonly telemetry: RecordingTelemetry;
}

/** Runs the core against the real adapters, whose SDK clients aws-sdk-client-mock intercepts. */
async function runWithSdkMocks(
  event: KinesisStreamEvent,
  settings: Partial<CheckBatchSettings> = {},
  warm: { readonly deliveredKeys?: DeliveredKeys; readonly now?: Date } = {},
): Promise<Run> {
  const telemetry = new RecordingTelemetry();
  const store = new DynamoDbDedupStore('ctr-dedup', new DynamoDBClient(LOCAL_CLIENT_CONFIG));
  const sink = new FirehoseRecordSink('ctr-delivery', new FirehoseClient(LOCAL_CLIENT_CONFIG), {
    sleep: async () => undefined,
    maxAttempts: 3,
  });
  const result = await checkBatch(
    toStreamRecords(event),
    { ...SETTINGS, ...settings },
    {
      store,
      sink,
      telemetry,
      clock: () => warm.now ?? NOW,
      ...(warm.deliveredKeys ? { deliveredKeys: warm.deliveredKeys } : {}),
    },
  );
  return { result, telemetry };
}

async function runInMemory(event: KinesisStreamEvent, store: DedupStore, sink: RecordSink): Promise<Run> {
  const telemetry = new RecordingTelemetry();
  const result = await checkBatch(toStreamRecords(event), SETTINGS, { store, sink, telemetry, clock: () => NOW });
  return { result, telemetry };
}

/** Firehose answers: entries whose envelope matches `fails` come back with an ErrorCode; the rest are taken. */
function firehoseAnswers(fails: (envelope: Envelope) => boolean = () => false): void {
  firehose.on(PutRecordBatchCommand).callsFake((input: PutRecordBatchCommandInput): PutRecordBatchCommandOutput => {
    const responses = (input.Records ?? []).map((record, i) =>
      fails(decodeData(record.Data))
        ? { ErrorCode: 'ServiceUnavailableException', ErrorMessage: 'Slow down.' }
        : { RecordId: `record-${i}` },
    );
    return {
      $metadata: {},
      FailedPutCount: responses.filter((r) => 'ErrorCode' in r).length,
      RequestResponses: responses,
    };
  });
}

function decodeData(data: Uint8Array | undefined): Envelope {
  return JSON.parse(Buffer.from(data ?? new Uint8Array()).toString('utf8')) as Envelope;
}

/** The envelopes Firehose took, in order (entries it answered with an ErrorCode excluded). */
async function firehoseTook(): Promise<Envelope[]> {
  const took: Envelope[] = [];
  for (const call of firehose.commandCalls(PutRecordBatchCommand)) {
    const output = (await call.returnValue) as PutRecordBatchCommandOutput;
    (call.args[0].input.Records ?? []).forEach((record, i) => {
      if (!output.RequestResponses?.[i]?.ErrorCode) took.push(decodeData(record.Data));
    });
  }
  return took;
}

/** Claims succeed, except those of `conditionFailsFor`, which meet a claim another record delivered. */
function claimsSucceed(conditionFailsFor: readonly Ctr[] = []): void {
  const taken = new Set(conditionFailsFor.map(contentFingerprint));
  ddb.on(PutItemCommand).callsFake((input: PutItemCommandInput) => {
    if (taken.has(input.Item?.fingerprint?.S ?? '')) {
      throw new ConditionalCheckFailedException({
        message: 'The conditional request failed',
        $metadata: {},
        Item: {
          fingerprint: { S: input.Item?.fingerprint?.S ?? '' },
          claimedBy: { S: 'shardId-000000000009:1' },
          expiresAt: { N: String(NOW_SECONDS + 3600) },
          leaseUntil: { N: String(NOW.getTime() - 60_000) },
          deliveredAt: { S: NOW.toISOString() },
        },
      });
    }
    return {};
  });
  ddb.on(BatchWriteItemCommand).resolves({});
  ddb.on(DeleteItemCommand).resolves({});
}

/** Claims succeed, except that of `throttled`, which DynamoDB throttles past the SDK's retries. */
function claimsThrottledFor(throttled: Ctr): void {
  ddb.on(PutItemCommand).callsFake((input: PutItemCommandInput) => {
    if (input.Item?.fingerprint?.S === contentFingerprint(throttled)) {
      throw new ProvisionedThroughputExceededException({ message: 'Rate exceeded', $metadata: {} });
    }
    return {};
  });
  ddb.on(BatchWriteItemCommand).resolves({});
  ddb.on(DeleteItemCommand).resolves({});
}

function claimedKeys(): string[] {
  return ddb.commandCalls(PutItemCommand).map((c) => c.args[0].input.Item?.fingerprint?.S ?? '');
}

function releasedKeys(): string[] {
  return ddb.commandCalls(DeleteItemCommand).map((c) => c.args[0].input.Key?.fingerprint?.S ?? '');
}

/** The keys marked delivered, over every BatchWriteItem. */
function markedKeys(): string[] {
  return ddb
    .commandCalls(BatchWriteItemCommand)
    .flatMap((c) => Object.values(c.args[0].input.RequestItems ?? {}).flat())
    .map((request) => request.PutRequest?.Item?.fingerprint?.S ?? '');
}

beforeEach(() => {
  ddb.reset();
  firehose.reset();
});

describe('checkBatch: happy path', () => {
  it('claims each distinct CTR once, delivers it once in one PutRecordBatch, marks it delivered, and reports no failure', async () => {
    // Arrange
    const [a, b, c] = [aCtr(), aCtr(), aCtr()];
    claimsSucceed();
    firehoseAnswers();

    // Act
    const { result, telemetry } = await runWithSdkMocks(kinesisEvent([a, b, a, c, b]));

    // Assert
    expect(result.batchItemFailures).toEqual([]);
    expect(result.fates).toEqual(['delivered', 'delivered', 'in-batch-duplicate', 'delivered', 'in-batch-duplicate']);
    expect(claimedKeys()).toEqual([a, b, c].map(contentFingerprint));
    expect(firehose).toHaveReceivedCommandTimes(PutRecordBatchCommand, 1);
    expect((await firehoseTook()).map((e) => e.kind === 'ctr' && e.fingerprint)).toEqual(
      [a, b, c].map(contentFingerprint),
    );
    expect(markedKeys()).toEqual([a, b, c].map(contentFingerprint));
    expect(ddb).toHaveReceivedCommandTimes(BatchWriteItemCommand, 1);
    expect(ddb).toHaveReceivedCommandTimes(DeleteItemCommand, 0);
    expect(telemetry.metric(MetricName.RecordsIn)).toBe(5);
    expect(telemetry.metric(MetricName.InBatchDuplicates)).toBe(2);
    expect(telemetry.metric(MetricName.Delivered)).toBe(3);
  });

  it('drops in-batch duplicates without any DynamoDB call', async () => {
    // Arrange
    const ctr = aCtr();
    claimsSucceed();
    firehoseAnswers();

    // Act
    const { telemetry } = await runWithSdkMocks(kinesisEvent([ctr, ctr, ctr, ctr]));

    // Assert: the first copy's claim and its delivered mark
    expect(ddb.calls()).toHaveLength(2);
    expect(claimedKeys()).toEqual([contentFingerprint(ctr)]);
    expect(telemetry.metric(MetricName.InBatchDuplicates)).toBe(3);
  });

  it('claims with the TTL of the settings, owned by each record’s eventID', async () => {
    // Arrange
    const event = kinesisEvent([aCtr()]);
    claimsSucceed();
    firehoseAnswers();

    // Act
    await runWithSdkMocks(event, { ttlHours: 2 });

    // Assert
    const input = ddb.commandCalls(PutItemCommand)[0]?.args[0].input;
    expect(input?.Item?.expiresAt).toEqual({ N: String(NOW_SECONDS + 2 * 3600) });
    expect(input?.Item?.claimedBy).toEqual({ S: event.Records[0]?.eventID });
    expect(input?.ExpressionAttributeValues?.[':now']).toEqual({ N: String(NOW_SECONDS) });
  });

  it('answers an empty batch with no failures and no calls', async () => {
    // Act
    const { result } = await runWithSdkMocks({ Records: [] });

    // Assert
    expect(result).toEqual({ batchItemFailures: [], fates: [] });
    expect(ddb.calls()).toHaveLength(0);
    expect(firehose.calls()).toHaveLength(0);
  });
});

describe('checkBatch: stored duplicates', () => {
  it('drops a CTR whose claim condition fails and counts it', async () => {
    // Arrange
    const [seen, fresh] = [aCtr(), aCtr()];
    claimsSucceed([seen]);
    firehoseAnswers();

    // Act
    const { result, telemetry } = await runWithSdkMocks(kinesisEvent([seen, fresh]));

    // Assert
    expect(result.batchItemFailures).toEqual([]);
    expect(result.fates).toEqual(['stored-duplicate', 'delivered']);
    expect((await firehoseTook()).map((e) => e.kind === 'ctr' && e.fingerprint)).toEqual([contentFingerprint(fresh)]);
    expect(telemetry.metric(MetricName.StoredDuplicates)).toBe(1);
  });

  it('delivers nothing and calls Firehose not at all when every record was seen', async () => {
    // Arrange
    const ctr = aCtr();
    claimsSucceed([ctr]);

    // Act
    const { result } = await runWithSdkMocks(kinesisEvent([ctr, ctr]));

    // Assert
    expect(result.fates).toEqual(['stored-duplicate', 'in-batch-duplicate']);
    expect(firehose.calls()).toHaveLength(0);
  });
});

describe('checkBatch: redelivery of the same records', () => {
  it('re-owns the claims of a batch whose invocation crashed before delivering, and delivers it once', async () => {
    // Arrange
    const store = new InMemoryDedupStore();
    const crashingSink: RecordSink = {
      deliver: () => Promise.reject(new Error('Task timed out after 60.00 seconds')),
    };
    const sink = new InMemorySink();
    const event = kinesisEvent([aCtr(), aCtr()]);
    await expect(runInMemory(event, store, crashingSink)).rejects.toThrow('Task timed out');

    // Act: Lambda redelivers the same batch, same eventIDs
    const { result } = await runInMemory(event, store, sink);

    // Assert
    expect(result.fates).toEqual(['delivered', 'delivered']);
    expect(sink.delivered).toHaveLength(2);
  });

  it('does not let another record’s copy take a claim that is still owned', async () => {
    // Arrange
    const store = new InMemoryDedupStore();
    const ctr = aCtr();
    await runInMemory(kinesisEvent([ctr]), store, new InMemorySink());
    const sink = new InMemorySink();

    // Act: the same CTR again, later in the stream (a different eventID)
    const { result } = await runInMemory(kinesisEvent([ctr], { firstIndex: 5 }), store, sink);

    // Assert
    expect(result.fates).toEqual(['stored-duplicate']);
    expect(sink.delivered).toHaveLength(0);
  });
});

describe('checkBatch: claim failures', () => {
  it('reports a throttled claim and delivers nothing after it, releasing the claims it deferred and the throttled one', async () => {
    // Arrange
    const [a, throttled, c, d] = [aCtr(), aCtr(), aCtr(), aCtr()];
    claimsThrottledFor(throttled);
    firehoseAnswers();

    // Act
    const { result, telemetry } = await runWithSdkMocks(kinesisEvent([a, throttled, 'not json', c, d]));

    // Assert
    expect(result.batchItemFailures).toEqual([{ itemIdentifier: sequenceNumberAt(1) }]);
    expect(result.fates).toEqual(['delivered', 'failed', 'deferred', 'deferred', 'deferred']);
    expect((await firehoseTook()).map((e) => e.sequenceNumber)).toEqual([sequenceNumberAt(0)]);
    // The throttled claim too: DynamoDB may have applied it although the SDK saw it fail.
    expect(releasedKeys().sort()).toEqual([throttled, c, d].map(contentFingerprint).sort());
    expect(markedKeys()).toEqual([contentFingerprint(a)]);
    expect(telemetry.metric(MetricName.FailedRecords)).toBe(1);
    expect(telemetry.metric(MetricName.Quarantined)).toBe(0);
  });
});

describe('checkBatch: Firehose failures', () => {
  it('retries a partial PutRecordBatch failure and then succeeds with no reported failure', async () => {
    // Arrange
    const [a, b, c] = [aCtr(), aCtr(), aCtr()];
    claimsSucceed();
    let failedOnce = false;
    firehoseAnswers((envelope) => {
      const fail = !failedOnce && envelope.kind === 'ctr' && envelope.fingerprint === contentFingerprint(b);
      failedOnce ||= fail;
      return fail;
    });

    // Act
    const { result, telemetry } = await runWithSdkMocks(kinesisEvent([a, b, c]));

    // Assert
    expect(result.batchItemFailures).toEqual([]);
    expect(firehose).toHaveReceivedCommandTimes(PutRecordBatchCommand, 2);
    expect((await firehoseTook()).map((e) => e.sequenceNumber).sort()).toEqual([0, 1, 2].map(sequenceNumberAt).sort());
    expect(telemetry.metric(MetricName.DeliveryRetries)).toBe(1);
    expect(markedKeys()).toEqual([a, b, c].map(contentFingerprint));
    expect(ddb).toHaveReceivedCommandTimes(DeleteItemCommand, 0);
  });

  it('on a permanent entry failure marks the delivered records, releases the failed one and reports it', async () => {
    // Arrange
    const [a, failing, c, d] = [aCtr(), aCtr(), aCtr(), aCtr()];
    claimsSucceed();
    firehoseAnswers((envelope) => envelope.kind === 'ctr' && envelope.fingerprint === contentFingerprint(failing));

    // Act
    const { result, telemetry } = await runWithSdkMocks(kinesisEvent([a, failing, c, d]));

    // Assert
    expect(result.batchItemFailures).toEqual([{ itemIdentifier: sequenceNumberAt(1) }]);
    expect(result.fates).toEqual(['delivered', 'failed', 'delivered', 'delivered']);
    expect(markedKeys().sort()).toEqual([a, c, d].map(contentFingerprint).sort());
    expect(releasedKeys()).toEqual([contentFingerprint(failing)]);
    expect(telemetry.metric(MetricName.FailedRecords)).toBe(1);
    expect(telemetry.metric(MetricName.DeliveryRetries)).toBe(2);
  });

  it('on a whole-call ServiceUnavailableException every time releases every claim and reports the first record', async () => {
    // Arrange
    const [a, b] = [aCtr(), aCtr()];
    claimsSucceed();
    firehose
      .on(PutRecordBatchCommand)
      .rejects(new ServiceUnavailableException({ message: 'Slow down.', $metadata: { httpStatusCode: 503 } }));

    // Act
    const { result } = await runWithSdkMocks(kinesisEvent([a, b]));

    // Assert
    expect(result.batchItemFailures).toEqual([{ itemIdentifier: sequenceNumberAt(0) }]);
    expect(releasedKeys().sort()).toEqual([a, b].map(contentFingerprint).sort());
    expect(ddb).toHaveReceivedCommandTimes(BatchWriteItemCommand, 0);
  });

  it('counts bookkeeping write errors without throwing', async () => {
    // Arrange
    const [failing, later] = [aCtr(), aCtr()];
    claimsSucceed();
    ddb.on(BatchWriteItemCommand).rejects(new ProvisionedThroughputExceededException({ message: 'x', $metadata: {} }));
    ddb.on(DeleteItemCommand).rejects(new ProvisionedThroughputExceededException({ message: 'x', $metadata: {} }));
    firehoseAnswers((envelope) => envelope.kind === 'ctr' && envelope.fingerprint === contentFingerprint(failing));

    // Act
    const { result, telemetry } = await runWithSdkMocks(kinesisEvent([failing, later]));

    // Assert: the release of `failing` and the mark of `later`
    expect(result.batchItemFailures).toEqual([{ itemIdentifier: sequenceNumberAt(0) }]);
    expect(telemetry.metric('BookkeepingErrors')).toBe(2);
  });

  it('makes a Lambda retry from the failure point deliver nothing twice', async () => {
    // Arrange: the in-memory store evaluates the claim condition, so the retry sees the deliveredAt marks
    const store = new InMemoryDedupStore();
    const sink = new InMemorySink();
    const ctrs = [aCtr(), aCtr(), aCtr(), aCtr()];
    const failing = contentFingerprint(ctrs[1]);
    sink.failWhen = (envelope) => envelope.kind === 'ctr' && envelope.fingerprint === failing;
    const event = kinesisEvent(ctrs);
    const first = await runInMemory(event, store, sink);
    sink.failWhen = () => false;

    // Act: Lambda resends from the reported record, with the same eventIDs
    const from = event.Records.findIndex(
      (r) => r.kinesis.sequenceNumber === first.result.batchItemFailures[0]?.itemIdentifier,
    );
    const retry = await runInMemory({ Records: event.Records.slice(from) }, store, sink);

    // Assert
    expect(retry.result.fates).toEqual(['delivered', 'stored-duplicate', 'stored-duplicate']);
    expect(sink.delivered.map((e) => e.sequenceNumber).sort()).toEqual([0, 1, 2, 3].map(sequenceNumberAt).sort());
  });
});

describe('checkBatch: a record Lambda may give up', () => {
  it('releases its claim even when Firehose may hold it, so a later copy is not dropped with it: a raw duplicate at worst, never a loss', async () => {
    // Arrange: Firehose stores b but the call times out; Lambda then gives b up (retries exhausted, not re-run here)
    const store = new InMemoryDedupStore();
    const sink = new InMemorySink();
    const b = aCtr();
    sink.ambiguousWhen = () => true;
    const first = await runInMemory(kinesisEvent([b]), store, sink);
    sink.ambiguousWhen = () => false;

    // Act: a copy of b, later on the shard (another Kinesis record)
    const copy = await runInMemory(kinesisEvent([b], { firstIndex: 10 }), store, sink);

    // Assert
    expect(first.result.batchItemFailures).toEqual([{ itemIdentifier: sequenceNumberAt(0) }]);
    expect(store.calls.map((call) => call.op)).toEqual(['claim', 'release', 'claim', 'markDelivered']);
    expect(copy.result.fates).toEqual(['delivered']);
    expect(fingerprintsOf(sink.delivered)).toEqual([b, b].map(contentFingerprint));
  });
});

describe('checkBatch: quarantine', () => {
  it('forwards each kind of bad record as quarantined, with no DynamoDB call and without blocking the batch', async () => {
    // Arrange
    const good = aCtr();
    const bad = [
      Buffer.from([0xc3, 0x28]),
      'not json',
      '"a string"',
      JSON.stringify({ InitiationTimestamp: '2026-03-04T09:00:00Z' }),
      JSON.stringify({ ContactId: 'c-1', InitiationTimestamp: 'soon' }),
    ];
    claimsSucceed();
    firehoseAnswers();

    // Act
    const { result, telemetry } = await runWithSdkMocks(kinesisEvent([...bad, good]));

    // Assert: the good CTR's claim and mark only
    expect(result.batchItemFailures).toEqual([]);
    expect(claimedKeys()).toEqual([contentFingerprint(good)]);
    expect(ddb.calls()).toHaveLength(2);
    const took = await firehoseTook();
    expect(took.map((e) => (e.kind === 'quarantine' ? e.reason : e.kind))).toEqual([
      'NOT_UTF8',
      'INVALID_JSON',
      'NOT_AN_OBJECT',
      'MISSING_CONTACT_ID',
      'INVALID_FIELD',
      'ctr',
    ]);
    expect(telemetry.metric(MetricName.Quarantined)).toBe(5);
    const warnings = telemetry.logs.filter((l) => l.message === 'record quarantined');
    expect(warnings.map((l) => l.fields.sequenceNumber)).toEqual([0, 1, 2, 3, 4].map(sequenceNumberAt));
  });
});

describe('checkBatch: version strategy', () => {
  it('treats two bodies of the same ContactId and LastUpdateTimestamp as one record, and a later version as new', async () => {
    // Arrange
    const ctr = aCtr();
    const sameVersionOtherBody = { ...ctr, Attributes: { ...ctr.Attributes, extra: 'x' } };
    const later = aLaterVersion(ctr);
    claimsSucceed();
    firehoseAnswers();

    // Act
    const version = await runWithSdkMocks(kinesisEvent([ctr, sameVersionOtherBody, later]), { keyStrategy: 'version' });
    const versionKeys = claimedKeys();
    ddb.resetHistory();
    const content = await runWithSdkMocks(kinesisEvent([ctr, sameVersionOtherBody, later]), { keyStrategy: 'content' });

    // Assert
    expect(version.result.fates).toEqual(['delivered', 'in-batch-duplicate', 'delivered']);
    expect(versionKeys.every((k) => k.startsWith('v:'))).toBe(true);
    expect(content.result.fates).toEqual(['delivered', 'delivered', 'delivered']);
  });
});

describe('checkBatch: logs', () => {
  it('log lines carry ContactId and fingerprint, never the CTR’s content', async () => {
    // Arrange
    const ctr = aCtr();
    const phone = ctr.CustomerEndpoint?.Address ?? '';
    claimsSucceed([ctr]);
    firehoseAnswers();

    // Act
    const { telemetry } = await runWithSdkMocks(kinesisEvent([ctr]));

    // Assert
    const line = telemetry.logs.find((l) => l.message === 'stored duplicate dropped');
    expect(line?.fields).toMatchObject({ contactId: ctr.ContactId, fingerprint: contentFingerprint(ctr) });
    expect(phone).not.toBe('');
    expect(JSON.stringify(telemetry.logs)).not.toContain(phone);
  });
});

describe('checkBatch: the warm container’s cache of delivered keys', () => {
  it('drops a copy in a later invocation as a stored duplicate without any DynamoDB call', async () => {
    // Arrange
    const deliveredKeys = new DeliveredKeys();
    const [a, b] = [aCtr(), aCtr()];
    claimsSucceed();
    firehoseAnswers();
    await runWithSdkMocks(kinesisEvent([a, b]), {}, { deliveredKeys });
    ddb.resetHistory();
    firehose.resetHistory();

    // Act: the same CTRs again later in the stream (other eventIDs), and a new one
    const fresh = aCtr();
    const { result, telemetry } = await runWithSdkMocks(
      kinesisEvent([b, fresh, a], { firstIndex: 2 }),
      {},
      { deliveredKeys },
    );

    // Assert
    expect(result.fates).toEqual(['stored-duplicate', 'delivered', 'stored-duplicate']);
    expect(claimedKeys()).toEqual([contentFingerprint(fresh)]);
    expect(markedKeys()).toEqual([contentFingerprint(fresh)]);
    expect(ddb.calls()).toHaveLength(2);
    expect((await firehoseTook()).map((e) => e.kind === 'ctr' && e.fingerprint)).toEqual([contentFingerprint(fresh)]);
    expect(telemetry.metric(MetricName.StoredDuplicates)).toBe(2);
    expect(telemetry.metric(MetricName.Delivered)).toBe(1);
  });

  it('drops a redelivery of the very same record after a normal return, which its own claim would let through unmarked', async () => {
    // Arrange: the first invocation delivered the record but could not mark it, then its answer was lost
    const deliveredKeys = new DeliveredKeys();
    const event = kinesisEvent([aCtr()]);
    claimsSucceed();
    ddb.on(BatchWriteItemCommand).rejects(new ProvisionedThroughputExceededException({ message: 'x', $metadata: {} }));
    firehoseAnswers();
    await runWithSdkMocks(event, {}, { deliveredKeys });
    ddb.resetHistory();
    firehose.resetHistory();

    // Act: Lambda redelivers it with the same eventID, which the claim condition would re-own
    const { result } = await runWithSdkMocks(event, {}, { deliveredKeys });

    // Assert
    expect(result.fates).toEqual(['stored-duplicate']);
    expect(ddb.calls()).toHaveLength(0);
    expect(firehose.calls()).toHaveLength(0);
  });

  it('sends a key back to DynamoDB once its claim has expired', async () => {
    // Arrange
    const deliveredKeys = new DeliveredKeys();
    const ctr = aCtr();
    claimsSucceed();
    firehoseAnswers();
    await runWithSdkMocks(kinesisEvent([ctr]), { ttlHours: 1 }, { deliveredKeys });
    ddb.resetHistory();
    firehose.resetHistory();
    const afterExpiry = new Date(NOW.getTime() + 3600_000 + 1000);

    // Act
    const { result } = await runWithSdkMocks(
      kinesisEvent([ctr], { firstIndex: 1 }),
      { ttlHours: 1 },
      {
        deliveredKeys,
        now: afterExpiry,
      },
    );

    // Assert: the table decides again, as it would without the cache (here: the expired claim is free)
    expect(claimedKeys()).toEqual([contentFingerprint(ctr)]);
    expect(result.fates).toEqual(['delivered']);
  });

  it('does not cache a stored-duplicate verdict: the holder may still release its claim', async () => {
    // Arrange
    const deliveredKeys = new DeliveredKeys();
    const ctr = aCtr();
    claimsSucceed([ctr]);
    firehoseAnswers();
    const first = await runWithSdkMocks(kinesisEvent([ctr]), {}, { deliveredKeys });
    ddb.reset();
    claimsSucceed();

    // Act: the holder released the claim meanwhile, so the next copy must be able to take it
    const second = await runWithSdkMocks(kinesisEvent([ctr], { firstIndex: 1 }), {}, { deliveredKeys });

    // Assert
    expect(first.result.fates).toEqual(['stored-duplicate']);
    expect(claimedKeys()).toEqual([contentFingerprint(ctr)]);
    expect(second.result.fates).toEqual(['delivered']);
    expect(deliveredKeys.size).toBe(1);
  });

  it('does not cache a failed delivery, so Lambda’s retry claims and delivers it', async () => {
    // Arrange
    const deliveredKeys = new DeliveredKeys();
    const failing = aCtr();
    const event = kinesisEvent([failing]);
    claimsSucceed();
    firehoseAnswers((envelope) => envelope.kind === 'ctr' && envelope.fingerprint === contentFingerprint(failing));
    const first = await runWithSdkMocks(event, {}, { deliveredKeys });
    ddb.resetHistory();
    firehose.reset();
    firehoseAnswers();

    // Act
    const retry = await runWithSdkMocks(event, {}, { deliveredKeys });

    // Assert
    expect(first.result.fates).toEqual(['failed']);
    expect(claimedKeys()).toEqual([contentFingerprint(failing)]);
    expect(retry.result.fates).toEqual(['delivered']);
  });

  it('does not cache a record deferred behind a failed claim, so Lambda’s retry claims and delivers it', async () => {
    // Arrange
    const deliveredKeys = new DeliveredKeys();
    const [throttled, deferred] = [aCtr(), aCtr()];
    const event = kinesisEvent([throttled, deferred]);
    claimsThrottledFor(throttled);
    firehoseAnswers();
    const first = await runWithSdkMocks(event, {}, { deliveredKeys });
    ddb.reset();
    claimsSucceed();

    // Act
    const retry = await runWithSdkMocks(event, {}, { deliveredKeys });

    // Assert
    expect(first.result.fates).toEqual(['failed', 'deferred']);
    expect(claimedKeys()).toEqual([throttled, deferred].map(contentFingerprint));
    expect(retry.result.fates).toEqual(['delivered', 'delivered']);
  });

  it('still drops a copy later in the same batch in memory, and caches each delivered key once', async () => {
    // Arrange
    const deliveredKeys = new DeliveredKeys();
    const ctr = aCtr();
    claimsSucceed();
    firehoseAnswers();

    // Act
    const { result } = await runWithSdkMocks(kinesisEvent([ctr, ctr]), {}, { deliveredKeys });

    // Assert
    expect(result.fates).toEqual(['delivered', 'in-batch-duplicate']);
    expect(deliveredKeys.size).toBe(1);
    expect(deliveredKeys.has(contentFingerprint(ctr), NOW)).toBe(true);
  });
});

describe('checkBatch: claims held by other records', () => {
  const OTHER_SHARD = 'shardId-000000000007';
  const holderOnOtherShard = `${OTHER_SHARD}:${sequenceNumberAt(3)}`;

  async function runWith(
    event: KinesisStreamEvent,
    store: DedupStore,
    sink: RecordSink,
    deps: Partial<CheckBatchDeps> = {},
    settings: Partial<CheckBatchSettings> = {},
  ): Promise<Run> {
    const telemetry = new RecordingTelemetry();
    const result = await checkBatch(
      toStreamRecords(event),
      { ...SETTINGS, ...settings },
      { store, sink, telemetry, clock: () => NOW, ...deps },
    );
    return { result, telemetry };
  }

  it('waits for another shard’s claim in progress and drops its copy once the holder marks it delivered', async () => {
    // Arrange
    const ctr = aCtr();
    const key = contentFingerprint(ctr);
    const store = new InMemoryDedupStore();
    store.items.set(key, {
      claimedBy: holderOnOtherShard,
      expiresAt: NOW_SECONDS + 3600,
      leaseUntil: NOW.getTime() + 60_000,
    });
    const sink = new InMemorySink();

    // Act: the holder marks its record delivered while this copy waits
    const { result, telemetry } = await runWith(kinesisEvent([ctr]), store, sink, {
      sleep: async () => {
        const item = store.items.get(key)!;
        store.items.set(key, { ...item, deliveredAt: NOW.toISOString() });
      },
    });

    // Assert
    expect(result.fates).toEqual(['stored-duplicate']);
    expect(store.calls.map((call) => call.op)).toEqual(['claim', 'claim']);
    expect(sink.calls).toHaveLength(0);
    expect(telemetry.metric('HeldClaims')).toBe(0);
  });

  it('gives up waiting after its wait budget: the record fails for Lambda to retry, with no claim to release', async () => {
    // Arrange
    const ctr = aCtr();
    const store = new InMemoryDedupStore();
    store.items.set(contentFingerprint(ctr), {
      claimedBy: holderOnOtherShard,
      expiresAt: NOW_SECONDS + 3600,
      leaseUntil: NOW.getTime() + 60_000,
    });
    const waits: number[] = [];

    // Act
    const { result, telemetry } = await runWith(
      kinesisEvent([ctr, aCtr()]),
      store,
      new InMemorySink(),
      { sleep: async (ms) => void waits.push(ms) },
      { holderWaitMs: 2_000 },
    );

    // Assert
    expect(result.fates).toEqual(['failed', 'deferred']);
    expect(result.batchItemFailures).toEqual([{ itemIdentifier: sequenceNumberAt(0) }]);
    expect(waits.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(2_000);
    expect(telemetry.metric('HeldClaims')).toBe(1);
    expect(store.calls.filter((call) => call.op === 'release')).toHaveLength(1);
    expect(store.items.get(contentFingerprint(ctr))?.claimedBy).toBe(holderOnOtherShard);
  });

  it('takes over a claim an earlier record of its shard never marked delivered, and counts it', async () => {
    // Arrange: the earlier record crashed after claiming, then Lambda gave it up
    const ctr = aCtr();
    const store = new InMemoryDedupStore();
    store.items.set(contentFingerprint(ctr), {
      claimedBy: `shardId-000000000000:${sequenceNumberAt(0)}`,
      expiresAt: NOW_SECONDS + 3600,
      leaseUntil: NOW.getTime() + 60_000,
    });
    const sink = new InMemorySink();

    // Act
    const { result, telemetry } = await runWith(kinesisEvent([ctr], { firstIndex: 4 }), store, sink);

    // Assert
    expect(result.fates).toEqual(['delivered']);
    expect(fingerprintsOf(sink.delivered)).toEqual([contentFingerprint(ctr)]);
    expect(telemetry.metric('ClaimTakeovers')).toBe(1);
    expect(store.items.get(contentFingerprint(ctr))).toMatchObject({
      claimedBy: `shardId-000000000000:${sequenceNumberAt(4)}`,
      deliveredAt: NOW.toISOString(),
    });
  });

  it('claims nothing and fails from the first record when the invocation has no time left', async () => {
    // Arrange
    const store = new InMemoryDedupStore();
    const sink = new InMemorySink();

    // Act
    const { result } = await runWith(kinesisEvent([aCtr(), 'not json', aCtr()]), store, sink, { timeLeft: () => 0 });

    // Assert
    expect(result.batchItemFailures).toEqual([{ itemIdentifier: sequenceNumberAt(0) }]);
    expect(result.fates).toEqual(['failed', 'deferred', 'failed']);
    expect(store.calls).toEqual([]);
    expect(sink.calls).toHaveLength(0);
  });
});
