import type { DedupStoreName } from '../../lambda/checker/config';
import { lambdaCost } from './cost-model';
import { BYTES_PER_GB, HOURS_PER_MONTH, PRICE_LIST, type PriceList } from './price-list';

/**
 * What each dedup store (`ctrLake:dedupStore`) costs a month, and the volume above which the Valkey one is the
 * cheaper. Only what differs between the two designs is priced: the store itself, what the Valkey design's isolated
 * VPC needs to reach Firehose (an interface endpoint in each of its two Availability Zones, and the bytes it
 * processes), and the checker's Lambda duration. The stream, Firehose, the transform, S3, Athena and the KMS key are the
 * same for both and cancel out. Pure arithmetic; its unit tests pin it with hand-computed numbers.
 *
 * A store's monthly cost at V CTRs a day has the form
 *   fixed + perCtrPerDay × V + storagePerGbMonth × max(minimumGb, gbPerCtrPerDay × V),
 * linear but for the storage minimum, so the two stores' difference is a convex piecewise-linear function of V and
 * the volumes at which Valkey is cheaper form one interval, solved exactly in `cheaperInterval`.
 */

/** Store operations per distinct CTR on the happy path (docs/CONTRACTS.md): one claim, one delivered mark. */
export interface DedupStoreWorkload {
  /** Mean checker → Firehose envelope size, bytes (the workload the rest of the cost model uses). */
  readonly envelopeBytesPerDelivered: number;
  /** Share of input CTRs that are distinct: each distinct CTR costs a claim and a mark, and keeps a key alive. */
  readonly deliveredPerInput: number;
  /** How long a key lives (`ctrLake:dedupTtlHours`): keys alive = distinct CTRs a day × ttlHours / 24. */
  readonly ttlHours: number;
  readonly checkerBatchSize: number;
  readonly checkerMemoryMb: number;
}

/** What the bench (or, where said, a local measurement) found about each store's requests, bytes and time. */
export interface DedupStoreMeasurements {
  readonly dynamodb: {
    /** Write request units per distinct CTR: a conditional PutItem claim and a BatchWriteItem mark, each ≤ 1 KB. */
    readonly writeUnitsPerDistinct: number;
    /** Stored size of a marked claim item (attribute names and values), before DynamoDB's per-item overhead. */
    readonly itemBytes: number;
    readonly checkerMsPerInvocation: number;
  };
  readonly valkey: {
    /** ECPUs of one claim and one mark (each one Lua script call, under 1 KB, so priced by its vCPU time). */
    readonly ecpusPerClaim: number;
    readonly ecpusPerMark: number;
    /** Memory one marked claim key takes in the server, overhead included (what "data stored" meters). */
    readonly bytesPerKey: number;
    readonly checkerMsPerInvocation: number;
  };
}

/** A store's monthly cost as a function of the volume (CTRs a day), in the form the header describes. */
export interface CostCurve {
  readonly fixedUsd: number;
  readonly usdPerCtrPerDay: number;
  readonly storage?: { readonly usdPerGbMonth: number; readonly minimumGb: number; readonly gbPerCtrPerDay: number };
}

/** One store's month at one volume, USD, by what it pays for. */
export interface DedupStoreMonth {
  readonly requests: number;
  readonly storage: number;
  readonly endpointHours: number;
  readonly endpointData: number;
  readonly checkerLambda: number;
  readonly total: number;
  readonly perMillionCtrs: number;
}

/** The volumes (CTRs a day) at which Valkey costs less than DynamoDB: none, or every volume above one. */
export type Crossover = { readonly kind: 'never' } | { readonly kind: 'above'; readonly ctrsPerDay: number };

/** The Valkey design's VPC spans two Availability Zones, with the Firehose interface endpoint in each. */
export const VALKEY_ENDPOINT_AZS = 2;
/** `{"Data":""},` around each record's base64 in a PutRecordBatch request body. */
const PUT_RECORD_BATCH_FRAMING_BYTES = 12;
const DAYS_PER_MONTH = HOURS_PER_MONTH / 24;

/**
 * Bytes through the Firehose interface endpoint per delivered CTR: the PutRecordBatch request body, where each
 * envelope travels base64-encoded in JSON. Headers, responses and TLS framing are left out (a few per cent more).
 */
export function endpointBytesPerDelivered(envelopeBytes: number): number {
  return Math.ceil(envelopeBytes / 3) * 4 + PUT_RECORD_BATCH_FRAMING_BYTES;
}

