import { parseConfig } from '../../../lib/config/ctr-lake-config';
import { BENCH_FIGURES } from '../../../lib/cost/bench-figures';
import { costAssumptionsOf } from '../../../lib/cost/deployment-assumptions';
import {
  DAYS_PER_MONTH,
  monthlyCost,
  storageByMonth,
  workloadFor,
  type MonthlyCostRequest,
} from '../../../lib/cost/monthly-cost';
import { BYTES_PER_GB, PRICE_LIST, type PriceList } from '../../../lib/cost/price-list';
import { compactionCostPerMillion, IDLE_COMPACTION_RUN_MS, LISTED_COMPACTED_DAYS } from '../../../lib/cost/cost-model';

const CONFIG = parseConfig({});

const request = (overrides: Partial<MonthlyCostRequest> = {}): MonthlyCostRequest => ({
  ctrsPerDay: 50_000,
  ctrBytes: BENCH_FIGURES.ctrBytes,
  streamMode: 'on-demand',
  months: 12,
  assumptions: costAssumptionsOf(CONFIG, overrides.ctrsPerDay ?? 50_000),
  lifecycle: CONFIG.lifecycle,
  dedupStore: 'dynamodb',
  dedupTtlHours: 24,
  ...overrides,
});

/** Only S3 Standard priced, at $1 per GB-month: the storage arithmetic alone. */
const STANDARD_ONLY: PriceList = {
  ...PRICE_LIST,
  s3: { ...PRICE_LIST.s3, perGbMonth: 1 },
  s3Tiers: {
    ...PRICE_LIST.s3Tiers,
    intelligentTieringFrequentPerGbMonth: 0,
    intelligentTieringInfrequentPerGbMonth: 0,
    intelligentTieringArchiveInstantPerGbMonth: 0,
    intelligentTieringMonitoringPerThousandObjects: 0,
    glacierInstantRetrievalPerGbMonth: 0,
    deepArchivePerGbMonth: 0,
    transitionToIntelligentTieringPerThousand: 0,
    transitionToGlacierInstantRetrievalPerThousand: 0,
    transitionToDeepArchivePerThousand: 0,
    deepArchiveStandardOverheadBytes: 0,
    deepArchiveOverheadBytes: 0,
  },
};

describe('monthlyCost', () => {
  it('prices an on-demand stream as 730 stream-hours plus the bytes in (1 KB rounding) and out', () => {
    const cost = monthlyCost(request({ ctrBytes: 2500 }));
    const records = 50_000 * DAYS_PER_MONTH;

    expect(cost.services.kinesis).toBeCloseTo(
      730 * 0.04 + ((records * 3072) / BYTES_PER_GB) * 0.08 + ((records * 2500) / BYTES_PER_GB) * 0.04,
      6,
    );
  });

  it('sizes a provisioned stream for the busiest hour and bills shard-hours and 25 KB PUT units', () => {
    // 10 million CTRs a day at 4x the mean rate: 463 records/s of 2,659 bytes, 1.2 MB/s: two shards.
    const cost = monthlyCost(request({ ctrsPerDay: 10_000_000, streamMode: 'provisioned' }));

    expect(cost.shards).toBe(2);
    expect(cost.services.kinesis).toBeCloseTo(2 * 730 * 0.015 + ((10_000_000 * DAYS_PER_MONTH) / 1e6) * 0.014, 6);
  });

  it('scales the per-CTR services with the volume; the stream-hours and the key do not', () => {
    const small = monthlyCost(request({ ctrsPerDay: 100_000, assumptions: costAssumptionsOf(CONFIG, 100_000) }));
    const large = monthlyCost(request({ ctrsPerDay: 200_000, assumptions: costAssumptionsOf(CONFIG, 200_000) }));

    expect(large.services.dedupStore).toBeCloseTo(2 * small.services.dedupStore, 9);
    expect(large.services.checkerLambda).toBeCloseTo(2 * small.services.checkerLambda, 9);
    expect(large.services.kms).toBe(small.services.kms);
    expect(large.services.total).toBeCloseTo(
      Object.entries(large.services)
        .filter(([name]) => name !== 'total')
        .reduce((sum, [, value]) => sum + value, 0),
      9,
    );
  });

  it('keeps a small volume in S3 Standard: its Firehose objects are under the 128 KB transition minimum', () => {
    const cost = monthlyCost(request({ months: 15 }));

    expect(cost.meanObjectBytes).toBeLessThan(128 * 1024);
    expect(cost.tiersApply).toBe(false);
    expect(cost.storage[14]!.standardGb).toBeCloseTo(cost.storage[14]!.storedGb, 9);
  });

  it('moves a large volume through Intelligent-Tiering, Glacier IR and Deep Archive at the configured ages', () => {
    const cost = monthlyCost(
      request({ ctrsPerDay: 1_000_000, months: 40, assumptions: costAssumptionsOf(CONFIG, 1_000_000) }),
    );
    const at = (month: number) => cost.storage[month - 1]!;
    const dayGb = cost.lakeBytesPerDay / BYTES_PER_GB;

    expect(cost.tiersApply).toBe(true);
    expect(at(1).intelligentTieringGb).toBe(0);
    expect(at(2).standardGb).toBeCloseTo(30 * dayGb, 9);
    expect(at(12).glacierInstantRetrievalGb).toBe(0);
    expect(at(13).glacierInstantRetrievalGb).toBeGreaterThan(0);
    expect(at(36).deepArchiveGb).toBe(0);
    expect(at(37).deepArchiveGb).toBeGreaterThan(0);
    for (let month = 2; month <= 40; month++) {
      expect(at(month).storedGb).toBeGreaterThan(at(month - 1).storedGb);
    }
  });
});

