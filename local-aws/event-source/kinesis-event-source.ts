import {
  ExpiredIteratorException,
  GetRecordsCommand,
  GetShardIteratorCommand,
  ListShardsCommand,
  type KinesisClient,
  type GetRecordsCommandOutput,
  type GetShardIteratorCommandInput,
} from '@aws-sdk/client-kinesis';
import type { KinesisStreamEvent } from 'aws-lambda';
import { computeBackoffMs, realSleep, type Sleep } from '../../lambda/shared/backoff';
import { judgeBatchResponse, judgeFunctionError, type BatchVerdict } from './batch-response';
import { toKinesisEvent, type EventSourceIdentity, type StreamRecordIn } from './kinesis-event';

/** One invocation, as the event source made it: what observers (counts, progress, tests) are told. */
export interface InvocationReport {
  readonly shardId: string;
  readonly event: KinesisStreamEvent;
  /** Retries so far of the batch's first record (what MaximumRetryAttempts counts). */
  readonly attempt: number;
  /** Whether these records were invoked before (a retry, or a half of a bisected batch). */
  readonly isRetry: boolean;
  readonly verdict: BatchVerdict;
}

/** Records the event source gave up on after its retries: what Lambda sends to the on-failure destination. */
export interface AbandonedBatch {
  readonly shardId: string;
  readonly streamArn: string;
  readonly records: readonly StreamRecordIn[];
  readonly attempts: number;
  readonly reason: string;
}

export interface KinesisEventSourceOptions {
  readonly kinesis: KinesisClient;
  readonly streamName: string;
  readonly identity: EventSourceIdentity;
  /** Invokes the function with the event; a rejection is a function error. */
  readonly invoke: (event: KinesisStreamEvent, context: { shardId: string; attempt: number }) => Promise<unknown>;
  /** GetRecords `Limit`, like the mapping's BatchSize. @default 100 */
  readonly batchSize?: number;
  /**
   * Retries of a batch that keeps failing before its remaining records go to `onFailure`, like the mapping's
   * MaximumRetryAttempts. The count restarts when a partial failure moves the checkpoint forward. @default 10
   */
  readonly maximumRetryAttempts?: number;
  /**
   * Concurrent batches per shard, like the mapping's ParallelizationFactor: each page of records is split by a hash
   * of the partition key into this many lanes, invoked concurrently, each in sequence order, so records of one
   * partition key are still processed in order, as Lambda guarantees. @default 1
   */
  readonly parallelizationFactor?: number;
  /** Splits a batch in two when the function throws, like BisectBatchOnFunctionError. @default false */
  readonly bisectBatchOnFunctionError?: boolean;
  /** Base of the full-jitter delay between retries. @default 20 ms */
  readonly retryBaseDelayMs?: number;
  readonly sleep?: Sleep;
  readonly onInvocation?: (report: InvocationReport) => void;
  readonly onFailure?: (batch: AbandonedBatch) => Promise<void>;
}

/**
 * A local Kinesis event source mapping: polls every shard with GetShardIterator/GetRecords, invokes the function
 * with Lambda's Kinesis event, one batch per shard at a time and in order (or one per lane of partition keys with a
 * ParallelizationFactor above 1), and honours
 * `batchItemFailures` (ReportBatchItemFailures) and thrown errors by retrying from the right record.
 * Checkpoints are kept between `drain()` calls, so a caller can drain again after more records were put.
 */
export class KinesisEventSource {
  private readonly checkpoints = new Map<string, string>();
  private readonly batchSize: number;
  private readonly maxRetries: number;
  private readonly lanes: number;

  constructor(private readonly options: KinesisEventSourceOptions) {
    this.batchSize = options.batchSize ?? 100;
    this.maxRetries = options.maximumRetryAttempts ?? 10;
    this.lanes = options.parallelizationFactor ?? 1;
    if (!Number.isInteger(this.lanes) || this.lanes < 1 || this.lanes > 10) {
      throw new RangeError(`parallelizationFactor must be an integer from 1 to 10, received ${this.lanes}`);
    }
    if (!Number.isInteger(this.batchSize) || this.batchSize < 1 || this.batchSize > 10_000) {
      throw new RangeError(`batchSize must be an integer from 1 to 10000, received ${this.batchSize}`);
    }
  }

  /** Processes every record on the stream past the checkpoints, shards in parallel, then returns. */
  async drain(): Promise<void> {
    const shards = await this.listShards();
    await Promise.all(shards.map((shardId) => this.drainShard(shardId)));
  }

  private async listShards(): Promise<string[]> {
    const ids: string[] = [];
    let nextToken: string | undefined;
    do {
      const page = await this.options.kinesis.send(
        new ListShardsCommand(nextToken ? { NextToken: nextToken } : { StreamName: this.options.streamName }),
      );
      for (const shard of page.Shards ?? []) if (shard.ShardId) ids.push(shard.ShardId);
      nextToken = page.NextToken;
    } while (nextToken);
    return ids;
  }

