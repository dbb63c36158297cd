import {
  averageBilledBytes,
  costPerMillionCtrs,
  lambdaCost,
  objectsPerMillion,
  type CostAssumptions,
  type DesignMeasurements,
  type WorkloadMeasurements,
} from '../../../lib/cost/cost-model';
import { BYTES_PER_GB, BYTES_PER_TB, PRICE_LIST, type PriceList } from '../../../lib/cost/price-list';

/** Every price zero: a test switches on only the prices it checks, so each component is checked alone. */
const FREE: PriceList = {
  ...PRICE_LIST,
  kinesisOnDemand: { ...PRICE_LIST.kinesisOnDemand, perStreamHour: 0, perGbIngested: 0, perGbRetrieved: 0 },
  lambdaArm64: { ...PRICE_LIST.lambdaArm64, perGbSecond: 0, perMillionRequests: 0 },
  dynamoDbOnDemand: { ...PRICE_LIST.dynamoDbOnDemand, perMillionWriteRequestUnits: 0, perMillionReadRequestUnits: 0 },
  firehose: {
    ...PRICE_LIST.firehose,
    perGbIngested: 0,
    perGbFormatConversion: 0,
    perGbDynamicPartitioning: 0,
    perThousandObjectsDynamicPartitioning: 0,
  },
  s3: { ...PRICE_LIST.s3, perGbMonth: 0, perThousandPutRequests: 0 },
  athena: { ...PRICE_LIST.athena, perTbScanned: 0 },
};

const ASSUMPTIONS: CostAssumptions = {
  ctrsPerDay: 500_000,
  checkerBatchSize: 100,
  checkerMemoryMb: 512,
  transformMemoryMb: 256,
  transformBufferBytes: 1024 * 1024,
  firehoseBufferSeconds: 60,
  firehoseBufferBytes: 64 * 1024 * 1024,
  namedQueriesPerDay: 5,
};

const WORKLOAD: WorkloadMeasurements = {
  ctrBytesPerInput: 3000,
  kinesisBilledBytesPerInput: 3072,
  deliveredPerInput: 0.7,
  envelopeBytesPerDelivered: 3200,
  firehoseBilledBytesPerDelivered: 5120,
  parquetBytesPerRow: 400,
  transformMsPerRecord: 0.05,
};

const DESIGN: DesignMeasurements = {
  writeUnitsPerInput: 0.85,
  readUnitsPerInput: 0,
  checkerMsPerInvocation: 20.2,
  checkerInvocationsPerBatch: 1,
};

describe('averageBilledBytes', () => {
  it('rounds every record up to the billing unit before averaging', () => {
    expect(averageBilledBytes([3000, 5120, 5121], 5120)).toBe((5120 + 5120 + 10240) / 3);
  });

  it('bills an empty record one unit and refuses no records', () => {
    expect(averageBilledBytes([0], 1024)).toBe(1024);
    expect(() => averageBilledBytes([], 1024)).toThrow(RangeError);
  });
});

describe('lambdaCost', () => {
  it('rounds each invocation up to the millisecond and adds the request charge', () => {
    // Arrange: 1000 invocations of 2.1 ms at 512 MB
    const gbSeconds = 1000 * 0.003 * 0.5;

    // Act
    const cost = lambdaCost(1000, 2.1, 512);

    // Assert
    expect(cost).toBeCloseTo(
      gbSeconds * PRICE_LIST.lambdaArm64.perGbSecond + 0.001 * PRICE_LIST.lambdaArm64.perMillionRequests,
      12,
    );
  });
});

describe('objectsPerMillion', () => {
  it('flushes on the interval when the buffer does not fill in time', () => {
    // 500k CTRs a day fill 64 MiB far slower than once a minute: 1440 flushes a day, 2 days per million.
    expect(objectsPerMillion(WORKLOAD, ASSUMPTIONS)).toBeCloseTo(1440 * 2, 6);
  });

  it('flushes on size when the buffer fills before the interval ends', () => {
    // Arrange: a buffer of 256 KiB fills about 4,300 times a day, more often than once a minute
    const assumptions = { ...ASSUMPTIONS, firehoseBufferBytes: 256 * 1024 };
    const bytesPerDay = 500_000 * 0.7 * 3200;

    // Act
    const objects = objectsPerMillion(WORKLOAD, assumptions);

    // Assert
    expect(objects).toBeCloseTo((bytesPerDay / (256 * 1024)) * 2, 6);
  });
});

