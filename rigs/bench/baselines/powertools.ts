import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { IdempotencyConfig, makeIdempotent } from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import type { CreateTableCommandInput, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { FirehoseClient } from '@aws-sdk/client-firehose';
import type { KinesisStreamBatchResponse, KinesisStreamEvent, KinesisStreamRecord } from 'aws-lambda';
import { decodeRecord } from '../../../lambda/checker/decode-record';
import { toStreamRecords } from '../../../lambda/checker/handler';
import { createLambdaContext } from '../../../local-aws/lambda-runtime/lambda-context';
import { putOneRecord, type BenchChecker } from '../bench-checker';
import type { TableShape } from '../capacity-units';

/**
 * Baseline: Powertools for AWS Lambda (TypeScript), the published `@aws-lambda-powertools/idempotency` and
 * `@aws-lambda-powertools/batch` packages (exact versions pinned in package.json), wired as the idempotency
 * documentation's "batch integration" recipe wires them, for a Kinesis batch:
 *
 * - a `BatchProcessor(EventType.KinesisDataStreams)` and `processPartialResponse`, which answers with
 *   `batchItemFailures` (each failed record's sequence number);
 * - `makeIdempotent` around the per-record function, with a `DynamoDBPersistenceLayer` and an `IdempotencyConfig`
 *   whose `eventKeyJmesPath` picks the key out of the record: `powertools_json(powertools_base64(kinesis.data))`,
 *   the decoded CTR, which the library hashes after sorting its keys (so a copy re-serialised with its keys in
 *   another order has the same key);
 * - the per-record function delivers the record with one Firehose `PutRecord`.
 *
 * The library's protocol, per record: a conditional `PutItem` claims the key `INPROGRESS` (with
 * `ReturnValuesOnConditionCheckFailure: ALL_OLD`, so a refused claim brings the stored item back and needs no
 * `GetItem`; dynalite ignores that parameter, so the bench runs these designs on DynamoDB Local), then the function
 * runs, then an `UpdateItem` marks it `COMPLETED`. A refused claim on a `COMPLETED` key returns the stored result
 * (the record is a duplicate, and succeeds); on an `INPROGRESS` key it throws `IdempotencyAlreadyInProgressError`,
 * which fails the record. `processPartialResponse` runs the records in parallel by default: two copies in one batch
 * then race, and the loser fails and is retried by Lambda from its sequence number on. With
 * `processInParallel: false` the records run one after the other, and an in-batch copy finds its key `COMPLETED`.
 *
 * The records are decoded with the real checker's decoder only to build the envelope Firehose receives, so every
 * design lands the same bytes; the dedup key is the library's own. Every bench record is a CTR: a record whose data
 * is not JSON would fail its key expression on every retry.
 */

/** The documented key for a JSON record on Kinesis: the decoded record itself. */
export const POWERTOOLS_KEY_JMESPATH = 'powertools_json(powertools_base64(kinesis.data))';
/** What most users configure instead: the record's bytes, so a re-serialised copy has another key. */
export const POWERTOOLS_RAW_KEY_JMESPATH = 'powertools_base64(kinesis.data)';

export const POWERTOOLS_VARIANTS = {
  powertools: { processInParallel: true, eventKeyJmesPath: POWERTOOLS_KEY_JMESPATH },
  powertoolsSequential: { processInParallel: false, eventKeyJmesPath: POWERTOOLS_KEY_JMESPATH },
  powertoolsRawKey: { processInParallel: true, eventKeyJmesPath: POWERTOOLS_RAW_KEY_JMESPATH },
} as const;
export type PowertoolsVariant = keyof typeof POWERTOOLS_VARIANTS;

/** The checker's function name and timeout as the stack deploys it (lib/constructs/duplicate-checker.ts). */
export const POWERTOOLS_FUNCTION_NAME = 'ctr-lake-checker';
export const POWERTOOLS_FUNCTION_TIMEOUT_MS = 120_000;

/** The persistence layer's default table: partition key `id` (S), no sort key. */
export function powertoolsTable(tableName: string): CreateTableCommandInput {
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
    KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
  };
}

/** No index; the fallback `GetItem` (when a refused claim brings no item back) is strongly consistent. */
export const POWERTOOLS_TABLE_SHAPE: TableShape = {
  globalSecondaryIndexes: 0,
  consistentReads: true,
  writeUnitsPerItem: 1,
};

export interface PowertoolsOptions {
  readonly dynamoDb: DynamoDBClient;
  readonly firehose: FirehoseClient;
  readonly tableName: string;
  readonly deliveryStreamName: string;
  readonly variant: PowertoolsVariant;
}

export class PowertoolsChecker implements BenchChecker {
  readonly design: PowertoolsVariant;
  private readonly processInParallel: boolean;
  private readonly config: IdempotencyConfig;
  private readonly processor = new BatchProcessor(EventType.KinesisDataStreams);
  private readonly processIdempotently: (record: KinesisStreamRecord) => Promise<void>;

  constructor(options: PowertoolsOptions) {
    const { firehose, deliveryStreamName } = options;
    const variant = POWERTOOLS_VARIANTS[options.variant];
    this.design = options.variant;
    this.processInParallel = variant.processInParallel;
    this.config = new IdempotencyConfig({ eventKeyJmesPath: variant.eventKeyJmesPath });
    // The bench's counted client instead of one the layer would build: the library's documented awsSdkV3Client option.
    const persistenceStore = new DynamoDBPersistenceLayer({
      tableName: options.tableName,
      awsSdkV3Client: options.dynamoDb,
    });
    this.processIdempotently = makeIdempotent(
      async (record: KinesisStreamRecord): Promise<void> => {
        const [streamRecord] = toStreamRecords({ Records: [record] });
        if (!streamRecord) throw new Error('no record to process');
        await putOneRecord(firehose, deliveryStreamName, decodeRecord(streamRecord, 'content').envelope);
      },
      { persistenceStore, config: this.config },
    );
  }

  async checkBatch(event: KinesisStreamEvent): Promise<KinesisStreamBatchResponse> {
    const context = createLambdaContext(POWERTOOLS_FUNCTION_NAME, POWERTOOLS_FUNCTION_TIMEOUT_MS);
    this.config.registerLambdaContext(context);
    return processPartialResponse(event, this.processIdempotently, this.processor, {
      context,
      processInParallel: this.processInParallel,
    });
  }
}
