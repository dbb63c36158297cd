import { BYTES_PER_GB, BYTES_PER_TB, PRICE_LIST, type PriceList } from './price-list';

/**
 * Cost per million CTRs on AWS, from measured figures and the dated list prices in price-list.ts. Pure arithmetic:
 * the bench (rigs/bench) measures, `npm run cost` (commands/cost.ts) takes the bench's recorded figures, and both
 * multiply here; its unit tests pin the arithmetic.
 *
 * "Per million CTRs" means a million records arriving on the stream, duplicates included, in the duplicate mix
 * the bench measured (so a design that turns duplicates away cheaply is credited for it).
 */

/** The mean billed size when every record is rounded up to a multiple of `unit` bytes (Kinesis 1 KiB, Firehose 5 KB). */
export function averageBilledBytes(sizes: readonly number[], unit: number): number {
  if (sizes.length === 0) throw new RangeError('no record sizes to average');
  if (!(unit > 0)) throw new RangeError(`rounding unit must be positive, received ${unit}`);
  return sizes.reduce((sum, size) => sum + Math.max(1, Math.ceil(size / unit)) * unit, 0) / sizes.length;
}

/** What the cost model assumes about the deployment; every figure is printed with the result. */
export interface CostAssumptions {
  /** Steady arrival rate: it spreads the stream's hourly charge and sets how full Firehose buffers get. */
  readonly ctrsPerDay: number;
  readonly checkerBatchSize: number;
  readonly checkerMemoryMb: number;
  readonly transformMemoryMb: number;
  /** Firehose's Lambda processor buffer: how many bytes of envelopes one transform invocation gets. */
  readonly transformBufferBytes: number;
  readonly firehoseBufferSeconds: number;
  readonly firehoseBufferBytes: number;
  /** Named queries, each run once a day over that day's partition (partition projection prunes the rest). */
  readonly namedQueriesPerDay: number;
}

/** Measured figures that do not depend on the dedup design: the records and the lake are the same for all. */
export interface WorkloadMeasurements {
  /** Mean CTR size on the stream (raw JSON), what Lambda's event source mapping retrieves. */
  readonly ctrBytesPerInput: number;
  /** Mean Kinesis on-demand billed size (each record rounded up to 1 KiB). */
  readonly kinesisBilledBytesPerInput: number;
  /** Share of input records delivered (the rest are duplicates). */
  readonly deliveredPerInput: number;
  /** Mean checker → Firehose envelope size. */
  readonly envelopeBytesPerDelivered: number;
  /** Mean Firehose billed size (each record rounded up to 5 KB). */
  readonly firehoseBilledBytesPerDelivered: number;
  /** Parquet (Snappy) lake bytes per row. */
  readonly parquetBytesPerRow: number;
  /** Transform core CPU time per record. */
  readonly transformMsPerRecord: number;
}

/** Measured figures of one dedup design. */
export interface DesignMeasurements {
  readonly writeUnitsPerInput: number;
  readonly readUnitsPerInput: number;
  /** Median wall time of one checker invocation of (at most) `checkerBatchSize` records. */
  readonly checkerMsPerInvocation: number;
  /** Invocations per batch: 1, plus the redeliveries a design's batch item failures cause. */
  readonly checkerInvocationsPerBatch: number;
}

/** USD per million input CTRs, by AWS service. */
export interface CostBreakdown {
  readonly kinesis: number;
  readonly checkerLambda: number;
  readonly dynamoDb: number;
  readonly firehose: number;
  readonly transformLambda: number;
  readonly s3: number;
  readonly athena: number;
  readonly total: number;
}

const MILLION = 1_000_000;
const SECONDS_PER_DAY = 86_400;

