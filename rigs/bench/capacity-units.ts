import { BATCH_WRITE_ITEMS, type RequestTally } from './request-counter';

/** The dedup table's shape, as far as DynamoDB's on-demand billing cares. */
export interface TableShape {
  /** Global secondary indexes every successful write also updates: each costs its own write units. */
  readonly globalSecondaryIndexes: number;
  /** Strongly consistent reads cost one read unit per 4 KB, eventually consistent ones half of that. */
  readonly consistentReads: boolean;
  /** Write units per item written: 1 for items up to 1 KB, which every dedup item in this bench is. */
  readonly writeUnitsPerItem: number;
}

export interface CapacityUnits {
  readonly writeUnits: number;
  readonly readUnits: number;
}

const WRITES = new Set(['PutItem', 'UpdateItem', 'DeleteItem']);
const READS = new Set(['GetItem', 'Query']);
/** A write refused by its condition is billed like a write that succeeded, minus the index updates it never made. */
const CONDITION_FAILED = 'ConditionalCheckFailedException';

/**
 * Request units for the DynamoDB requests of a tally. Throttled and failed requests (other than condition
 * failures) are not billed on-demand and count nothing. Reads are assumed to return at most 4 KB (a dedup lookup
 * returns one small item or none). An operation the model does not know is refused rather than priced at zero.
 */
export function capacityUnits(tally: readonly RequestTally[], table: TableShape): CapacityUnits {
  let writeUnits = 0;
  let readUnits = 0;
  for (const line of tally) {
    if (line.service !== 'dynamodb') continue;
    if (line.operation === BATCH_WRITE_ITEMS) {
      // Unconditional puts (the checker's delivered marks): each item written is billed like a PutItem.
      writeUnits += line.count * table.writeUnitsPerItem * (1 + table.globalSecondaryIndexes);
    } else if (line.operation === 'BatchWriteItem') {
      // The request itself is not billed: its items are (the line above).
    } else if (WRITES.has(line.operation)) {
      if (line.outcome === 'ok')
        writeUnits += line.count * table.writeUnitsPerItem * (1 + table.globalSecondaryIndexes);
      else if (line.outcome === CONDITION_FAILED) writeUnits += line.count * table.writeUnitsPerItem;
    } else if (READS.has(line.operation)) {
      if (line.outcome === 'ok') readUnits += line.count * (table.consistentReads ? 1 : 0.5);
    } else if (
      line.operation !== 'CreateTable' &&
      line.operation !== 'DeleteTable' &&
      line.operation !== 'DescribeTable'
    ) {
      throw new RangeError(`the cost model does not price DynamoDB ${line.operation}`);
    }
  }
  return { writeUnits, readUnits };
}