/** Checker Lambda cost a month per CTR a day: one invocation per batch of `checkerBatchSize`. */
function checkerUsdPerCtrPerDay(workload: DedupStoreWorkload, msPerInvocation: number, prices: PriceList): number {
  return (
    (lambdaCost(1, msPerInvocation, workload.checkerMemoryMb, prices) / workload.checkerBatchSize) * DAYS_PER_MONTH
  );
}

export function dynamoDbCurve(
  workload: DedupStoreWorkload,
  measured: DedupStoreMeasurements,
  prices: PriceList = PRICE_LIST,
): { curve: CostCurve; requestsPerCtrPerDay: number; storagePerCtrPerDay: number; lambdaPerCtrPerDay: number } {
  const ddb = prices.dynamoDbOnDemand;
  const m = measured.dynamodb;
  const requestsPerCtrPerDay =
    workload.deliveredPerInput * m.writeUnitsPerDistinct * (ddb.perMillionWriteRequestUnits / 1e6) * DAYS_PER_MONTH;
  // Items alive on average: a day's distinct CTRs times the TTL in days (TTL deletes them once expired, free).
  const gbPerCtrPerDay =
    (workload.deliveredPerInput * (workload.ttlHours / 24) * (m.itemBytes + ddb.itemOverheadBytes)) / BYTES_PER_GB;
  const storagePerCtrPerDay = gbPerCtrPerDay * ddb.perGbMonthStorage;
  const lambdaPerCtrPerDay = checkerUsdPerCtrPerDay(workload, m.checkerMsPerInvocation, prices);
  return {
    curve: { fixedUsd: 0, usdPerCtrPerDay: requestsPerCtrPerDay + storagePerCtrPerDay + lambdaPerCtrPerDay },
    requestsPerCtrPerDay,
    storagePerCtrPerDay,
    lambdaPerCtrPerDay,
  };
}

export function valkeyCurve(
  workload: DedupStoreWorkload,
  measured: DedupStoreMeasurements,
  prices: PriceList = PRICE_LIST,
): { curve: CostCurve; requestsPerCtrPerDay: number; endpointDataPerCtrPerDay: number; lambdaPerCtrPerDay: number } {
  const cache = prices.elastiCacheServerlessValkey;
  const endpoint = prices.privateLinkInterfaceEndpoint;
  const m = measured.valkey;
  const requestsPerCtrPerDay =
    workload.deliveredPerInput * (m.ecpusPerClaim + m.ecpusPerMark) * (cache.perMillionEcpus / 1e6) * DAYS_PER_MONTH;
  const endpointDataPerCtrPerDay =
    ((workload.deliveredPerInput * endpointBytesPerDelivered(workload.envelopeBytesPerDelivered)) / BYTES_PER_GB) *
    endpoint.perGbProcessed *
    DAYS_PER_MONTH;
  const lambdaPerCtrPerDay = checkerUsdPerCtrPerDay(workload, m.checkerMsPerInvocation, prices);
  return {
    curve: {
      fixedUsd: VALKEY_ENDPOINT_AZS * HOURS_PER_MONTH * endpoint.perAzHour,
      usdPerCtrPerDay: requestsPerCtrPerDay + endpointDataPerCtrPerDay + lambdaPerCtrPerDay,
      storage: {
        usdPerGbMonth: cache.perGbHour * HOURS_PER_MONTH,
        minimumGb: cache.minimumBilledGb,
        // Keys alive on average: a day's distinct CTRs times the TTL in days (native expiry at expiresAt).
        gbPerCtrPerDay: (workload.deliveredPerInput * (workload.ttlHours / 24) * m.bytesPerKey) / BYTES_PER_GB,
      },
    },
    requestsPerCtrPerDay,
    endpointDataPerCtrPerDay,
    lambdaPerCtrPerDay,
  };
}

/** A curve's monthly cost at a volume. */
export function curveCost(curve: CostCurve, ctrsPerDay: number): number {
  const storage = curve.storage
    ? curve.storage.usdPerGbMonth * Math.max(curve.storage.minimumGb, curve.storage.gbPerCtrPerDay * ctrsPerDay)
    : 0;
  return curve.fixedUsd + curve.usdPerCtrPerDay * ctrsPerDay + storage;
}