/** Lambda bills each invocation's duration rounded up to the next millisecond, at its memory size. */
export function lambdaCost(
  invocations: number,
  msPerInvocation: number,
  memoryMb: number,
  prices: PriceList = PRICE_LIST,
): number {
  const gbSeconds = invocations * (Math.ceil(msPerInvocation) / 1000) * (memoryMb / 1024);
  return gbSeconds * prices.lambdaArm64.perGbSecond + (invocations / MILLION) * prices.lambdaArm64.perMillionRequests;
}

/**
 * Objects Firehose writes per million input CTRs: one per buffer flush of the (one) active day partition; a buffer
 * flushes when its interval ends or it is full, whichever comes first.
 */
export function objectsPerMillion(workload: WorkloadMeasurements, assumptions: CostAssumptions): number {
  const bytesPerDay = assumptions.ctrsPerDay * workload.deliveredPerInput * workload.envelopeBytesPerDelivered;
  const flushesPerDay = Math.max(
    SECONDS_PER_DAY / assumptions.firehoseBufferSeconds,
    bytesPerDay / assumptions.firehoseBufferBytes,
  );
  return flushesPerDay * (MILLION / assumptions.ctrsPerDay);
}

export function costPerMillionCtrs(
  design: DesignMeasurements,
  workload: WorkloadMeasurements,
  assumptions: CostAssumptions,
  prices: PriceList = PRICE_LIST,
): CostBreakdown {
  const daysPerMillion = MILLION / assumptions.ctrsPerDay;
  const delivered = MILLION * workload.deliveredPerInput;

  const kinesis =
    24 * daysPerMillion * prices.kinesisOnDemand.perStreamHour +
    ((MILLION * workload.kinesisBilledBytesPerInput) / BYTES_PER_GB) * prices.kinesisOnDemand.perGbIngested +
    ((MILLION * workload.ctrBytesPerInput) / BYTES_PER_GB) * prices.kinesisOnDemand.perGbRetrieved;

  const checkerLambda = lambdaCost(
    (MILLION / assumptions.checkerBatchSize) * design.checkerInvocationsPerBatch,
    design.checkerMsPerInvocation,
    assumptions.checkerMemoryMb,
    prices,
  );

  const dynamoDb =
    design.writeUnitsPerInput * prices.dynamoDbOnDemand.perMillionWriteRequestUnits +
    design.readUnitsPerInput * prices.dynamoDbOnDemand.perMillionReadRequestUnits;

  const firehoseGb = (delivered * workload.firehoseBilledBytesPerDelivered) / BYTES_PER_GB;
  const objects = objectsPerMillion(workload, assumptions);
  const firehose =
    firehoseGb *
      (prices.firehose.perGbIngested +
        prices.firehose.perGbFormatConversion +
        prices.firehose.perGbDynamicPartitioning) +
    (objects / 1000) * prices.firehose.perThousandObjectsDynamicPartitioning;

  const recordsPerTransform = Math.max(
    1,
    Math.floor(assumptions.transformBufferBytes / workload.envelopeBytesPerDelivered),
  );
  const transformLambda = lambdaCost(
    delivered / recordsPerTransform,
    recordsPerTransform * workload.transformMsPerRecord,
    assumptions.transformMemoryMb,
    prices,
  );

  const lakeGb = (delivered * workload.parquetBytesPerRow) / BYTES_PER_GB;
  const s3 = lakeGb * prices.s3.perGbMonth + (objects / 1000) * prices.s3.perThousandPutRequests;

  const dayBytes = assumptions.ctrsPerDay * workload.deliveredPerInput * workload.parquetBytesPerRow;
  const bytesPerQuery = Math.max(prices.athena.minimumBytesPerQuery, dayBytes);
  const athena =
    ((assumptions.namedQueriesPerDay * bytesPerQuery) / BYTES_PER_TB) * prices.athena.perTbScanned * daysPerMillion;

  const total = kinesis + checkerLambda + dynamoDb + firehose + transformLambda + s3 + athena;
  return { kinesis, checkerLambda, dynamoDb, firehose, transformLambda, s3, athena, total };
}
