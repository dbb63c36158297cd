import {
  cheaperInterval,
  compareDedupStores,
  curveCost,
  dedupStoreMonths,
  endpointBytesPerDelivered,
  type CostCurve,
  type DedupStoreMeasurements,
  type DedupStoreWorkload,
} from '../../../lib/cost/dedup-store-cost';
import { PRICE_LIST, type PriceList } from '../../../lib/cost/price-list';

/** Prices chosen so that the expected figures are easy to work out by hand; Lambda free unless a test says. */
const PRICES: PriceList = {
  ...PRICE_LIST,
  lambdaArm64: { ...PRICE_LIST.lambdaArm64, perGbSecond: 0, perMillionRequests: 0 },
  dynamoDbOnDemand: { ...PRICE_LIST.dynamoDbOnDemand, perMillionWriteRequestUnits: 1, perGbMonthStorage: 0.5 },
  elastiCacheServerlessValkey: { ...PRICE_LIST.elastiCacheServerlessValkey, perGbHour: 0.1, perMillionEcpus: 1 },
  privateLinkInterfaceEndpoint: { ...PRICE_LIST.privateLinkInterfaceEndpoint, perAzHour: 0.01, perGbProcessed: 0.02 },
};

const WORKLOAD: DedupStoreWorkload = {
  envelopeBytesPerDelivered: 3000,
  deliveredPerInput: 1,
  ttlHours: 48,
  checkerBatchSize: 100,
  checkerMemoryMb: 1024,
};

const MEASURED: DedupStoreMeasurements = {
  dynamodb: { writeUnitsPerDistinct: 2, itemBytes: 437, checkerMsPerInvocation: 20 },
  valkey: { ecpusPerClaim: 6, ecpusPerMark: 3, bytesPerKey: 629, checkerMsPerInvocation: 20 },
};

describe('endpointBytesPerDelivered', () => {
  it('counts the envelope base64-encoded in the PutRecordBatch JSON body', () => {
    // 3,000 bytes are 4,000 characters of base64, plus `{"Data":""},`.
    expect(endpointBytesPerDelivered(3000)).toBe(4012);
    expect(endpointBytesPerDelivered(3001)).toBe(4016);
  });
});

describe('dedupStoreMonths', () => {
  // 1,000,000 CTRs a day, a month of 730 / 24 = 30.4167 days.
  const months = dedupStoreMonths(1_000_000, WORKLOAD, MEASURED, PRICES);

  it('prices DynamoDB as write units plus the items alive for the TTL, no endpoint', () => {
    // 2 units × 30,416,667 CTRs at $1 a million.
    expect(months.dynamodb.requests).toBeCloseTo(60.833333, 5);
    // 2,000,000 items alive (48 h) × (437 + 100) bytes = 1.000240 GB at $0.50.
    expect(months.dynamodb.storage).toBeCloseTo(0.50012, 5);
    expect(months.dynamodb.endpointHours).toBe(0);
    expect(months.dynamodb.endpointData).toBe(0);
    expect(months.dynamodb.total).toBeCloseTo(61.333453, 5);
    expect(months.dynamodb.perMillionCtrs).toBeCloseTo(61.333453 / 30.416667, 5);
  });

  it('prices Valkey as ECPUs, the keys alive (over the 100 MB minimum), two endpoint AZs and the bytes through them', () => {
    // 9 ECPUs × 30,416,667 CTRs at $1 a million.
    expect(months.valkey.requests).toBeCloseTo(273.75, 5);
    // 2,000,000 keys × 629 bytes = 1.171601 GB at $0.10 × 730 h.
    expect(months.valkey.storage).toBeCloseTo(85.527077, 5);
    // 2 AZs × 730 h × $0.01.
    expect(months.valkey.endpointHours).toBeCloseTo(14.6, 9);
    // 30,416,667 × 4,012 bytes = 113.6508 GB at $0.02.
    expect(months.valkey.endpointData).toBeCloseTo(2.273017, 5);
  });

  it('bills the storage minimum when the keys take less', () => {
    // 2,000 keys × 629 bytes is far under 0.1 GB: 0.1 GB × $0.10 × 730 h.
    expect(dedupStoreMonths(1000, WORKLOAD, MEASURED, PRICES).valkey.storage).toBeCloseTo(7.3, 9);
  });

  it("adds the checker's Lambda time per batch invocation", () => {
    const prices = { ...PRICES, lambdaArm64: { ...PRICES.lambdaArm64, perGbSecond: 1e-5, perMillionRequests: 0.2 } };

    // 304,167 invocations × (20 ms × 1 GB × $0.00001 + $0.0000002) = 304,167 × $0.0000004.
    expect(dedupStoreMonths(1_000_000, WORKLOAD, MEASURED, prices).dynamodb.checkerLambda).toBeCloseTo(0.121667, 5);
  });
});

