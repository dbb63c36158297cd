import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { FirehoseClient } from '@aws-sdk/client-firehose';
import type { KinesisStreamBatchResponse, KinesisStreamEvent } from 'aws-lambda';
import { createCheckerHandler, type CheckerHandler } from '../../lambda/checker/handler';
import type { BenchChecker } from './bench-checker';
import type { TableShape } from './capacity-units';

export const OUR_TABLE_SHAPE: TableShape = { globalSecondaryIndexes: 0, consistentReads: true, writeUnitsPerItem: 1 };

export interface OurCheckerOptions {
  readonly dynamoDb: DynamoDBClient;
  readonly firehose: FirehoseClient;
  readonly tableName: string;
  readonly deliveryStreamName: string;
  /** Keys in the warm container's cache of delivered keys, 0 = off. @default the handler's, as deployed */
  readonly cacheSize?: number;
}

/**
 * Ours, as the bench drives it: the real checker handler (createCheckerHandler: the core, the DynamoDB dedup
 * store, the Firehose record sink, the cache of delivered keys and Powertools telemetry), built from the same
 * environment variables as in Lambda but on injected clients, so the bench can count their requests.
 *
 * The stack sets no DEDUP_CACHE_SIZE, so the deployed checker runs with the handler's default cache: so does this
 * one, whatever the shell exports, unless `cacheSize` says otherwise. Each instance is a fresh handler, as a cold
 * container: its cache starts empty.
 */
export class OurChecker implements BenchChecker {
  readonly design = 'ours';
  private readonly handler: CheckerHandler;

  constructor(options: OurCheckerOptions) {
    const env: Record<string, string | undefined> = {
      ...process.env,
      DEDUP_TABLE_NAME: options.tableName,
      DELIVERY_STREAM_NAME: options.deliveryStreamName,
    };
    delete env.DEDUP_CACHE_SIZE;
    this.handler = createCheckerHandler({
      env,
      dynamoDb: options.dynamoDb,
      firehose: options.firehose,
      ...(options.cacheSize === undefined ? {} : { cacheSize: options.cacheSize }),
    });
  }

  checkBatch(event: KinesisStreamEvent): Promise<KinesisStreamBatchResponse> {
    return this.handler(event);
  }
}
