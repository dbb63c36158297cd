import type { FirehoseTransformationEvent } from 'aws-lambda';
import type { PartitionKeys } from '../../../lambda/shared/row-schema';
import { chunksOf, DeliveryStream, type ObjectWriter } from '../../../local-aws/firehose/delivery-stream';
import type { ErrorOutputType, FirehoseErrorRecord } from '../../../local-aws/firehose/firehose-records';
import type { ConversionReport } from '../../../local-aws/lake/lake-writer';

/** Records what would be written to the lake. */
class MemoryWriter implements ObjectWriter {
  readonly rows: { partition: PartitionKeys; lines: string[] }[] = [];
  readonly errors: { type: ErrorOutputType; records: FirehoseErrorRecord[] }[] = [];

  async writeRows(partition: PartitionKeys, lines: readonly Buffer[]): Promise<ConversionReport> {
    this.rows.push({ partition, lines: lines.map((l) => l.toString()) });
    return { key: 'ctr/x', refused: [] };
  }

  async writeErrors(type: ErrorOutputType, records: readonly FirehoseErrorRecord[]) {
    this.errors.push({ type, records: [...records] });
    return 'errors/x';
  }
}

/** A transform that sends `day-NN` records to that day, fails `bad` ones and drops `drop` ones. */
const byContent = async (event: FirehoseTransformationEvent) => ({
  records: event.records.map(({ recordId, data }) => {
    const text = Buffer.from(data, 'base64').toString();
    if (text === 'bad') return { recordId, result: 'ProcessingFailed', data };
    if (text === 'drop') return { recordId, result: 'Dropped', data };
    return {
      recordId,
      result: 'Ok',
      data: Buffer.from(`{"v":"${text}"}\n`).toString('base64'),
      metadata: { partitionKeys: { year: '2026', month: '03', day: text.slice(4) } },
    };
  }),
});

function stream(
  writer: ObjectWriter,
  transform: (e: FirehoseTransformationEvent, attempt: number) => Promise<unknown>,
) {
  return new DeliveryStream({
    name: 'lake',
    arn: 'arn:aws:firehose:us-east-1:000000000000:deliverystream/lake',
    region: 'us-east-1',
    transformArn: 'arn:aws:lambda:us-east-1:000000000000:function:transform:$LATEST',
    writer,
    transform,
    bufferIntervalMs: 60_000,
    now: () => new Date('2026-03-06T10:00:00Z'),
  });
}

const put = (s: DeliveryStream, ...texts: string[]) => s.put(texts.map((t) => Buffer.from(t)));

describe('DeliveryStream', () => {
  it('writes Ok rows grouped by partition and failures under the error output', async () => {
    // Arrange
    const writer = new MemoryWriter();
    const delivery = stream(writer, byContent);
    put(delivery, 'day-04', 'day-05', 'bad', 'day-04', 'drop');

    // Act
    await delivery.flush();

    // Assert
    expect(writer.rows).toEqual([
      { partition: { year: '2026', month: '03', day: '04' }, lines: ['{"v":"day-04"}\n', '{"v":"day-04"}\n'] },
      { partition: { year: '2026', month: '03', day: '05' }, lines: ['{"v":"day-05"}\n'] },
    ]);
    expect(writer.errors).toHaveLength(1);
    expect(writer.errors[0]!.type).toBe('processing-failed');
    expect(writer.errors[0]!.records[0]).toMatchObject({
      attemptsMade: 1,
      errorCode: 'Lambda.ProcessingFailed',
      rawData: Buffer.from('bad').toString('base64'),
      lambdaArn: 'arn:aws:lambda:us-east-1:000000000000:function:transform:$LATEST',
    });
    expect(delivery.stats).toMatchObject({
      recordsIn: 5,
      rows: 3,
      dropped: 1,
      errorRecords: 1,
      transformInvocations: 1,
    });
  });

  it('retries a transform that throws, then fails every record of the invocation with Lambda.FunctionError', async () => {
    // Arrange
    const writer = new MemoryWriter();
    const attempts: number[] = [];
    const delivery = stream(writer, async (_event, attempt) => {
      attempts.push(attempt);
      throw new Error('transform crashed');
    });
    put(delivery, 'day-04', 'day-05');

    // Act
    await delivery.flush();

    // Assert
    expect(attempts).toEqual([0, 1, 2, 3]);
    expect(writer.rows).toEqual([]);
    expect(writer.errors[0]!.records.map((r) => [r.errorCode, r.attemptsMade])).toEqual([
      ['Lambda.FunctionError', 4],
      ['Lambda.FunctionError', 4],
    ]);
    expect(delivery.stats.transformRetries).toBe(3);
  });

  it('recovers when a retried invocation succeeds', async () => {
    // Arrange
    const writer = new MemoryWriter();
    let calls = 0;
    const delivery = stream(writer, async (event) => {
      calls += 1;
      if (calls === 1) return { records: [] }; // every recordId missing
      return byContent(event);
    });
    put(delivery, 'day-04');

    // Act
    await delivery.flush();

    // Assert
    expect(writer.rows).toHaveLength(1);
    expect(writer.errors).toEqual([]);
  });

  it('delivers by itself once the buffer size is reached', async () => {
    // Arrange
    const writer = new MemoryWriter();
    const delivery = new DeliveryStream({
      name: 'lake',
      arn: 'arn',
      region: 'us-east-1',
      transformArn: 'fn',
      writer,
      transform: byContent,
      bufferSizeBytes: 10,
      bufferIntervalMs: 60_000,
    });

    // Act
    put(delivery, 'day-04', 'day-05');
    await delivery.flush(); // waits for the delivery the size triggered

    // Assert
    expect(writer.rows.flatMap((r) => r.lines)).toHaveLength(2);
  });

  it('sends rows that Parquet conversion refused to the format-conversion error output', async () => {
    // Arrange
    const writer = new MemoryWriter();
    writer.writeRows = async () => ({ key: 'ctr/x', refused: [{ index: 1, reason: 'Failed to cast value' }] });
    const delivery = stream(writer, byContent);
    put(delivery, 'day-04', 'day-04');

    // Act
    await delivery.flush();

    // Assert
    expect(writer.errors).toEqual([
      {
        type: 'format-conversion-failed',
        records: [
          expect.objectContaining({
            errorCode: 'DataFormatConversion.MalformedData',
            errorMessage: 'Failed to cast value',
          }),
        ],
      },
    ]);
    expect(delivery.stats).toMatchObject({ rows: 1, errorRecords: 1 });
  });

  it('rethrows a failed write on the next flush', async () => {
    // Arrange
    const writer = new MemoryWriter();
    writer.writeRows = async () => {
      throw new Error('disk full');
    };
    const delivery = stream(writer, byContent);
    put(delivery, 'day-04');

    // Act / Assert
    await expect(delivery.flush()).rejects.toThrow('disk full');
  });
});

describe('chunksOf', () => {
  it('splits records into runs of at most the given size, a larger record alone', () => {
    // Arrange
    const records = [3, 3, 5, 1].map((n, i) => ({ recordId: `r${i}`, data: Buffer.alloc(n), arrivalMs: 0 }));

    // Act
    const chunks = chunksOf(records, 6);

    // Assert
    expect(chunks.map((c) => c.map((r) => r.recordId))).toEqual([
      ['r0', 'r1'],
      ['r2', 'r3'],
    ]);
  });
});