/** Both stores' month at a volume, by component. */
export function dedupStoreMonths(
  ctrsPerDay: number,
  workload: DedupStoreWorkload,
  measured: DedupStoreMeasurements,
  prices: PriceList = PRICE_LIST,
): Record<DedupStoreName, DedupStoreMonth> {
  const millions = (ctrsPerDay * DAYS_PER_MONTH) / 1e6;
  const month = (parts: Omit<DedupStoreMonth, 'total' | 'perMillionCtrs'>): DedupStoreMonth => {
    const total = parts.requests + parts.storage + parts.endpointHours + parts.endpointData + parts.checkerLambda;
    return { ...parts, total, perMillionCtrs: total / millions };
  };
  const d = dynamoDbCurve(workload, measured, prices);
  const v = valkeyCurve(workload, measured, prices);
  const valkeyStorage = v.curve.storage!;
  return {
    dynamodb: month({
      requests: d.requestsPerCtrPerDay * ctrsPerDay,
      storage: d.storagePerCtrPerDay * ctrsPerDay,
      endpointHours: 0,
      endpointData: 0,
      checkerLambda: d.lambdaPerCtrPerDay * ctrsPerDay,
    }),
    valkey: month({
      requests: v.requestsPerCtrPerDay * ctrsPerDay,
      storage:
        valkeyStorage.usdPerGbMonth * Math.max(valkeyStorage.minimumGb, valkeyStorage.gbPerCtrPerDay * ctrsPerDay),
      endpointHours: v.curve.fixedUsd,
      endpointData: v.endpointDataPerCtrPerDay * ctrsPerDay,
      checkerLambda: v.lambdaPerCtrPerDay * ctrsPerDay,
    }),
  };
}

/**
 * The volumes at which `candidate` costs strictly less than `incumbent`, solved exactly. Their difference is
 * D(V) = F + b·V + s·max(m, g·V) (F, b: the differences of the fixed and per-CTR terms; s, m, g: the candidate's
 * storage), a line on each side of the breakpoint m/g. D is convex and D ≥ F + (b + s·g)·V, so when F ≥ 0 the volumes
 * with D < 0 are empty or run from one volume to infinity: the first root of either line inside its piece. The
 * incumbent must be linear (no storage minimum of its own), as DynamoDB on-demand is.
 */
export function cheaperInterval(candidate: CostCurve, incumbent: CostCurve): Crossover {
  if (incumbent.storage !== undefined) throw new RangeError('the incumbent must be linear: no storage minimum');
  const fixed = candidate.fixedUsd - incumbent.fixedUsd;
  if (fixed < 0)
    throw new RangeError(`the candidate's fixed cost must not be below the incumbent's, received ${fixed}`);
  const perCtr = candidate.usdPerCtrPerDay - incumbent.usdPerCtrPerDay;
  const storage = candidate.storage ?? { usdPerGbMonth: 0, minimumGb: 0, gbPerCtrPerDay: 0 };
  const breakpoint = storage.gbPerCtrPerDay > 0 ? storage.minimumGb / storage.gbPerCtrPerDay : Number.POSITIVE_INFINITY;
  // Below the breakpoint: D = (F + s·m) + b·V.
  const belowIntercept = fixed + storage.usdPerGbMonth * storage.minimumGb;
  if (perCtr < 0) {
    const root = belowIntercept / -perCtr;
    if (root < breakpoint) return { kind: 'above', ctrsPerDay: root };
  }
  // Above it: D = F + (b + s·g)·V.
  const aboveSlope = perCtr + storage.usdPerGbMonth * storage.gbPerCtrPerDay;
  if (!Number.isFinite(breakpoint) || aboveSlope >= 0) return { kind: 'never' };
  return { kind: 'above', ctrsPerDay: Math.max(breakpoint, fixed / -aboveSlope) };
}

/** The answer `npm run cost` prints: both stores at a volume and where Valkey is the cheaper. */
export interface DedupStoreComparison {
  readonly ctrsPerDay: number;
  readonly months: Record<DedupStoreName, DedupStoreMonth>;
  readonly curves: Record<DedupStoreName, CostCurve>;
  readonly valkeyCheaper: Crossover;
  readonly measured: DedupStoreMeasurements;
  readonly workload: DedupStoreWorkload;
}

export function compareDedupStores(
  ctrsPerDay: number,
  workload: DedupStoreWorkload,
  measured: DedupStoreMeasurements,
  prices: PriceList = PRICE_LIST,
): DedupStoreComparison {
  const curves = {
    dynamodb: dynamoDbCurve(workload, measured, prices).curve,
    valkey: valkeyCurve(workload, measured, prices).curve,
  };
  return {
    ctrsPerDay,
    months: dedupStoreMonths(ctrsPerDay, workload, measured, prices),
    curves,
    valkeyCheaper: cheaperInterval(curves.valkey, curves.dynamodb),
    measured,
    workload,
  };
}
