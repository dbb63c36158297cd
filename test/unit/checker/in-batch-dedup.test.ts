import { decodeRecord, type DecodedCtr } from '../../../lambda/checker/decode-record';
import { dedupWithinBatch } from '../../../lambda/checker/in-batch-dedup';
import { aCtr, kinesisEvent } from '../../support/ctr-factory';
import { toStreamRecords } from '../../../lambda/checker/handler';

function decodeAll(items: object[]): DecodedCtr[] {
  return toStreamRecords(kinesisEvent(items)).map((r) => decodeRecord(r, 'content') as DecodedCtr);
}

describe('dedupWithinBatch', () => {
  it('keeps the first record of each key, in order, and returns the later copies as duplicates', () => {
    // Arrange
    const [a, b] = [aCtr(), aCtr()];
    const decoded = decodeAll([a, b, a, a, b]);

    // Act
    const { kept, duplicates } = dedupWithinBatch(decoded);

    // Assert
    expect(kept).toEqual([decoded[0], decoded[1]]);
    expect(duplicates).toEqual([decoded[2], decoded[3], decoded[4]]);
  });

  it('matches copies that differ only in key order and whitespace', () => {
    // Arrange
    const ctr = aCtr();
    const reordered = Object.fromEntries(Object.entries(ctr).reverse());
    const decoded = decodeAll([ctr, reordered]);

    // Act
    const { kept, duplicates } = dedupWithinBatch(decoded);

    // Assert
    expect(kept).toHaveLength(1);
    expect(duplicates).toHaveLength(1);
  });
});
