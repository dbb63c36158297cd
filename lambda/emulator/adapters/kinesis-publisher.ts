import { PutRecordsCommand, type KinesisClient } from '@aws-sdk/client-kinesis';
import type { PublishEntry, PublishOutcome, RecordPublisher } from '../record-publisher';

/** RecordPublisher over Kinesis PutRecords. The client is injected: tests mock it, the local runner points it home. */
export class KinesisRecordPublisher implements RecordPublisher {
  constructor(
    private readonly client: KinesisClient,
    private readonly streamName: string,
  ) {}

  async publish(entries: readonly PublishEntry[]): Promise<PublishOutcome[]> {
    const response = await this.client.send(
      new PutRecordsCommand({
        StreamName: this.streamName,
        Records: entries.map((e) => ({ Data: e.data, PartitionKey: e.partitionKey })),
      }),
    );
    const results = response.Records ?? [];
    return entries.map((_, i): PublishOutcome => {
      const result = results[i];
      // Success is a sequence number, not the absence of an error code: an entry with neither is not sent.
      if (result?.SequenceNumber && !result.ErrorCode) {
        return { accepted: true, sequenceNumber: result.SequenceNumber, shardId: result.ShardId ?? '' };
      }
      return {
        accepted: false,
        errorCode: result?.ErrorCode ?? 'MissingResult',
        errorMessage: result?.ErrorMessage ?? 'PutRecords returned no sequence number for this entry',
      };
    });
  }
}
