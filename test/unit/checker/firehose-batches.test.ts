import {
  encodeEnvelope,
  FIREHOSE_MAX_BATCH_BYTES,
  FIREHOSE_MAX_BATCH_RECORDS,
  planFirehoseBatches,
} from '../../../lambda/checker/firehose-batches';
import { anAcceptedEnvelope, aCtr } from '../../support/ctr-factory';

describe('planFirehoseBatches', () => {
  it('keeps one call for up to 500 small records', () => {
    // Act
    const ranges = planFirehoseBatches(new Array<number>(FIREHOSE_MAX_BATCH_RECORDS).fill(2_000));

    // Assert
    expect(ranges).toEqual([[0, 500]]);
  });

  it('starts a new call at the 501st record', () => {
    // Act
    const ranges = planFirehoseBatches(new Array<number>(1_001).fill(100));

    // Assert
    expect(ranges).toEqual([
      [0, 500],
      [500, 1000],
      [1000, 1001],
    ]);
  });

  it('starts a new call before the bytes would pass 4 MiB', () => {
    // Arrange: five records of 1,000 KiB: four fit in 4 MiB (4,096,000 ≤ 4,194,304), the fifth does not.
    const sizes = new Array<number>(5).fill(1000 * 1024);

    // Act
    const ranges = planFirehoseBatches(sizes);

    // Assert
    expect(ranges).toEqual([
      [0, 4],
      [4, 5],
    ]);
    for (const [start, end] of ranges) {
      expect(sizes.slice(start, end).reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(FIREHOSE_MAX_BATCH_BYTES);
    }
  });

  it('fills a call exactly to 4 MiB', () => {
    // Act
    const ranges = planFirehoseBatches([FIREHOSE_MAX_BATCH_BYTES / 2, FIREHOSE_MAX_BATCH_BYTES / 2, 1]);

    // Assert
    expect(ranges).toEqual([
      [0, 2],
      [2, 3],
    ]);
  });

  it('plans nothing for no records', () => {
    expect(planFirehoseBatches([])).toEqual([]);
  });
});

describe('encodeEnvelope', () => {
  it('is the compact UTF-8 JSON of the envelope with no trailing newline', () => {
    // Arrange
    const envelope = anAcceptedEnvelope(aCtr());

    // Act
    const bytes = encodeEnvelope(envelope);

    // Assert
    const text = Buffer.from(bytes).toString('utf8');
    expect(text.endsWith('}')).toBe(true);
    expect(JSON.parse(text)).toEqual(envelope);
  });
});
