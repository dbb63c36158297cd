/**
 * The list prices the cost model uses: one dated table, us-east-1, on-demand, no free tier, no discounts. Prices
 * change; when they do, change this table (and its date) and nothing else. The bench runs offline, so nothing here
 * is fetched: the figures are copied from the public AWS pricing pages named in `source`.
 *
 * Units: a GB is 2^30 bytes and a TB 2^40 bytes, as AWS bills data volumes.
 */
interface Priced {
  /** The AWS pricing page the figures come from. */
  readonly source: string;
}

export interface PriceList {
  readonly asOf: string;
  readonly region: string;
  readonly kinesisOnDemand: Priced & {
    readonly perStreamHour: number;
    readonly perGbIngested: number;
    readonly ingestRoundingBytes: number;
    readonly perGbRetrieved: number;
  };
  readonly lambdaArm64: Priced & { readonly perGbSecond: number; readonly perMillionRequests: number };
  readonly dynamoDbOnDemand: Priced & {
    readonly perMillionWriteRequestUnits: number;
    readonly perMillionReadRequestUnits: number;
    readonly writeUnitBytes: number;
    readonly readUnitBytes: number;
  };
  readonly firehose: Priced & {
    readonly perGbIngested: number;
    readonly ingestRoundingBytes: number;
    readonly perGbFormatConversion: number;
    readonly perGbDynamicPartitioning: number;
    readonly perThousandObjectsDynamicPartitioning: number;
  };
  readonly s3: Priced & {
    readonly perGbMonth: number;
    /** PUT, COPY, POST and LIST requests. */
    readonly perThousandPutRequests: number;
    /** GET and all other requests. */
    readonly perThousandGetRequests: number;
  };
  readonly athena: Priced & { readonly perTbScanned: number; readonly minimumBytesPerQuery: number };
}

export const PRICE_LIST: PriceList = {
  asOf: '2025-06-01',
  region: 'us-east-1',
  kinesisOnDemand: {
    source: 'Amazon Kinesis Data Streams pricing, on-demand mode',
    perStreamHour: 0.04,
    perGbIngested: 0.08,
    /** On-demand bills each record's payload rounded up to the next KiB. */
    ingestRoundingBytes: 1024,
    /** Standard (shared-throughput) consumers such as a Lambda event source mapping. */
    perGbRetrieved: 0.04,
  },
  lambdaArm64: {
    source: 'AWS Lambda pricing, Arm price, first 7.5 billion GB-seconds per month',
    perGbSecond: 0.0000133334,
    perMillionRequests: 0.2,
  },
  dynamoDbOnDemand: {
    source: 'Amazon DynamoDB pricing, on-demand capacity, Standard table class',
    perMillionWriteRequestUnits: 0.625,
    perMillionReadRequestUnits: 0.125,
    /** One write request unit covers an item of up to 1 KB. */
    writeUnitBytes: 1024,
    /** One read request unit covers a strongly consistent read of up to 4 KB; an eventually consistent one is half. */
    readUnitBytes: 4096,
  },
  firehose: {
    source: 'Amazon Data Firehose pricing, Direct PUT source',
    perGbIngested: 0.029,
    /** Ingestion is billed per record rounded up to the next 5 KB. */
    ingestRoundingBytes: 5 * 1024,
    perGbFormatConversion: 0.018,
    perGbDynamicPartitioning: 0.02,
    perThousandObjectsDynamicPartitioning: 0.005,
  },
  s3: {
    source: 'Amazon S3 pricing, S3 Standard storage and requests',
    perGbMonth: 0.023,
    perThousandPutRequests: 0.005,
    perThousandGetRequests: 0.0004,
  },
  athena: {
    source: 'Amazon Athena pricing, SQL queries',
    perTbScanned: 5,
    /** Athena bills at least 10 MB per query. */
    minimumBytesPerQuery: 10 * 1024 * 1024,
  },
};

export const BYTES_PER_GB = 2 ** 30;
export const BYTES_PER_TB = 2 ** 40;
