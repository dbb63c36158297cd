/**
 * The port the emulator core sends through: one call is one Kinesis PutRecords request. The core never imports the
 * AWS SDK; adapters/kinesis-publisher.ts implements this with the real client, tests with mocks.
 */
export interface PublishEntry {
  readonly data: Uint8Array;
  readonly partitionKey: string;
}

/**
 * What happened to one entry of a request. `accepted` only when the stream returned a sequence number for it:
 * anything else is a failure, so a record is never reported sent unless the stream holds it.
 */
export type PublishOutcome =
  | { readonly accepted: true; readonly sequenceNumber: string; readonly shardId: string }
  | { readonly accepted: false; readonly errorCode: string; readonly errorMessage: string };

export interface RecordPublisher {
  /**
   * Sends entries in one request and returns one outcome per entry, in order. Rejects when the whole request
   * failed (throttling, a 5xx, a network error, a missing stream): then no entry was acknowledged.
   */
  publish(entries: readonly PublishEntry[]): Promise<PublishOutcome[]>;
}
