import type { KinesisStreamRecord } from 'aws-lambda';
import { MAX_MARKS_PER_REQUEST as MARKS_PER_REQUEST } from '../../../lambda/checker/adapters/dynamodb-dedup-store';
import { createCheckerHandler } from '../../../lambda/checker/handler';
import type { Ctr } from '../../../lambda/shared/ctr';
import { contentFingerprint } from '../../../lambda/shared/fingerprint';
import { seededRandom } from '../../../rigs/faults/seeded-random';
import { startDynalite } from '../../../local-aws/servers';
import { fingerprintsOf, runLikeEventSourceMapping } from '../../support/checker-harness';
import { aCtr, anAbandonedCtr, aChatCtr, aVoiceCtr } from '../../support/ctr-factory';
import { startCheckerLocalStack, type CheckerLocalStack } from './local-stack';

/**
 * The done criterion: DynamoDB and Firehose requests per record on a 1,000-record stream with 30 %
 * duplicates, batch size 100, against dynalite and the Firehose capture server, through the real emulator,
 * kinesalite, the event source mapping's batching and the real checker handler. Requests are counted as the checker
 * makes them, on its SDK clients (its own retries included, not a resend the SDK makes by itself after a transport
 * error). Each stream goes through one handler, as through one warm container,
 * with its cache of delivered keys and without it.
 */
const TOTAL = 1_000;
const DUPLICATES = 300;
const BATCH_SIZE = 100;

/**
 * 700 distinct CTRs and 300 copies. `adjacent`: each copy right after its original (a redelivery burst), so most
 * meet their original in the same batch. `spread`: each copy 1-150 records later, so most land in a later batch and
 * must be checked against the table.
 */
function streamWithDuplicates(placement: 'adjacent' | 'spread'): Ctr[] {
  const random = seededRandom(20_260_304);
  const makers = [aCtr, aVoiceCtr, anAbandonedCtr, aChatCtr];
  const originals = Array.from({ length: TOTAL - DUPLICATES }, (_, i) => (makers[i % makers.length] as () => Ctr)());
  const placed = originals.map((ctr, i) => ({ at: i, ctr }));
  for (let d = 0; d < DUPLICATES; d++) {
    const i = Math.floor(random() * originals.length);
    const distance = placement === 'adjacent' ? 0.5 : 1 + Math.floor(random() * 150) - 0.5;
    placed.push({ at: i + distance, ctr: originals[i] as Ctr });
  }
  return placed.sort((a, b) => a.at - b.at).map((p) => p.ctr);
}

/**
 * BatchWriteItem requests that mark the delivered records: per batch, one per 25 records delivered, which are the
 * records first of their fingerprint in the whole stream.
 */
function markRequests(ctrs: readonly Ctr[]): number {
  const seen = new Set<string>();
  let requests = 0;
  for (let start = 0; start < ctrs.length; start += BATCH_SIZE) {
    let delivered = 0;
    for (const fingerprint of ctrs.slice(start, start + BATCH_SIZE).map(contentFingerprint)) {
      if (!seen.has(fingerprint)) delivered += 1;
      seen.add(fingerprint);
    }
    requests += Math.ceil(delivered / MARKS_PER_REQUEST);
  }
  return requests;
}

/** Records that are the first of their fingerprint within their batch: what must reach DynamoDB. */
function keptPerBatch(ctrs: readonly Ctr[]): number {
  let kept = 0;
  for (let start = 0; start < ctrs.length; start += BATCH_SIZE) {
    kept += new Set(ctrs.slice(start, start + BATCH_SIZE).map(contentFingerprint)).size;
  }
  return kept;
}

