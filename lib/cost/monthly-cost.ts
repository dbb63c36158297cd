import type { LifecycleConfig } from '../config/ctr-lake-config';
import { DEFAULT_TARGET_OBJECT_BYTES } from '../../lambda/compaction/context';
import { COMPACTION_RUNS_PER_DAY } from '../../lambda/compaction/time-budget';
import {
  averageBilledBytes,
  compactionCostPerMillion,
  costPerMillionCtrs,
  IDLE_COMPACTION_RUN_MS,
  LISTED_COMPACTED_DAYS,
  objectsPerMillion,
  type CostAssumptions,
  type DesignMeasurements,
  type WorkloadMeasurements,
} from './cost-model';
import { BENCH_FIGURES, DEDUP_STORE_FIGURES, type BenchFigures } from './bench-figures';
import type { DedupStoreName } from '../../lambda/checker/config';
import { compareDedupStores, type DedupStoreComparison, type DedupStoreMeasurements } from './dedup-store-cost';
import { BYTES_PER_GB, HOURS_PER_MONTH, PRICE_LIST, type PriceList } from './price-list';

/**
 * What ctr-lake costs a month at a given volume: the bench's cost model (cost-model.ts) fed with the bench's recorded
 * figures scaled to the CTR size asked for, the dated list prices, and the lake's storage month by month as the
 * lifecycle rule moves it through the storage classes. Pure arithmetic, like cost-model.ts.
 */

export type StreamMode = 'on-demand' | 'provisioned';

export interface MonthlyCostRequest {
  readonly ctrsPerDay: number;
  /** Mean CTR size as Connect streams it (JSON), bytes. */
  readonly ctrBytes: number;
  readonly streamMode: StreamMode;
  /** How many months of storage growth to show. */
  readonly months: number;
  /** The deployment's settings (cdk.json), as the bench's cost assumptions take them; ctrsPerDay is overridden. */
  readonly assumptions: CostAssumptions;
  readonly lifecycle: LifecycleConfig;
  /** The nightly compaction job (ctrLake:compaction, ctrLake:compactionMemoryMb). @default none (ctrLake:compaction false) */
  readonly compaction?: { readonly memoryMb: number };
  /** The store `ctrLake:dedupStore` deploys: its cost is the one in the services. */
  readonly dedupStore: DedupStoreName;
  /** `ctrLake:dedupTtlHours`: how long dedup keys live, which sets how much either store keeps. */
  readonly dedupTtlHours: number;
}

/** Provisioned shards are sized for the busiest hour, assumed to carry this many times the day's mean rate. */
export const PEAK_TO_MEAN = 4;

/** A month of volume: AWS's 730 hours. */
export const DAYS_PER_MONTH = HOURS_PER_MONTH / 24;

export interface ServiceCosts {
  readonly kinesis: number;
  readonly checkerLambda: number;
  /** The configured dedup store: requests and storage, plus the Valkey design's VPC endpoint hours and bytes. */
  readonly dedupStore: number;
  readonly firehose: number;
  readonly transformLambda: number;
  readonly s3Requests: number;
  readonly athena: number;
  readonly kms: number;
  /** The nightly compaction job: its Lambda time, S3 requests and the replaced objects kept as noncurrent versions. */
  readonly compaction: number;
  readonly total: number;
}

export interface StorageMonth {
  /** 1 = the first month the pipeline runs. */
  readonly month: number;
  /** Lake size at the month's end, GB (2^30 bytes), by storage class. */
  readonly storedGb: number;
  readonly standardGb: number;
  readonly intelligentTieringGb: number;
  readonly glacierInstantRetrievalGb: number;
  readonly deepArchiveGb: number;
  /** That month's storage, monitoring and transition charges, USD. */
  readonly storageUsd: number;
  /** Services plus storage, USD. */
  readonly totalUsd: number;
}

