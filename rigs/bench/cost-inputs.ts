import { CDK_JSON, readProjectConfig } from '../../lib/config/project-config';
import { costAssumptionsOf } from '../../lib/cost/deployment-assumptions';
import { DESIGNS, type DesignName } from './bench-checker';
import type { CheckerBenchResult } from './checker-bench';
import {
  averageBilledBytes,
  costPerMillionCtrs,
  type CostAssumptions,
  type CostBreakdown,
  type WorkloadMeasurements,
} from '../../lib/cost/cost-model';
import type { ScanFigures } from './lake-scan';
import { PRICE_LIST } from '../../lib/cost/price-list';

/**
 * Where the cost model's inputs come from: the deployment's settings (cdk.json context, read through the app's own
 * config parser, and the stack's fixed settings) and the bench's measurements.
 */

/** The arrival rate the model assumes: a large contact centre, about 30 million CTRs a month. */
export const ASSUMED_CTRS_PER_DAY = 1_000_000;
export function costAssumptions(cdkJsonPath: string = CDK_JSON): CostAssumptions {
  return costAssumptionsOf(readProjectConfig(cdkJsonPath), ASSUMED_CTRS_PER_DAY);
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
      ),
    ]),
  ) as Record<DesignName, CostBreakdown>;
}

function mean(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0) / values.length;
}