describe('monthlyCost with the nightly compaction', () => {
  const compacted = (ctrsPerDay: number, months = 12) =>
    monthlyCost(
      request({
        ctrsPerDay,
        months,
        assumptions: costAssumptionsOf(CONFIG, ctrsPerDay),
        compaction: { memoryMb: 3008 },
      }),
    );

  it('keeps one object a day, which clears the 128 KB transition minimum, so the tiers apply', () => {
    const cost = compacted(50_000, 15);

    expect(cost.meanObjectBytes).toBeLessThan(128 * 1024);
    expect(cost.storedObjectsPerDay).toBe(1);
    expect(cost.storedObjectBytes).toBeCloseTo(cost.lakeBytesPerDay, 6);
    expect(cost.tiersApply).toBe(true);
    expect(cost.storage[14]!.intelligentTieringGb).toBeGreaterThan(0);
  });

  it('writes a day of more than 256 MiB as objects of at most 256 MiB', () => {
    const cost = compacted(1_000_000);

    expect(cost.lakeBytesPerDay).toBeGreaterThan(256 * 2 ** 20);
    expect(cost.storedObjectsPerDay).toBe(Math.ceil(cost.lakeBytesPerDay / (256 * 2 ** 20)));
  });

  it('leaves a day under 128 KB in Standard even compacted', () => {
    const cost = compacted(200);

    expect(cost.storedObjectsPerDay).toBe(1);
    expect(cost.storedObjectBytes).toBeLessThan(128 * 1024);
    expect(cost.tiersApply).toBe(false);
  });

  it("prices the job with the bench's compaction time scaled to the day's bytes, and nothing without it", () => {
    const cost = compacted(50_000);
    const plain = monthlyCost(request());
    const workload = workloadFor(BENCH_FIGURES.ctrBytes, BENCH_FIGURES);
    const perMillion = compactionCostPerMillion(
      {
        msPerDay: BENCH_FIGURES.compactionMsPerMillionCtrs * 0.05,
        memoryMb: 3008,
        runsPerDay: 4,
        idleRunMs: IDLE_COMPACTION_RUN_MS,
        noncurrentVersionDays: CONFIG.lifecycle.noncurrentVersionExpirationDays,
        objectsPerDay: cost.objectsPerDay,
        listedObjects: LISTED_COMPACTED_DAYS,
      },
      workload,
      costAssumptionsOf(CONFIG, 50_000),
    );

    expect(plain.services.compaction).toBe(0);
    expect(cost.services.compaction).toBeCloseTo(perMillion.total * ((50_000 * DAYS_PER_MONTH) / 1e6), 9);
    expect(cost.services.total - plain.services.total).toBeCloseTo(cost.services.compaction, 9);
  });
});

describe('storageByMonth', () => {
  it("averages a month's stock over its days: a GB a day for 30 days is 15.5 GB-months", () => {
    const [first] = storageByMonth({
      months: 1,
      bytesPerDay: BYTES_PER_GB,
      objectsPerDay: 10,
      lifecycle: CONFIG.lifecycle,
      tiersApply: true,
      servicesUsd: 2,
      prices: STANDARD_ONLY,
    });

    expect(first).toMatchObject({ month: 1, storedGb: 30, standardGb: 30 });
    expect(first!.storageUsd).toBeCloseTo(15.5, 9);
    expect(first!.totalUsd).toBeCloseTo(17.5, 9);
  });
});

describe('workloadFor', () => {
  it("scales the bench's byte figures to the CTR size and rounds to Kinesis' 1 KB and Firehose's 5 KB", () => {
    const workload = workloadFor(4096, BENCH_FIGURES);

    expect(workload.kinesisBilledBytesPerInput).toBe(4096);
    expect(workload.parquetBytesPerRow).toBeCloseTo(4096 * BENCH_FIGURES.parquetBytesPerCtrByte, 9);
    expect(workload.firehoseBilledBytesPerDelivered).toBe(5120);
  });
});