describe('cheaperInterval', () => {
  const linear = (usdPerCtrPerDay: number): CostCurve => ({ fixedUsd: 0, usdPerCtrPerDay });
  /** Storage at $10 a GB-month, 0.1 GB minimum, 1e-6 GB per CTR a day: breakpoint at 100,000 CTRs a day. */
  const withStorage = (fixedUsd: number, usdPerCtrPerDay: number): CostCurve => ({
    fixedUsd,
    usdPerCtrPerDay,
    storage: { usdPerGbMonth: 10, minimumGb: 0.1, gbPerCtrPerDay: 1e-6 },
  });

  it('solves the crossover above the storage minimum', () => {
    // Below 100,000: D = 20 + 1 − 3e-5·V, zero at 700,000, outside the piece. Above: D = 20 − 2e-5·V, zero at 1,000,000.
    const crossover = cheaperInterval(withStorage(20, 1e-5), linear(4e-5));

    expect(crossover.kind).toBe('above');
    expect(crossover.kind === 'above' && crossover.ctrsPerDay).toBeCloseTo(1_000_000, 3);
  });

  it('solves the crossover inside the storage minimum', () => {
    // Below 100,000: D = 1.4 + 1 − 3e-5·V, zero at 80,000.
    const crossover = cheaperInterval(withStorage(1.4, 1e-5), linear(4e-5));

    expect(crossover.kind === 'above' && crossover.ctrsPerDay).toBeCloseTo(80_000, 3);
  });

  it('answers never when the candidate costs more per CTR once its storage grows', () => {
    // Above 100,000: D = 20 + (1e-5 + 1e-5 − 1.5e-5)·V, positive everywhere.
    expect(cheaperInterval(withStorage(20, 1e-5), linear(1.5e-5))).toEqual({ kind: 'never' });
    expect(cheaperInterval({ fixedUsd: 5, usdPerCtrPerDay: 2e-5 }, linear(2e-5))).toEqual({ kind: 'never' });
  });

  it('costs the same on both sides of the volume it returns', () => {
    const candidate = withStorage(20, 1e-5);
    const incumbent = linear(4e-5);
    const crossover = cheaperInterval(candidate, incumbent);
    if (crossover.kind !== 'above') throw new Error('expected a crossover');

    expect(curveCost(candidate, crossover.ctrsPerDay)).toBeCloseTo(curveCost(incumbent, crossover.ctrsPerDay), 6);
    expect(curveCost(candidate, crossover.ctrsPerDay * 1.01)).toBeLessThan(
      curveCost(incumbent, crossover.ctrsPerDay * 1.01),
    );
  });

  it('refuses an incumbent with a storage minimum of its own', () => {
    expect(() => cheaperInterval(linear(1), withStorage(0, 1))).toThrow(/incumbent must be linear/);
  });
});

describe('compareDedupStores', () => {
  it('finds where Valkey overtakes DynamoDB, worked by hand', () => {
    // DynamoDB: 2 units at $1 a million, nothing else: 2e-6 × 30.4167 = 6.0833e-5 a month per CTR a day.
    // Valkey: 1,074 bytes a key for 24 h: 1.00024e-6 GB per CTR a day at $0.05 × 730 = $36.50 a GB-month,
    // 3.6509e-5; fixed 2 × 730 × $0.01 = $14.60. Above the 0.1 GB minimum (99,976 CTRs a day) the difference is
    // 14.60 − 2.43246e-5·V: zero at 600,216 CTRs a day. Below it, 18.25 − 6.0833e-5·V is zero at 300,000: not there.
    const prices: PriceList = {
      ...PRICES,
      dynamoDbOnDemand: { ...PRICES.dynamoDbOnDemand, perGbMonthStorage: 0 },
      elastiCacheServerlessValkey: { ...PRICES.elastiCacheServerlessValkey, perGbHour: 0.05, perMillionEcpus: 0 },
      privateLinkInterfaceEndpoint: { ...PRICES.privateLinkInterfaceEndpoint, perGbProcessed: 0 },
    };
    const measured: DedupStoreMeasurements = { ...MEASURED, valkey: { ...MEASURED.valkey, bytesPerKey: 1074 } };

    const comparison = compareDedupStores(1_000_000, { ...WORKLOAD, ttlHours: 24 }, measured, prices);

    expect(comparison.valkeyCheaper.kind).toBe('above');
    expect(comparison.valkeyCheaper.kind === 'above' && comparison.valkeyCheaper.ctrsPerDay).toBeCloseTo(600_216.48, 1);
  });

  it('answers never when a key costs more to keep than its two writes in DynamoDB', () => {
    // At $0.10 a GB-hour the 1,074-byte key costs 7.30e-5 a month per CTR a day, above DynamoDB's 6.08e-5.
    const prices: PriceList = {
      ...PRICES,
      dynamoDbOnDemand: { ...PRICES.dynamoDbOnDemand, perGbMonthStorage: 0 },
      elastiCacheServerlessValkey: { ...PRICES.elastiCacheServerlessValkey, perMillionEcpus: 0 },
    };
    const measured: DedupStoreMeasurements = { ...MEASURED, valkey: { ...MEASURED.valkey, bytesPerKey: 1074 } };

    expect(compareDedupStores(1_000_000, { ...WORKLOAD, ttlHours: 24 }, measured, prices).valkeyCheaper).toEqual({
      kind: 'never',
    });
  });
});