export interface MonthlyCost {
  readonly ctrsPerMonth: number;
  readonly services: ServiceCosts;
  /** Provisioned shards for the busiest hour (provisioned mode only). */
  readonly shards?: number;
  readonly lakeBytesPerDay: number;
  /** Objects Firehose writes a day, and their mean size. */
  readonly objectsPerDay: number;
  readonly meanObjectBytes: number;
  /** Objects a day keeps in the lake: what the nightly compaction leaves (Firehose's objects without it). */
  readonly storedObjectsPerDay: number;
  readonly storedObjectBytes: number;
  /** Whether the stored objects are large enough for the lifecycle rule to move them (S3's 128 KB default minimum). */
  readonly tiersApply: boolean;
  readonly storage: readonly StorageMonth[];
  /** Both dedup stores side by side at this volume, and the volumes at which Valkey is the cheaper. */
  readonly dedupStores: DedupStoreComparison;
  readonly figures: BenchFigures;
  readonly prices: PriceList;
}

/** The bench's per-record figures, scaled to another mean CTR size (the lake and the envelopes grow with the CTR). */
export function workloadFor(
  ctrBytes: number,
  figures: BenchFigures,
  prices: PriceList = PRICE_LIST,
): WorkloadMeasurements {
  const envelope = ctrBytes * figures.envelopeBytesPerCtrByte;
  return {
    ctrBytesPerInput: ctrBytes,
    kinesisBilledBytesPerInput: averageBilledBytes([ctrBytes], prices.kinesisOnDemand.ingestRoundingBytes),
    // Every CTR on the stream is assumed distinct: duplicates are dropped before Firehose, so this is the upper bound.
    deliveredPerInput: 1,
    envelopeBytesPerDelivered: envelope,
    firehoseBilledBytesPerDelivered: averageBilledBytes([envelope], prices.firehose.ingestRoundingBytes),
    parquetBytesPerRow: ctrBytes * figures.parquetBytesPerCtrByte,
    transformMsPerRecord: figures.transformMsPerRecord,
  };
}

