import { CDK_JSON, readProjectConfig } from '../../lib/config/project-config';
import { COMPACTION_RUNS_PER_DAY } from '../../lambda/compaction/time-budget';
import { costAssumptionsOf } from '../../lib/cost/deployment-assumptions';
import { DESIGNS, type DesignName } from './bench-checker';
import type { CheckerBenchResult } from './checker-bench';
import type { CompactionBenchFigures } from './compaction-bench';
import {
  averageBilledBytes,
  costPerMillionCtrs,
  IDLE_COMPACTION_RUN_MS,
  LISTED_COMPACTED_DAYS,
  type CompactionCost,
  type CompactionCostInputs,
  type CostAssumptions,
  type CostBreakdown,
  type WorkloadMeasurements,
} from '../../lib/cost/cost-model';
import type { ScanFigures } from './lake-scan';
import { PRICE_LIST } from '../../lib/cost/price-list';
import { DEDUP_STORE_FIGURES } from '../../lib/cost/bench-figures';
import { compareDedupStores, type DedupStoreComparison } from '../../lib/cost/dedup-store-cost';

/**
 * Where the cost model's inputs come from: the deployment's settings (cdk.json context, read through the app's own
 * config parser, and the stack's fixed settings) and the bench's measurements.
 */

/** The arrival rate the model assumes: a large contact centre, about 30 million CTRs a month. */
export const ASSUMED_CTRS_PER_DAY = 1_000_000;
export function costAssumptions(cdkJsonPath: string = CDK_JSON): CostAssumptions {
  return costAssumptionsOf(readProjectConfig(cdkJsonPath), ASSUMED_CTRS_PER_DAY);
}

/**
 * The compaction job's cost inputs: the measured run on a day of the assumed size (scaled linearly from the largest
 * day measured when that size was not measured), the objects that day held, and the deployment's settings.
 */
export function compactionInputs(
  figures: CompactionBenchFigures,
  assumptions: CostAssumptions,
  cdkJsonPath: string = CDK_JSON,
): CompactionCostInputs {
  const config = readProjectConfig(cdkJsonPath);
  const measured =
    figures.perDay.find((day) => day.ctrsPerDay === assumptions.ctrsPerDay) ??
    [...figures.perDay].sort((a, b) => b.ctrsPerDay - a.ctrsPerDay)[0];
  if (!measured) throw new Error('no compacted day was measured');
  const scale = assumptions.ctrsPerDay / measured.ctrsPerDay;
  return {
    msPerDay: measured.compactionMs * scale,
    memoryMb: config.compaction.memoryMb,
    runsPerDay: COMPACTION_RUNS_PER_DAY,
    idleRunMs: IDLE_COMPACTION_RUN_MS,
    noncurrentVersionDays: config.lifecycle.noncurrentVersionExpirationDays,
    objectsPerDay: measured.objectsBefore,
    listedObjects: LISTED_COMPACTED_DAYS,
  };
}

export function workloadMeasurements(checker: CheckerBenchResult, scan: ScanFigures): WorkloadMeasurements {
  const { ctrSizes, envelopeSizes } = checker.stream;
  return {
    ctrBytesPerInput: mean(ctrSizes),
    kinesisBilledBytesPerInput: averageBilledBytes(ctrSizes, PRICE_LIST.kinesisOnDemand.ingestRoundingBytes),
    deliveredPerInput: checker.stream.unique / checker.stream.records,
    envelopeBytesPerDelivered: mean(envelopeSizes),
    firehoseBilledBytesPerDelivered: averageBilledBytes(envelopeSizes, PRICE_LIST.firehose.ingestRoundingBytes),
    parquetBytesPerRow: scan.parquetBytesPerRow,
    transformMsPerRecord: scan.transformMsPerRecord,
  };
}

/**
 * Cost per million CTRs of each design. The checker's Lambda duration comes from the runs behind the latency
 * proxies: on AWS every request is a network round trip, which loopback runs do not pay.
 */
export function designCosts(
  checker: CheckerBenchResult,
  workload: WorkloadMeasurements,
  assumptions: CostAssumptions,
  compaction?: CompactionCost,
): Record<DesignName, CostBreakdown> {
  const scale = assumptions.checkerBatchSize / checker.stream.batchSize;
  return Object.fromEntries(
    DESIGNS.map((design) => [
      design,
      costPerMillionCtrs(
        {
          writeUnitsPerInput: checker.requests[design].writeUnitsPerInput,
          readUnitsPerInput: checker.requests[design].readUnitsPerInput,
          // Measured at the bench's batch size; scaled linearly if cdk.json configures another.
          checkerMsPerInvocation: checker.throughputWithLatency.designs[design].msPerInvocation * scale,
          checkerInvocationsPerBatch: checker.throughputWithLatency.designs[design].invocationsPerBatch,
        },
        workload,
        assumptions,
        PRICE_LIST,
        compaction,
      ),
    ]),
  ) as Record<DesignName, CostBreakdown>;
}

/**
 * The two dedup stores side by side at the assumed volume, from this run: DynamoDB's write units per distinct CTR
 * (claims and delivered marks, as ours made them) and Valkey's script calls per distinct CTR (one mark each, the rest
 * claims) at the ECPUs per call the server's vCPU times give, its bytes per key, and each design's checker time
 * behind the latency proxies. Every CTR is priced as distinct, as `npm run cost` does. Undefined when Valkey did not
 * run.
 */
export function dedupStoreComparison(
  checker: CheckerBenchResult,
  workload: WorkloadMeasurements,
  assumptions: CostAssumptions,
  cdkJsonPath: string = CDK_JSON,
): DedupStoreComparison | undefined {
  const valkey = checker.valkey;
  if ('skipped' in valkey) return undefined;
  const scale = assumptions.checkerBatchSize / checker.stream.batchSize;
  const distinctShare = checker.stream.unique / checker.stream.records;
  return compareDedupStores(
    assumptions.ctrsPerDay,
    {
      envelopeBytesPerDelivered: workload.envelopeBytesPerDelivered,
      deliveredPerInput: 1,
      ttlHours: readProjectConfig(cdkJsonPath).dedupTtlHours,
      checkerBatchSize: assumptions.checkerBatchSize,
      checkerMemoryMb: assumptions.checkerMemoryMb,
    },
    {
      dynamodb: {
        writeUnitsPerDistinct: checker.requests.ours.writeUnitsPerInput / distinctShare,
        itemBytes: DEDUP_STORE_FIGURES.dynamodb.itemBytes,
        checkerMsPerInvocation: checker.throughputWithLatency.designs.ours.msPerInvocation * scale,
      },
      valkey: {
        ecpusPerClaim: valkey.ecpusPerScript * (valkey.requests.perUnique - 1),
        ecpusPerMark: valkey.ecpusPerScript,
        bytesPerKey: valkey.bytesPerKey,
        checkerMsPerInvocation: valkey.throughputWithLatency.msPerInvocation * scale,
      },
    },
  );
}

function mean(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0) / values.length;
}
