import type { CreateTableCommandInput, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { FirehoseClient } from '@aws-sdk/client-firehose';
import { PowertoolsTelemetry } from '../../lambda/checker/adapters/powertools-telemetry';
import { DynamoDbDedupStore } from '../../lambda/checker/adapters/dynamodb-dedup-store';
import { FirehoseRecordSink } from '../../lambda/checker/adapters/firehose-record-sink';
import { checkBatch, type RecordFate } from '../../lambda/checker/check-batch';
import type { StreamRecord } from '../../lambda/checker/ports';
import type { DedupKeyStrategy } from '../../lambda/shared/fingerprint';
import { createObservability } from '../../lambda/shared/observability';
import type { BatchTally, BenchChecker } from './bench-checker';
import type { TableShape } from './cost-model';

/** The dedup table of docs/CONTRACTS.md: partition key `fingerprint`, nothing else declared. */
export function ourDedupTable(tableName: string): CreateTableCommandInput {
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [{ AttributeName: 'fingerprint', AttributeType: 'S' }],
    KeySchema: [{ AttributeName: 'fingerprint', KeyType: 'HASH' }],
  };
}

export const OUR_TABLE_SHAPE: TableShape = { globalSecondaryIndexes: 0, consistentReads: true, writeUnitsPerItem: 1 };

export interface OurCheckerOptions {
  readonly dynamoDb: DynamoDBClient;
  readonly firehose: FirehoseClient;
  readonly tableName: string;
  readonly deliveryStreamName: string;
  readonly ttlHours?: number;
  readonly keyStrategy?: DedupKeyStrategy;
}

/**
 * Ours, as the bench drives it: the real checker core (check-batch.ts) with the real adapters (DynamoDB dedup
 * store, Firehose record sink, Powertools telemetry), wired as the handler wires them but on injected clients, so
 * the bench can count their requests. Powertools metrics are flushed once per invocation, as in the handler.
 */
export class OurChecker implements BenchChecker {
  readonly design = 'ours';
  private readonly store: DynamoDbDedupStore;
  private readonly sink: FirehoseRecordSink;
  private readonly observability = createObservability('ctr-lake-checker');
  private readonly telemetry: PowertoolsTelemetry;

  constructor(private readonly options: OurCheckerOptions) {
    this.store = new DynamoDbDedupStore(options.tableName, options.dynamoDb);
    this.sink = new FirehoseRecordSink(options.deliveryStreamName, options.firehose);
    this.telemetry = new PowertoolsTelemetry(this.observability.logger, this.observability.metrics);
  }

  async checkBatch(records: readonly StreamRecord[]): Promise<BatchTally> {
    const result = await checkBatch(
      records,
      { ttlHours: this.options.ttlHours ?? 24, keyStrategy: this.options.keyStrategy ?? 'content' },
      { store: this.store, sink: this.sink, telemetry: this.telemetry },
    );
    this.observability.metrics.publishStoredMetrics();
    const count = (fate: RecordFate): number => result.fates.filter((f) => f === fate).length;
    if (result.batchItemFailures.length > 0) {
      throw new Error(`the checker reported ${count('failed')} failed records: the bench runs without faults`);
    }
    return {
      delivered: count('delivered'),
      duplicates: count('in-batch-duplicate') + count('stored-duplicate'),
      quarantined: count('quarantined'),
    };
  }
}
