import type { FirehoseTransformationEvent } from 'aws-lambda';
import { randomBytes } from 'node:crypto';
import type { PartitionKeys } from '../../lambda/shared/row-schema';
import type { ConversionReport } from '../lake/lake-writer';
import type { BufferedRecord, ErrorOutputType, FirehoseErrorRecord } from './firehose-records';
import {
  readTransformationResult,
  toTransformationEvent,
  TransformResponseError,
  type RecordOutcome,
} from './transformation';

/** Where delivered objects go: the lake writer (an interface, so tests can watch deliveries). */
export interface ObjectWriter {
  writeRows(partition: PartitionKeys, lines: readonly Buffer[], at: Date): Promise<ConversionReport>;
  writeErrors(type: ErrorOutputType, records: readonly FirehoseErrorRecord[], at: Date): Promise<string>;
}

export interface DeliveryStreamOptions {
  readonly name: string;
  readonly arn: string;
  readonly region: string;
  /** Invokes the transformation Lambda; a rejection is a function error. */
  readonly transform: (event: FirehoseTransformationEvent, attempt: number) => Promise<unknown>;
  /** ARN written into error records' `lambdaArn`. */
  readonly transformArn: string;
  readonly writer: ObjectWriter;
  /** Delivers when this many bytes are buffered (like the processor's BufferSizeInMBs). @default 1 MiB */
  readonly bufferSizeBytes?: number;
  /** Delivers this long after the first buffered record (the buffering interval). @default 1 000 ms */
  readonly bufferIntervalMs?: number;
  /** Invocation retries after a function error or unusable answer (the processor's NumberOfRetries). @default 3 */
  readonly transformRetries?: number;
  readonly now?: () => Date;
}

export interface DeliveryStats {
  /** Records accepted from PutRecord/PutRecordBatch. */
  recordsIn: number;
  /** Rows written to the lake (Ok results that converted). */
  rows: number;
  dropped: number;
  /** Records written under the error prefix. */
  errorRecords: number;
  objects: number;
  transformInvocations: number;
  transformRetries: number;
}

/**
 * The delivery side of a local Firehose stream with a Lambda processor, dynamic partitioning by the processor's
 * partition keys, and S3 as destination: buffers records, invokes the transform on each buffer, and writes `Ok`
 * rows under their partition prefix and failures under the error prefix. Deliveries run one at a time, in order.
 */
export class DeliveryStream {
  readonly stats: DeliveryStats = {
    recordsIn: 0,
    rows: 0,
    dropped: 0,
    errorRecords: 0,
    objects: 0,
    transformInvocations: 0,
    transformRetries: 0,
  };

  /** Keys of the error objects written, in order. */
  readonly errorObjects: string[] = [];

  private buffer: BufferedRecord[] = [];
  private bufferedBytes = 0;
  private timer: NodeJS.Timeout | undefined;
  private chain: Promise<void> = Promise.resolve();
  private failure: unknown;

  constructor(private readonly options: DeliveryStreamOptions) {}

  /** Accepts records (what PutRecordBatch stored); returns their record ids. */
  put(data: readonly Buffer[]): string[] {
    const arrivalMs = this.now().getTime();
    const ids = data.map((bytes) => {
      const recordId = randomBytes(28).toString('hex');
      this.buffer.push({ recordId, data: bytes, arrivalMs });
      this.bufferedBytes += bytes.length;
      return recordId;
    });
    this.stats.recordsIn += data.length;
    if (this.bufferedBytes >= (this.options.bufferSizeBytes ?? 1024 * 1024)) {
      void this.flush().catch(() => undefined); // kept in `failure`, rethrown by the next flush()
    } else {
      this.timer ??= setTimeout(() => void this.flush().catch(() => undefined), this.options.bufferIntervalMs ?? 1_000);
    }
    return ids;
  }

