import {
  GetRecordsCommand,
  GetShardIteratorCommand,
  ListShardsCommand,
  type KinesisClient,
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
  /** 0 for a batch's first invocation, then 1, 2, … for its retries. */
  readonly attempt: number;
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
  /** Base of the full-jitter delay between retries. @default 20 ms */
  readonly retryBaseDelayMs?: number;
  readonly sleep?: Sleep;
  readonly onInvocation?: (report: InvocationReport) => void;
  readonly onFailure?: (batch: AbandonedBatch) => Promise<void>;
}

/**
 * A local Kinesis event source mapping: polls every shard with GetShardIterator/GetRecords, invokes the function
 * with Lambda's Kinesis event, one batch per shard at a time and in order (ParallelizationFactor 1), and honours
 * `batchItemFailures` (ReportBatchItemFailures) and thrown errors by retrying from the right record.
 * Checkpoints are kept between `drain()` calls, so a caller can drain again after more records were put.
 */
export class KinesisEventSource {
  private readonly checkpoints = new Map<string, string>();
  private readonly batchSize: number;
  private readonly maxRetries: number;

  constructor(private readonly options: KinesisEventSourceOptions) {
    this.batchSize = options.batchSize ?? 100;
    this.maxRetries = options.maximumRetryAttempts ?? 10;
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
    const checkpoint = this.checkpoints.get(shardId);
    let iterator = await this.iterator(
      shardId,
      checkpoint
        ? { ShardIteratorType: 'AFTER_SEQUENCE_NUMBER', StartingSequenceNumber: checkpoint }
        : { ShardIteratorType: 'TRIM_HORIZON' },
    );
    while (iterator) {
      const page = await this.options.kinesis.send(
        new GetRecordsCommand({ ShardIterator: iterator, Limit: this.batchSize }),
      );
      const records = page.Records ?? [];
      if (records.length === 0) {
        // Caught up (or the shard is closed): this drain is done.
        if (!page.NextShardIterator || (page.MillisBehindLatest ?? 0) === 0) return;
        iterator = page.NextShardIterator;
        continue;
      }
      const { last, reread } = await this.processBatch(shardId, records);
      this.checkpoints.set(shardId, last);
      iterator = reread
        ? await this.iterator(shardId, { ShardIteratorType: 'AFTER_SEQUENCE_NUMBER', StartingSequenceNumber: last })
        : page.NextShardIterator;
    }
  }

  /** Invokes until the batch succeeds or is abandoned; returns the last sequence number it checkpointed. */
  private async processBatch(shardId: string, first: StreamRecordIn[]): Promise<{ last: string; reread: boolean }> {
    let batch = first;
    let reread = false;
    for (let attempt = 0; ;) {
      const event = toKinesisEvent(shardId, batch, this.options.identity);
      const sequenceNumbers = event.Records.map((record) => record.kinesis.sequenceNumber);
      let verdict: BatchVerdict;
      try {
        verdict = judgeBatchResponse(sequenceNumbers, await this.options.invoke(event, { shardId, attempt }));
      } catch (error) {
        verdict = judgeFunctionError(error);
      }
      this.options.onInvocation?.({ shardId, event, attempt, verdict });
      const last = sequenceNumbers[sequenceNumbers.length - 1]!;
      if (verdict.kind === 'success') return { last, reread };

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
        return { last, reread };
      }
      await (this.options.sleep ?? realSleep)(
        computeBackoffMs(attempt - 1, { baseMs: this.options.retryBaseDelayMs ?? 20, maxMs: 1_000 }),
      );
      batch = await this.readFrom(shardId, sequenceNumbers[verdict.fromIndex]!);
      reread = true;
    }
  }

  /** The batch a retry sees: up to batchSize records from the first failed one. */
  private async readFrom(shardId: string, sequenceNumber: string): Promise<StreamRecordIn[]> {
    const iterator = await this.iterator(shardId, {
      ShardIteratorType: 'AT_SEQUENCE_NUMBER',
      StartingSequenceNumber: sequenceNumber,
    });
    const page = await this.options.kinesis.send(
      new GetRecordsCommand({ ShardIterator: iterator, Limit: this.batchSize }),
    );
    const records = page.Records ?? [];
    if (records.length === 0) throw new Error(`record ${sequenceNumber} of ${shardId} is no longer on the stream`);
    return records;
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
