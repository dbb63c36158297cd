import { isIsoTimestamp } from '../../lambda/shared/ctr';
import type { PartitionKeys } from '../../lambda/shared/row-schema';
import { partitionOf } from '../../lambda/transform/to-lake-row';

/** One UTC day of the lake: its year/month/day partition. */
export type LakeDay = PartitionKeys;

/** What one query for a day's fingerprints returned, and what it cost. */
export interface DayFingerprints {
  readonly fingerprints: readonly string[];
  /** Bytes the query engine read (what Athena bills). */
  readonly bytesScanned: number;
}

/** Runs the day's query (its SQL, for that day): Athena on a deployment, DuckDB on a local lake. */
export type DayQuery = (sql: string, day: LakeDay) => Promise<DayFingerprints>;

/**
 * The one query per UTC day: every fingerprint stored in that day's partition. Filtering on the partition columns
 * alone makes Athena read only that day's objects (partition projection) and only the fingerprint column of them
 * (Parquet is columnar); DuckDB opens only that day's files the same way.
 */
export function dayFingerprintsSql(table: string, day: LakeDay): string {
  return (
    `SELECT DISTINCT fingerprint FROM ${table} ` +
    `WHERE year = '${day.year}' AND month = '${day.month}' AND day = '${day.day}'`
  );
}

/** The lake partition a CTR lands in (the transform's own rule), or undefined when it has none (it is quarantined). */
export function lakeDayOf(ctr: Readonly<Record<string, unknown>>): LakeDay | undefined {
  const initiation = ctr.InitiationTimestamp;
  if (!isIsoTimestamp(initiation)) return undefined;
  try {
    return partitionOf(initiation);
  } catch {
    return undefined;
  }
}

/** Days whose fingerprints are kept at once; a day asked for again after being dropped costs a query again. */
export const DAYS_KEPT = 8;

export interface LakeCheckStats {
  /** Day queries run. */
  readonly queries: number;
  /** Bytes they read in all. */
  readonly bytesScanned: number;
  /** Fingerprints they returned in all. */
  readonly fingerprints: number;
}

/**
 * Which fingerprints the lake already holds, day by day, asked once per day when a record of that day first comes
 * along. The days asked most recently are kept (DAYS_KEPT of them): exports are written in arrival order, so records
 * of a day come together and memory stays at a few days' fingerprints however long the backfill.
 */
export class LakeFingerprints {
  private readonly days = new Map<string, ReadonlySet<string>>();
  private queries = 0;
  private bytesScanned = 0;
  private fingerprints = 0;

  constructor(
    private readonly query: DayQuery,
    private readonly table: string,
    private readonly daysKept = DAYS_KEPT,
  ) {}

  async holds(day: LakeDay, fingerprint: string): Promise<boolean> {
    const key = `${day.year}-${day.month}-${day.day}`;
    let held = this.days.get(key);
    if (held === undefined) {
      const answer = await this.query(dayFingerprintsSql(this.table, day), day);
      this.queries += 1;
      this.bytesScanned += answer.bytesScanned;
      this.fingerprints += answer.fingerprints.length;
      held = new Set(answer.fingerprints);
      if (this.days.size >= this.daysKept) this.days.delete(this.days.keys().next().value!);
    } else {
      this.days.delete(key); // re-inserted below: the map's order is least recently used first
    }
    this.days.set(key, held);
    return held.has(fingerprint);
  }

  get stats(): LakeCheckStats {
    return { queries: this.queries, bytesScanned: this.bytesScanned, fingerprints: this.fingerprints };
  }
}