describe('costPerMillionCtrs', () => {
  it('prices DynamoDB from the measured request units per input record', () => {
    // Arrange
    const prices = {
      ...FREE,
      dynamoDbOnDemand: {
        ...FREE.dynamoDbOnDemand,
        perMillionWriteRequestUnits: 0.625,
        perMillionReadRequestUnits: 0.125,
      },
    };

    // Act
    const cost = costPerMillionCtrs({ ...DESIGN, readUnitsPerInput: 0.5 }, WORKLOAD, ASSUMPTIONS, prices);

    // Assert
    expect(cost.dynamoDb).toBeCloseTo(0.85 * 0.625 + 0.5 * 0.125, 12);
    expect(cost.total).toBeCloseTo(cost.dynamoDb, 12);
  });

  it('spreads the stream-hour charge over the CTRs of a day and bills rounded ingestion and raw retrieval', () => {
    // Arrange
    const prices = {
      ...FREE,
      kinesisOnDemand: { ...FREE.kinesisOnDemand, perStreamHour: 0.04, perGbIngested: 0.08, perGbRetrieved: 0.04 },
    };

    // Act
    const cost = costPerMillionCtrs(DESIGN, WORKLOAD, ASSUMPTIONS, prices);

    // Assert: a million CTRs take two days at 500k a day
    const expected = 48 * 0.04 + ((1e6 * 3072) / BYTES_PER_GB) * 0.08 + ((1e6 * 3000) / BYTES_PER_GB) * 0.04;
    expect(cost.kinesis).toBeCloseTo(expected, 12);
  });

  it('bills Firehose on delivered records rounded to 5 KB, for ingestion, conversion and partitioning', () => {
    // Arrange
    const prices = {
      ...FREE,
      firehose: {
        ...FREE.firehose,
        perGbIngested: 0.029,
        perGbFormatConversion: 0.018,
        perGbDynamicPartitioning: 0.02,
      },
    };

    // Act
    const cost = costPerMillionCtrs(DESIGN, WORKLOAD, ASSUMPTIONS, prices);

    // Assert
    expect(cost.firehose).toBeCloseTo(((0.7e6 * 5120) / BYTES_PER_GB) * (0.029 + 0.018 + 0.02), 12);
  });

  it('bills the checker per invocation of a batch at its memory, duration rounded up', () => {
    // Arrange
    const prices = {
      ...FREE,
      lambdaArm64: { ...FREE.lambdaArm64, perGbSecond: 0.0000133334, perMillionRequests: 0.2 },
    };

    // Act
    const cost = costPerMillionCtrs(DESIGN, { ...WORKLOAD, transformMsPerRecord: 0 }, ASSUMPTIONS, prices);

    // Assert: 10,000 invocations of 21 ms at 0.5 GB; the transform bills only its requests
    const transformInvocations = 0.7e6 / Math.floor((1024 * 1024) / 3200);
    expect(cost.checkerLambda).toBeCloseTo(10_000 * 0.021 * 0.5 * 0.0000133334 + 0.01 * 0.2, 12);
    expect(cost.transformLambda).toBeCloseTo((transformInvocations / 1e6) * 0.2, 12);
  });

  it('bills the redeliveries of a design that reports batch item failures as invocations too', () => {
    // Arrange
    const prices = {
      ...FREE,
      lambdaArm64: { ...FREE.lambdaArm64, perGbSecond: 0.0000133334, perMillionRequests: 0.2 },
    };

    // Act: half the batches are redelivered once
    const cost = costPerMillionCtrs({ ...DESIGN, checkerInvocationsPerBatch: 1.5 }, WORKLOAD, ASSUMPTIONS, prices);

    // Assert: 15,000 invocations of 21 ms at 0.5 GB
    expect(cost.checkerLambda).toBeCloseTo(15_000 * 0.021 * 0.5 * 0.0000133334 + 0.015 * 0.2, 12);
  });

  it('bills Athena at least 10 MB per query, per named query per day', () => {
    // Arrange: a day of 350k rows of 400 bytes is 140 MB, over the minimum; a tiny row size falls under it
    const prices = { ...FREE, athena: { ...FREE.athena, perTbScanned: 5 } };

    // Act
    const large = costPerMillionCtrs(DESIGN, WORKLOAD, ASSUMPTIONS, prices);
    const tiny = costPerMillionCtrs(DESIGN, { ...WORKLOAD, parquetBytesPerRow: 1 }, ASSUMPTIONS, prices);

    // Assert
    expect(large.athena).toBeCloseTo(((5 * 500_000 * 0.7 * 400) / BYTES_PER_TB) * 5 * 2, 12);
    expect(tiny.athena).toBeCloseTo(((5 * PRICE_LIST.athena.minimumBytesPerQuery) / BYTES_PER_TB) * 5 * 2, 12);
  });

  it('adds S3 storage for a month and one PUT per object', () => {
    // Arrange
    const prices = { ...FREE, s3: { ...FREE.s3, perGbMonth: 0.023, perThousandPutRequests: 0.005 } };

    // Act
    const cost = costPerMillionCtrs(DESIGN, WORKLOAD, ASSUMPTIONS, prices);

    // Assert
    expect(cost.s3).toBeCloseTo(((0.7e6 * 400) / BYTES_PER_GB) * 0.023 + ((1440 * 2) / 1000) * 0.005, 12);
  });

  it('totals the components', () => {
    const cost = costPerMillionCtrs(DESIGN, WORKLOAD, ASSUMPTIONS);
    const sum =
      cost.kinesis + cost.checkerLambda + cost.dynamoDb + cost.firehose + cost.transformLambda + cost.s3 + cost.athena;
    expect(cost.total).toBeCloseTo(sum, 12);
  });
});