export function monthlyCost(
  request: MonthlyCostRequest,
  figures: BenchFigures = BENCH_FIGURES,
  prices: PriceList = PRICE_LIST,
  storeFigures: DedupStoreMeasurements = DEDUP_STORE_FIGURES,
): MonthlyCost {
  const ctrsPerMonth = request.ctrsPerDay * DAYS_PER_MONTH;
  const millions = ctrsPerMonth / 1_000_000;
  const assumptions: CostAssumptions = { ...request.assumptions, ctrsPerDay: request.ctrsPerDay };
  const workload = workloadFor(request.ctrBytes, figures, prices);
  const design: DesignMeasurements = {
    // The checker's one conditional PutItem per distinct record (the bench's request economy, section 2).
    writeUnitsPerInput: workload.deliveredPerInput,
    readUnitsPerInput: 0,
    checkerMsPerInvocation: figures.checkerMsPerInvocation * (assumptions.checkerBatchSize / figures.checkerBatchSize),
    // The checker reports no batch item failure on the happy path: each batch is one invocation.
    checkerInvocationsPerBatch: 1,
  };
  const perMillion = costPerMillionCtrs(design, workload, assumptions, prices);
  // Checker time measured at the bench's batch size, scaled to the configured one as above.
  const batchScale = assumptions.checkerBatchSize / figures.checkerBatchSize;
  const dedupStores = compareDedupStores(
    request.ctrsPerDay,
    {
      envelopeBytesPerDelivered: workload.envelopeBytesPerDelivered,
      deliveredPerInput: workload.deliveredPerInput,
      ttlHours: request.dedupTtlHours,
      checkerBatchSize: assumptions.checkerBatchSize,
      checkerMemoryMb: assumptions.checkerMemoryMb,
    },
    {
      dynamodb: {
        ...storeFigures.dynamodb,
        checkerMsPerInvocation: storeFigures.dynamodb.checkerMsPerInvocation * batchScale,
      },
      valkey: {
        ...storeFigures.valkey,
        checkerMsPerInvocation: storeFigures.valkey.checkerMsPerInvocation * batchScale,
      },
    },
    prices,
  );
  const store = dedupStores.months[request.dedupStore];
  const objectsPerDay = (objectsPerMillion(workload, assumptions) * request.ctrsPerDay) / 1_000_000;
  const stream = streamCost(request, workload, prices);
  const services = {
    kinesis: stream.cost,
    checkerLambda: store.checkerLambda,
    dedupStore: store.total - store.checkerLambda,
    firehose: perMillion.firehose * millions,
    transformLambda: perMillion.transformLambda * millions,
    s3Requests: ((objectsPerDay * DAYS_PER_MONTH) / 1000) * prices.s3.perThousandPutRequests,
    athena: perMillion.athena * millions,
    kms: prices.kms.perKeyMonth,
    compaction: request.compaction
      ? compactionCostPerMillion(
          {
            // The run's time grows with the day's bytes: its CTRs and their size.
            msPerDay:
              figures.compactionMsPerMillionCtrs *
              (request.ctrsPerDay / 1_000_000) *
              (request.ctrBytes / figures.ctrBytes),
            memoryMb: request.compaction.memoryMb,
            runsPerDay: COMPACTION_RUNS_PER_DAY,
            idleRunMs: IDLE_COMPACTION_RUN_MS,
            noncurrentVersionDays: request.lifecycle.noncurrentVersionExpirationDays,
            objectsPerDay,
            listedObjects: LISTED_COMPACTED_DAYS,
          },
          workload,
          assumptions,
          prices,
        ).total * millions
      : 0,
  };
  const total = Object.values(services).reduce((sum, value) => sum + value, 0);
  const lakeBytesPerDay = request.ctrsPerDay * workload.deliveredPerInput * workload.parquetBytesPerRow;
  const meanObjectBytes = lakeBytesPerDay / objectsPerDay;
  // The compaction rewrites a day as objects of at most 256 MiB (lambda/compaction: ceil(bytes / bound) of them).
  const storedObjectsPerDay = request.compaction
    ? Math.max(1, Math.ceil(lakeBytesPerDay / DEFAULT_TARGET_OBJECT_BYTES))
    : objectsPerDay;
  const storedObjectBytes = lakeBytesPerDay / storedObjectsPerDay;
  const tiersApply = storedObjectBytes >= prices.s3Tiers.transitionMinimumObjectBytes;
  const storage = storageByMonth({
    months: request.months,
    bytesPerDay: lakeBytesPerDay,
    objectsPerDay: storedObjectsPerDay,
    lifecycle: request.lifecycle,
    tiersApply,
    servicesUsd: total,
    prices,
  });
  return {
    ctrsPerMonth,
    services: { ...services, total },
    ...(stream.shards !== undefined ? { shards: stream.shards } : {}),
    lakeBytesPerDay,
    objectsPerDay,
    meanObjectBytes,
    storedObjectsPerDay,
    storedObjectBytes,
    tiersApply,
    storage,
    dedupStores,
    figures,
    prices,
  };
}

function streamCost(
  request: MonthlyCostRequest,
  workload: WorkloadMeasurements,
  prices: PriceList,
): { cost: number; shards?: number } {
  const recordsPerMonth = request.ctrsPerDay * DAYS_PER_MONTH;
  if (request.streamMode === 'on-demand') {
    const od = prices.kinesisOnDemand;
    return {
      cost:
        HOURS_PER_MONTH * od.perStreamHour +
        ((recordsPerMonth * workload.kinesisBilledBytesPerInput) / BYTES_PER_GB) * od.perGbIngested +
        ((recordsPerMonth * workload.ctrBytesPerInput) / BYTES_PER_GB) * od.perGbRetrieved,
    };
  }
  const pv = prices.kinesisProvisioned;
  const peakRecordsPerSecond = (request.ctrsPerDay / 86_400) * PEAK_TO_MEAN;
  const shards = Math.max(
    1,
    Math.ceil(peakRecordsPerSecond / pv.shardRecordsPerSecond),
    Math.ceil((peakRecordsPerSecond * workload.ctrBytesPerInput) / pv.shardBytesPerSecond),
  );
  const payloadUnits = recordsPerMonth * Math.max(1, Math.ceil(workload.ctrBytesPerInput / pv.putPayloadUnitBytes));
  return {
    cost: shards * HOURS_PER_MONTH * pv.perShardHour + (payloadUnits / 1_000_000) * pv.perMillionPutPayloadUnits,
    shards,
  };
}

