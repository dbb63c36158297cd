import { capacityUnits, type TableShape } from '../../../../rigs/bench/capacity-units';
import type { RequestTally } from '../../../../rigs/bench/request-counter';

const NO_INDEX: TableShape = { globalSecondaryIndexes: 0, consistentReads: true, writeUnitsPerItem: 1 };
const ONE_INDEX: TableShape = { globalSecondaryIndexes: 1, consistentReads: false, writeUnitsPerItem: 1 };

const line = (operation: string, outcome: string, count: number, service = 'dynamodb'): RequestTally => ({
  service,
  operation,
  outcome,
  count,
});

describe('capacityUnits', () => {
  it('bills a successful write once per table and once per index, a refused condition once', () => {
    // Arrange
    const tally = [line('PutItem', 'ok', 7), line('PutItem', 'ConditionalCheckFailedException', 3)];

    // Act
    const withIndex = capacityUnits(tally, ONE_INDEX);
    const withoutIndex = capacityUnits(tally, NO_INDEX);

    // Assert
    expect(withIndex).toEqual({ writeUnits: 7 * 2 + 3, readUnits: 0 });
    expect(withoutIndex).toEqual({ writeUnits: 10, readUnits: 0 });
  });

  it('bills a BatchWriteItem per item written, not per request', () => {
    // Two requests that wrote 25 and 20 items.
    const tally = [line('BatchWriteItem', 'ok', 2), line('BatchWriteItem:items', 'ok', 45)];

    expect(capacityUnits(tally, NO_INDEX)).toEqual({ writeUnits: 45, readUnits: 0 });
    expect(capacityUnits(tally, ONE_INDEX)).toEqual({ writeUnits: 90, readUnits: 0 });
  });

  it('bills an eventually consistent Query half a read unit and a consistent GetItem a whole one', () => {
    expect(capacityUnits([line('Query', 'ok', 10)], ONE_INDEX)).toEqual({ writeUnits: 0, readUnits: 5 });
    expect(capacityUnits([line('GetItem', 'ok', 10)], NO_INDEX)).toEqual({ writeUnits: 0, readUnits: 10 });
  });

  it('bills nothing for throttled requests and ignores other services and table management', () => {
    // Arrange
    const tally = [
      line('PutItem', 'ProvisionedThroughputExceededException', 4),
      line('PutRecordBatch', 'ok', 9, 'firehose'),
      line('CreateTable', 'ok', 1),
    ];

    // Act
    const units = capacityUnits(tally, NO_INDEX);

    // Assert
    expect(units).toEqual({ writeUnits: 0, readUnits: 0 });
  });

  it('refuses an operation it has no rule for rather than pricing it at zero', () => {
    expect(() => capacityUnits([line('TransactWriteItems', 'ok', 1)], NO_INDEX)).toThrow(/TransactWriteItems/);
  });
});