  /** Delivers everything buffered so far; rejects if any delivery failed (e.g. the lake could not be written). */
  flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    const records = this.buffer;
    this.buffer = [];
    this.bufferedBytes = 0;
    this.chain = this.chain.then(async () => {
      if (records.length > 0) {
        try {
          await this.deliver(records);
        } catch (error) {
          this.failure ??= error;
        }
      }
      if (this.failure !== undefined) throw this.failure;
    });
    return this.chain;
  }

  /** Stops the buffering timer without delivering (what is buffered is lost, as when a stream is deleted). */
  dispose(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private async deliver(records: readonly BufferedRecord[]): Promise<void> {
    const outcomes = await this.transformAll(records);
    const at = this.now();
    const groups = new Map<string, { partition: PartitionKeys; outcomes: Extract<RecordOutcome, { kind: 'ok' }>[] }>();
    const failed = new Map<ErrorOutputType, FirehoseErrorRecord[]>();
    const fail = (type: ErrorOutputType, record: FirehoseErrorRecord): void => {
      const list = failed.get(type) ?? [];
      list.push(record);
      failed.set(type, list);
    };
    for (const outcome of outcomes) {
      if (outcome.kind === 'ok') {
        const id = `${outcome.partition.year}/${outcome.partition.month}/${outcome.partition.day}`;
        const group = groups.get(id) ?? { partition: outcome.partition, outcomes: [] };
        group.outcomes.push(outcome);
        groups.set(id, group);
      } else if (outcome.kind === 'dropped') {
        this.stats.dropped += 1;
      } else {
        fail(
          outcome.outputType,
          this.errorRecord(outcome.record, outcome.errorCode, outcome.errorMessage, outcome.attempts ?? 1, at),
        );
      }
    }
    for (const group of groups.values()) {
      const report = await this.options.writer.writeRows(
        group.partition,
        group.outcomes.map((o) => o.data),
        at,
      );
      if (report.key) this.stats.objects += 1;
      this.stats.rows += group.outcomes.length - report.refused.length;
      for (const { index, reason } of report.refused) {
        fail(
          'format-conversion-failed',
          this.errorRecord(group.outcomes[index]!.record, 'DataFormatConversion.MalformedData', reason, 1, at),
        );
      }
    }
    for (const [type, errorRecords] of failed) await this.writeErrors(type, errorRecords, at);
  }

  /** Invokes the transform on chunks of at most 1 MiB (and 6 MB of event), retrying each chunk as Firehose does. */
  private async transformAll(records: readonly BufferedRecord[]): Promise<RecordOutcome[]> {
    const outcomes: RecordOutcome[] = [];
    for (const chunk of chunksOf(records, 1024 * 1024)) outcomes.push(...(await this.transformChunk(chunk)));
    return outcomes;
  }

  private async transformChunk(records: readonly BufferedRecord[]): Promise<RecordOutcome[]> {
    const retries = this.options.transformRetries ?? 3;
    let lastCode = 'Lambda.FunctionError';
    let lastMessage = '';
    for (let attempt = 0; attempt <= retries; attempt += 1) {
      if (attempt > 0) this.stats.transformRetries += 1;
      this.stats.transformInvocations += 1;
      const event = toTransformationEvent(records, {
        deliveryStreamArn: this.options.arn,
        region: this.options.region,
      });
      try {
        return readTransformationResult(records, await this.options.transform(event, attempt));
      } catch (error) {
        lastCode = error instanceof TransformResponseError ? error.errorCode : 'Lambda.FunctionError';
        lastMessage = error instanceof Error ? error.message : String(error);
      }
    }
    return records.map((record) => ({
      kind: 'failed',
      record,
      outputType: 'processing-failed',
      errorCode: lastCode,
      errorMessage: lastMessage,
      attempts: retries + 1,
    }));
  }

  private async writeErrors(type: ErrorOutputType, records: readonly FirehoseErrorRecord[], at: Date): Promise<void> {
    if (records.length === 0) return;
    this.errorObjects.push(await this.options.writer.writeErrors(type, records, at));
    this.stats.errorRecords += records.length;
    this.stats.objects += 1;
  }

  private errorRecord(
    record: BufferedRecord,
    errorCode: string,
    errorMessage: string,
    attemptsMade: number,
    at: Date,
  ): FirehoseErrorRecord {
    return {
      attemptsMade,
      arrivalTimestamp: record.arrivalMs,
      errorCode,
      errorMessage,
      attemptEndingTimestamp: at.getTime(),
      rawData: record.data.toString('base64'),
      lambdaArn: this.options.transformArn,
    };
  }

  private now(): Date {
    return this.options.now?.() ?? new Date();
  }
}

/** Splits records into runs whose data add up to at most `maxBytes` (a single larger record goes alone). */
export function chunksOf(records: readonly BufferedRecord[], maxBytes: number): BufferedRecord[][] {
  const chunks: BufferedRecord[][] = [];
  let current: BufferedRecord[] = [];
  let size = 0;
  for (const record of records) {
    if (current.length > 0 && size + record.data.length > maxBytes) {
      chunks.push(current);
      current = [];
      size = 0;
    }
    current.push(record);
    size += record.data.length;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}