  private async drainShard(shardId: string): Promise<void> {
    let iterator = await this.iteratorAtCheckpoint(shardId);
    while (iterator) {
      let page: GetRecordsCommandOutput;
      try {
        page = await this.options.kinesis.send(
          new GetRecordsCommand({ ShardIterator: iterator, Limit: this.batchSize }),
        );
      } catch (error) {
        // An iterator lives five minutes: a page whose retries took longer (a slow or starved function) leaves the
        // next one expired. Lambda's poller then asks again from its checkpoint; so does this one.
        if (!(error instanceof ExpiredIteratorException)) throw error;
        iterator = await this.iteratorAtCheckpoint(shardId);
        continue;
      }
      const records = page.Records ?? [];
      if (records.length === 0) {
        // Caught up (or the shard is closed): this drain is done.
        if (!page.NextShardIterator || (page.MillisBehindLatest ?? 0) === 0) return;
        iterator = page.NextShardIterator;
        continue;
      }
      await Promise.all(laneBatches(records, this.lanes).map((lane) => this.processBatch(shardId, lane, 0, false)));
      this.checkpoints.set(shardId, records[records.length - 1]!.SequenceNumber!);
      iterator = page.NextShardIterator;
    }
  }

  /**
   * Invokes until every record of the batch succeeded or was given up. A partial failure retries the batch from the
   * lowest failed record; a function error retries the whole batch, split in two halves first when
   * `bisectBatchOnFunctionError` is on (splitting does not count as a retry, as in Lambda).
   */
  private async processBatch(
    shardId: string,
    records: readonly StreamRecordIn[],
    firstAttempt: number,
    isRetry: boolean,
  ): Promise<void> {
    let batch = records;
    let retry = isRetry;
    for (let attempt = firstAttempt; ;) {
      const event = toKinesisEvent(shardId, batch, this.options.identity);
      const sequenceNumbers = event.Records.map((record) => record.kinesis.sequenceNumber);
      let verdict: BatchVerdict;
      let threw = false;
      try {
        verdict = judgeBatchResponse(sequenceNumbers, await this.options.invoke(event, { shardId, attempt }));
      } catch (error) {
        verdict = judgeFunctionError(error);
        threw = true;
      }
      this.options.onInvocation?.({ shardId, event, attempt, isRetry: retry, verdict });
      if (verdict.kind === 'success') return;

      attempt = verdict.fromIndex > 0 ? 1 : attempt + 1;
      const remaining = batch.slice(verdict.fromIndex);
      if (attempt > this.maxRetries) {
        await this.options.onFailure?.({
          shardId,
          streamArn: this.options.identity.streamArn,
          records: remaining,
          attempts: attempt,
          reason: verdict.reason,
        });
        return;
      }
      await (this.options.sleep ?? realSleep)(
        computeBackoffMs(attempt - 1, { baseMs: this.options.retryBaseDelayMs ?? 20, maxMs: 1_000 }),
      );
      if (threw && this.options.bisectBatchOnFunctionError && remaining.length > 1) {
        const half = Math.ceil(remaining.length / 2);
        await this.processBatch(shardId, remaining.slice(0, half), attempt - 1, true);
        await this.processBatch(shardId, remaining.slice(half), attempt - 1, true);
        return;
      }
      batch = remaining;
      retry = true;
    }
  }

  /** An iterator just past the shard's checkpoint, or at its oldest record before the first checkpoint. */
  private iteratorAtCheckpoint(shardId: string): Promise<string | undefined> {
    const checkpoint = this.checkpoints.get(shardId);
    return this.iterator(
      shardId,
      checkpoint
        ? { ShardIteratorType: 'AFTER_SEQUENCE_NUMBER', StartingSequenceNumber: checkpoint }
        : { ShardIteratorType: 'TRIM_HORIZON' },
    );
  }

  private async iterator(
    shardId: string,
    position: Pick<GetShardIteratorCommandInput, 'ShardIteratorType' | 'StartingSequenceNumber'>,
  ): Promise<string | undefined> {
    const answer = await this.options.kinesis.send(
      new GetShardIteratorCommand({ StreamName: this.options.streamName, ShardId: shardId, ...position }),
    );
    return answer.ShardIterator;
  }
}

/**
 * Splits one shard's page into `lanes` batches by a hash of the partition key, keeping sequence order within each:
 * every record of a partition key lands in the same lane, after the ones before it.
 */
export function laneBatches(records: readonly StreamRecordIn[], lanes: number): StreamRecordIn[][] {
  if (lanes === 1) return [[...records]];
  const batches: StreamRecordIn[][] = Array.from({ length: lanes }, () => []);
  for (const record of records) batches[laneOf(record.PartitionKey ?? '', lanes)]!.push(record);
  return batches.filter((batch) => batch.length > 0);
}

/** FNV-1a over the key's UTF-16 code units: stable and evenly spread, which is all a lane needs. */
function laneOf(partitionKey: string, lanes: number): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < partitionKey.length; i++) {
    hash ^= partitionKey.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash % lanes;
}
