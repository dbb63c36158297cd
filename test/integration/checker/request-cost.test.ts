import type { KinesisStreamRecord } from 'aws-lambda';
import { createCheckerHandler } from '../../../lambda/checker/handler';
import type { Ctr } from '../../../lambda/shared/ctr';
import { contentFingerprint } from '../../../lambda/shared/fingerprint';
import { seededRandom } from '../../../local/faults/seeded-random';
import { startDynalite } from '../../../local/servers';
import { fingerprintsOf, runLikeEventSourceMapping } from '../../support/checker-harness';
import { aCtr, anAbandonedCtr, aChatCtr, aVoiceCtr } from '../../support/ctr-factory';
import { startCheckerLocalStack, type CheckerLocalStack } from './local-stack';

/**
 * The done criterion: DynamoDB and Firehose requests per record on a 1,000-record stream with 30 %
 * duplicates, batch size 100, against dynalite and the Firehose capture server, through the real emulator,
 * kinesalite, the event source mapping's batching and the real checker handler. Requests are counted on the wire
 * (every HTTP attempt, SDK retries included).
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
    const dynamoDbRequests = new Map<string, number>();

    beforeAll(async () => {
      stack = await startCheckerLocalStack(() => startDynalite());
      // Count on the way out, below the SDK's retry loop: one count per HTTP attempt.
      stack.dynamoDb.middlewareStack.add(
        (next, context) => (args) => {
          const name = context.commandName ?? 'unknown';
          dynamoDbRequests.set(name, (dynamoDbRequests.get(name) ?? 0) + 1);
          return next(args);
        },
        { step: 'deserialize', name: 'countDynamoDbRequests' },
      );
      await Promise.all([stack.createTable('ctr-dedup'), stack.createStream('ctr-stream')]);
      dynamoDbRequests.clear();
    });

    afterAll(async () => {
      await stack?.stop();
    });

    it('makes one DynamoDB request per record that reaches the table, none per in-batch duplicate, and one PutRecordBatch per invocation', async () => {
      // Arrange
      const ctrs = streamWithDuplicates(placement);
      const distinct = new Set(ctrs.map(contentFingerprint));
      const kept = keptPerBatch(ctrs);
      expect(await stack.sendCtrs('ctr-stream', ctrs)).toMatchObject({ sent: TOTAL, failed: 0 });
      const records = await stack.readRecords('ctr-stream');
      const check = createCheckerHandler({
        env: { DEDUP_TABLE_NAME: 'ctr-dedup', DELIVERY_STREAM_NAME: 'ctr-lake-delivery' },
        dynamoDb: stack.dynamoDb,
        firehose: stack.firehose,
      });
      dynamoDbRequests.clear();
      const firehoseBefore = stack.capture.requests();

      // Act
      const run = await runLikeEventSourceMapping<KinesisStreamRecord>(records, {
        batchSize: BATCH_SIZE,
        sequenceNumberOf: (r) => r.kinesis.sequenceNumber,
        invoke: (batch) => check({ Records: [...batch] }),
      });

      // Assert
      const ddb = total(dynamoDbRequests);
      const firehose = stack.capture.requests() - firehoseBefore;
      const inBatchDuplicates = TOTAL - kept;
      const storedDuplicates = kept - distinct.size;
      const figures = {
        placement,
        records: records.length,
        distinctCtrs: distinct.size,
        inBatchDuplicates,
        storedDuplicates,
        invocations: run.invocations,
        dynamoDbRequests: ddb,
        dynamoDbRequestsByCommand: Object.fromEntries(dynamoDbRequests),
        dynamoDbPerInputRecord: round(ddb / TOTAL),
        dynamoDbPerDistinctCtr: round(ddb / distinct.size),
        dynamoDbPerRecordReachingTable: round(ddb / kept),
        firehosePutRecordBatchRequests: firehose,
        firehosePerInputRecord: round(firehose / TOTAL),
        firehosePerInvocation: round(firehose / run.invocations),
        delivered: stack.capture.accepted.length,
      };
      console.log(`checker request cost\n${JSON.stringify(figures, null, 2)}`);

      expect(records).toHaveLength(TOTAL);
      expect(run.invocations).toBe(TOTAL / BATCH_SIZE);
      expect(ddb).toBe(kept);
      expect(dynamoDbRequests.get('PutItemCommand')).toBe(kept);
      expect(ddb).toBe(TOTAL - inBatchDuplicates);
      expect(firehose).toBe(run.invocations);
      expect(fingerprintsOf(stack.capture.accepted).sort()).toEqual([...distinct].sort());
    });
  },
);

function total(counts: ReadonlyMap<string, number>): number {
  return [...counts.values()].reduce((a, b) => a + b, 0);
}

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}
