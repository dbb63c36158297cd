import type { KinesisClient } from '@aws-sdk/client-kinesis';
import { KinesisRecordPublisher } from '../../lambda/emulator/adapters/kinesis-publisher';
import type { PreparedRecord } from '../../lambda/emulator/parse-event';
import type { PublishEntry, PublishOutcome, RecordPublisher } from '../../lambda/emulator/record-publisher';
import { sendCtrs } from '../../lambda/emulator/send-ctrs';
import type { SoakRecord } from './soak-input';

export interface ProducerFigures {
  /** Records the stream acknowledged with a sequence number: what is on the stream. */
  accepted: number;
  /** Record sends beyond the first, inside the emulator's sender (refused entries, throttled requests). */
  retries: number;
  /** Records the emulator's sender gave up on and the producer sent again later, as a producer keeps its records. */
  resends: number;
  /** Copies that landed on another shard than their original. */
  crossShardCopies: number;
}

/** Rounds of resending before the producer declares the stream unusable. */
const MAX_ROUNDS = 50;

/**
 * Puts soak records on the stream with the emulator's own sender (PutRecords in limit-sized chunks, jittered
 * retries of refused entries), through the Kinesis fault proxy. What the sender still reports failed is sent again:
 * a producer that loses records would make "nothing lost" meaningless.
 */
export class SoakProducer {
  readonly figures: ProducerFigures = { accepted: 0, retries: 0, resends: 0, crossShardCopies: 0 };
  private readonly publisher: RecordPublisher;
  private readonly shardOfOriginal = new Map<number, string>();
  private readonly copyShards: Array<{ sourceIndex: number; shardId: string }> = [];
  private readonly sent = new Map<Uint8Array, SoakRecord>();

  constructor(
    client: KinesisClient,
    streamName: string,
    private readonly backoff: { readonly baseMs: number; readonly maxMs: number },
  ) {
    const inner = new KinesisRecordPublisher(client, streamName);
    this.publisher = { publish: (entries) => this.observed(entries, inner.publish(entries)) };
  }

  async put(records: readonly SoakRecord[]): Promise<void> {
    let pending: PreparedRecord[] = records.map((record, index) => {
      this.sent.set(record.data, record);
      // sendCtrs uses `contactId` as the partition key: here it is the record's chosen partition key.
      return { index, contactId: record.partitionKey, data: record.data };
    });
    for (let round = 0; pending.length > 0; round++) {
      if (round === MAX_ROUNDS) throw new Error(`${pending.length} records still refused after ${round} rounds`);
      if (round > 0) this.figures.resends += pending.length;
      const report = await sendCtrs(pending, this.publisher, { ...this.backoff, maxAttempts: 8 });
      this.figures.retries += report.retries;
      const failed = new Set(report.failures.map((failure) => failure.index));
      pending = pending.filter((record) => failed.has(record.index));
    }
    for (const record of records) this.sent.delete(record.data);
    this.countCrossShardCopies();
  }

  private async observed(
    entries: readonly PublishEntry[],
    answer: Promise<PublishOutcome[]>,
  ): Promise<PublishOutcome[]> {
    const outcomes = await answer;
    outcomes.forEach((outcome, i) => {
      if (outcome.accepted) this.figures.accepted += 1;
      const record = this.sent.get(entries[i]!.data);
      if (!outcome.accepted || record === undefined || record.kind === 'bad') return;
      if (record.kind === 'original') this.shardOfOriginal.set(record.sourceIndex, outcome.shardId);
      else this.copyShards.push({ sourceIndex: record.sourceIndex, shardId: outcome.shardId });
    });
    return outcomes;
  }

  /** Copies are compared once their original's shard is known (a refused original may land after its copy). */
  private countCrossShardCopies(): void {
    const waiting = this.copyShards.splice(0);
    for (const copy of waiting) {
      const original = this.shardOfOriginal.get(copy.sourceIndex);
      if (original === undefined) this.copyShards.push(copy);
      else if (original !== copy.shardId) this.figures.crossShardCopies += 1;
    }
  }
}