interface StorageInput {
  readonly months: number;
  readonly bytesPerDay: number;
  readonly objectsPerDay: number;
  readonly lifecycle: LifecycleConfig;
  readonly tiersApply: boolean;
  readonly servicesUsd: number;
  readonly prices: PriceList;
}

/**
 * The lake month by month: each day adds a day of objects, which age through the lifecycle rule's classes
 * (Standard, then Intelligent-Tiering, Glacier Instant Retrieval, Deep Archive at the configured ages). Inside
 * Intelligent-Tiering an object moves to the Infrequent and Archive Instant tiers after 30 and 90 days without access:
 * the model assumes old days are not read (the named queries read the newest days). Objects under S3's 128 KB
 * transition minimum stay in Standard.
 */
export function storageByMonth(input: StorageInput): StorageMonth[] {
  const { lifecycle, prices } = input;
  const tiers = prices.s3Tiers;
  const never = Number.POSITIVE_INFINITY;
  const it = input.tiersApply ? lifecycle.intelligentTieringDays : never;
  const gir = input.tiersApply ? lifecycle.glacierIrDays : never;
  const da = input.tiersApply ? lifecycle.deepArchiveDays : never;
  /** Days of data aged in [lo, hi) at the end of day `n` (day 0 holds ages 0). */
  const daysAged = (n: number, lo: number, hi: number): number =>
    Math.max(0, Math.min(n + 1, hi) - Math.min(lo, n + 1));
  const gb = (days: number): number => (days * input.bytesPerDay) / BYTES_PER_GB;
  const months: StorageMonth[] = [];
  for (let month = 1; month <= input.months; month++) {
    const first = Math.floor((month - 1) * DAYS_PER_MONTH);
    const last = Math.floor(month * DAYS_PER_MONTH) - 1;
    const daysInMonth = last - first + 1;
    let dollars = 0;
    for (let n = first; n <= last; n++) {
      const itFrequent = daysAged(n, it, Math.min(gir, it + tiers.intelligentTieringInfrequentAfterDays));
      const itInfrequent = daysAged(
        n,
        it + tiers.intelligentTieringInfrequentAfterDays,
        Math.min(gir, it + tiers.intelligentTieringArchiveInstantAfterDays),
      );
      const itArchive = daysAged(n, it + tiers.intelligentTieringArchiveInstantAfterDays, gir);
      const deep = daysAged(n, da, never);
      const perDay =
        gb(daysAged(n, 0, it)) * prices.s3.perGbMonth +
        gb(itFrequent) * tiers.intelligentTieringFrequentPerGbMonth +
        gb(itInfrequent) * tiers.intelligentTieringInfrequentPerGbMonth +
        gb(itArchive) * tiers.intelligentTieringArchiveInstantPerGbMonth +
        ((itFrequent + itInfrequent + itArchive) *
          input.objectsPerDay *
          tiers.intelligentTieringMonitoringPerThousandObjects) /
          1000 +
        gb(daysAged(n, gir, da)) * tiers.glacierInstantRetrievalPerGbMonth +
        gb(deep) * tiers.deepArchivePerGbMonth +
        ((deep * input.objectsPerDay) / BYTES_PER_GB) *
          (tiers.deepArchiveStandardOverheadBytes * prices.s3.perGbMonth +
            tiers.deepArchiveOverheadBytes * tiers.deepArchivePerGbMonth);
      // A month's storage charge is the average over its days of what is stored.
      dollars += perDay / daysInMonth;
      // Each day one day's objects reach each transition age.
      const moved = (age: number): number => (n >= age ? input.objectsPerDay / 1000 : 0);
      dollars +=
        moved(it) * tiers.transitionToIntelligentTieringPerThousand +
        moved(gir) * tiers.transitionToGlacierInstantRetrievalPerThousand +
        moved(da) * tiers.transitionToDeepArchivePerThousand;
    }
    months.push({
      month,
      storedGb: gb(last + 1),
      standardGb: gb(daysAged(last, 0, it)),
      intelligentTieringGb: gb(daysAged(last, it, gir)),
      glacierInstantRetrievalGb: gb(daysAged(last, gir, da)),
      deepArchiveGb: gb(daysAged(last, da, never)),
      storageUsd: dollars,
      totalUsd: dollars + input.servicesUsd,
    });
  }
  return months;
}