describe.each(['adjacent', 'spread'] as const)(
  'checker request cost (1,000 records, 30 %% duplicates %s, batch size 100, dynalite)',
  (placement) => {
    let stack: CheckerLocalStack;
    let ctrs: Ctr[];
    let records: KinesisStreamRecord[];
    const dynamoDbRequests = new Map<string, number>();
    let firehoseRequests = 0;

    beforeAll(async () => {
      stack = await startCheckerLocalStack(() => startDynalite());
      // One count per request the checker makes (its own retries included), above the SDK's retry loop: on a loaded
      // machine the SDK may resend a request on its own (a keep-alive socket the server closed during a pause), which
      // is no cost of the design.
      stack.dynamoDb.middlewareStack.add(
        (next, context) => (args) => {
          const name = context.commandName ?? 'unknown';
          dynamoDbRequests.set(name, (dynamoDbRequests.get(name) ?? 0) + 1);
          return next(args);
        },
        { step: 'initialize', name: 'countDynamoDbRequests' },
      );
      stack.firehose.middlewareStack.add(
        (next) => (args) => {
          firehoseRequests += 1;
          return next(args);
        },
        { step: 'initialize', name: 'countFirehoseRequests' },
      );
      // One table per run, so the run without the cache does not meet the claims of the run with it.
      await Promise.all([
        stack.createTable('ctr-dedup-cached'),
        stack.createTable('ctr-dedup-uncached'),
        stack.createStream('ctr-stream'),
      ]);
      ctrs = streamWithDuplicates(placement);
      expect(await stack.sendCtrs('ctr-stream', ctrs)).toMatchObject({ sent: TOTAL, failed: 0 });
      records = await stack.readRecords('ctr-stream');
    });

    afterAll(async () => {
      await stack?.stop();
    });

    /** Drains the stream through one checker handler (one warm container), counting the requests it makes. */
    async function measure(table: string, cacheSize: string | undefined) {
      const check = createCheckerHandler({
        env: {
          DEDUP_TABLE_NAME: table,
          DELIVERY_STREAM_NAME: 'ctr-lake-delivery',
          ...(cacheSize === undefined ? {} : { DEDUP_CACHE_SIZE: cacheSize }),
        },
        dynamoDb: stack.dynamoDb,
        firehose: stack.firehose,
      });
      dynamoDbRequests.clear();
      const firehoseBefore = firehoseRequests;
      const acceptedBefore = stack.capture.accepted.length;
      const run = await runLikeEventSourceMapping<KinesisStreamRecord>(records, {
        batchSize: BATCH_SIZE,
        sequenceNumberOf: (r) => r.kinesis.sequenceNumber,
        invoke: (batch) => check({ Records: [...batch] }),
      });
      const distinct = new Set(ctrs.map(contentFingerprint));
      const kept = keptPerBatch(ctrs);
      const ddb = total(dynamoDbRequests);
      const firehose = firehoseRequests - firehoseBefore;
      const accepted = stack.capture.accepted.slice(acceptedBefore);
      const figures = {
        placement,
        cache: cacheSize === undefined ? 'default' : `DEDUP_CACHE_SIZE=${cacheSize}`,
        records: records.length,
        distinctCtrs: distinct.size,
        inBatchDuplicates: TOTAL - kept,
        crossBatchDuplicates: kept - distinct.size,
        invocations: run.invocations,
        dynamoDbRequests: ddb,
        dynamoDbRequestsByCommand: Object.fromEntries(dynamoDbRequests),
        dynamoDbPerInputRecord: round(ddb / TOTAL),
        dynamoDbPerDistinctCtr: round(ddb / distinct.size),
        dynamoDbWriteUnitsPerDistinctCtr: round(
          ((dynamoDbRequests.get('PutItemCommand') ?? 0) + distinct.size) / distinct.size,
        ),
        firehosePutRecordBatchRequests: firehose,
        firehosePerInputRecord: round(firehose / TOTAL),
        firehosePerInvocation: round(firehose / run.invocations),
        delivered: accepted.length,
      };
      console.log(`checker request cost\n${JSON.stringify(figures, null, 2)}`);
      return { run, ddb, firehose, accepted, distinct, kept };
    }

    it('with the warm container’s cache (the default): per distinct CTR one claim and 1/25 of a delivered-mark request, none per duplicate, one PutRecordBatch per invocation', async () => {
      // Act
      const { run, ddb, firehose, accepted, distinct } = await measure('ctr-dedup-cached', undefined);

      // Assert: in-batch copies meet their original in memory, later copies meet the delivered-keys cache
      expect(records).toHaveLength(TOTAL);
      expect(run.invocations).toBe(TOTAL / BATCH_SIZE);
      expect(dynamoDbRequests.get('PutItemCommand')).toBe(distinct.size);
      expect(dynamoDbRequests.get('BatchWriteItemCommand')).toBe(markRequests(ctrs));
      expect(ddb).toBe(distinct.size + markRequests(ctrs));
      expect(ddb / distinct.size).toBeLessThanOrEqual(1.05);
      expect(firehose).toBe(run.invocations);
      expect(fingerprintsOf(accepted).sort()).toEqual([...distinct].sort());
    });

    it('without the cache (DEDUP_CACHE_SIZE=0): one claim per record that reaches the table, none per in-batch duplicate', async () => {
      // Act
      const { run, ddb, firehose, accepted, distinct, kept } = await measure('ctr-dedup-uncached', '0');

      // Assert: each copy in a later batch costs one refused conditional PutItem
      expect(dynamoDbRequests.get('PutItemCommand')).toBe(kept);
      expect(ddb).toBe(kept + markRequests(ctrs));
      expect(firehose).toBe(run.invocations);
      expect(fingerprintsOf(accepted).sort()).toEqual([...distinct].sort());
    });
  },
);

function total(counts: ReadonlyMap<string, number>): number {
  return [...counts.values()].reduce((a, b) => a + b, 0);
}

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}
