/**
 * The list prices the cost model uses: one dated table, us-east-1, on-demand, no free tier, no discounts. Prices
 * change; when they do, change this table (and its date) and nothing else. The bench and `npm run cost` run offline,
 * so nothing here is fetched: the figures are copied from the public AWS pricing pages named in `source`.
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
    readonly perGbMonthStorage: number;
    readonly itemOverheadBytes: number;
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
  readonly kinesisProvisioned: Priced & {
    readonly perShardHour: number;
    readonly perMillionPutPayloadUnits: number;
    readonly putPayloadUnitBytes: number;
    /** What one shard takes in: 1 MiB/s and 1,000 records/s. */
    readonly shardBytesPerSecond: number;
    readonly shardRecordsPerSecond: number;
  };
  /** The storage classes the lake's lifecycle rule moves objects through (lib/constructs/lake-storage.ts). */
  readonly s3Tiers: Priced & {
    readonly intelligentTieringFrequentPerGbMonth: number;
    readonly intelligentTieringInfrequentPerGbMonth: number;
    readonly intelligentTieringArchiveInstantPerGbMonth: number;
    /** Days without access after which Intelligent-Tiering moves an object to its Infrequent, then Archive Instant tier. */
    readonly intelligentTieringInfrequentAfterDays: number;
    readonly intelligentTieringArchiveInstantAfterDays: number;
    readonly intelligentTieringMonitoringPerThousandObjects: number;
    readonly glacierInstantRetrievalPerGbMonth: number;
    readonly deepArchivePerGbMonth: number;
    /** Lifecycle transition requests, per 1,000 objects moved into the class. */
    readonly transitionToIntelligentTieringPerThousand: number;
    readonly transitionToGlacierInstantRetrievalPerThousand: number;
    readonly transitionToDeepArchivePerThousand: number;
    /** Deep Archive adds 8 KB per object at the Standard price and 32 KB at its own. */
    readonly deepArchiveStandardOverheadBytes: number;
    readonly deepArchiveOverheadBytes: number;
    /**
     * A lifecycle rule without an object size filter leaves objects under 128 KB where they are (S3's default
     * `TransitionDefaultMinimumObjectSize`, all_storage_classes_128K, which the lake bucket keeps).
     */
    readonly transitionMinimumObjectBytes: number;
  };
  readonly kms: Priced & { readonly perKeyMonth: number };
  /** The dedup store `ctrLake:dedupStore: valkey` deploys instead of the table (lib/constructs/valkey-dedup-cache.ts). */
  readonly elastiCacheServerlessValkey: Priced & {
    readonly perGbHour: number;
    readonly perMillionEcpus: number;
    /** Every Valkey serverless cache is metered for at least this much data stored, GB. */
    readonly minimumBilledGb: number;
    /** A simple command costs 1 ECPU per this many bytes transferred (at least 1 ECPU). */
    readonly bytesPerEcpu: number;
  };
  /** Interface VPC endpoints: the valkey design's checker runs in an isolated VPC and reaches Firehose through one. */
  readonly privateLinkInterfaceEndpoint: Priced & {
    readonly perAzHour: number;
    /** First PB a month in the region. */
    readonly perGbProcessed: number;
  };
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
    /** Table storage, Standard class; DynamoDB counts 100 bytes of overhead per item (the first 25 GB free tier is left out). */
    perGbMonthStorage: 0.25,
    itemOverheadBytes: 100,
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
  kinesisProvisioned: {
    source: 'Amazon Kinesis Data Streams pricing, provisioned mode',
    perShardHour: 0.015,
    perMillionPutPayloadUnits: 0.014,
    /** A PUT payload unit is 25 KB of a record, rounded up per record. */
    putPayloadUnitBytes: 25 * 1024,
    shardBytesPerSecond: 1024 * 1024,
    shardRecordsPerSecond: 1000,
  },
  s3Tiers: {
    source: 'Amazon S3 pricing, storage classes, lifecycle transition requests and the S3 User Guide on lifecycle',
    intelligentTieringFrequentPerGbMonth: 0.023,
    intelligentTieringInfrequentPerGbMonth: 0.0125,
    intelligentTieringArchiveInstantPerGbMonth: 0.004,
    intelligentTieringInfrequentAfterDays: 30,
    intelligentTieringArchiveInstantAfterDays: 90,
    intelligentTieringMonitoringPerThousandObjects: 0.0025,
    glacierInstantRetrievalPerGbMonth: 0.004,
    deepArchivePerGbMonth: 0.00099,
    transitionToIntelligentTieringPerThousand: 0.01,
    transitionToGlacierInstantRetrievalPerThousand: 0.02,
    transitionToDeepArchivePerThousand: 0.05,
    deepArchiveStandardOverheadBytes: 8 * 1024,
    deepArchiveOverheadBytes: 32 * 1024,
    transitionMinimumObjectBytes: 128 * 1024,
  },
  kms: { source: 'AWS Key Management Service pricing, customer managed key', perKeyMonth: 1 },
  // Checked 2026-11-29 (the date the Valkey option was priced), us-east-1: https://aws.amazon.com/elasticache/pricing/
  // says Valkey serverless is billed per GB-hour of data stored (hourly average, at least 100 MB per cache) and per
  // ECPU (1 ECPU per KB transferred by a simple read or write; commands needing more vCPU time, such as a Lua script,
  // "consume proportionally more"). The rates, $0.084/GB-hour and $0.0023 per million ECPUs, are the us-east-1 Valkey
  // serverless figures (33 % under Redis OSS's $0.125 and $0.0034, as the page says).
  elastiCacheServerlessValkey: {
    source:
      'Amazon ElastiCache pricing, ElastiCache Serverless for Valkey (https://aws.amazon.com/elasticache/pricing/, checked 2026-11-29)',
    perGbHour: 0.084,
    perMillionEcpus: 0.0023,
    minimumBilledGb: 0.1,
    bytesPerEcpu: 1024,
  },
  // Checked 2026-11-29: https://aws.amazon.com/privatelink/pricing/ bills each interface endpoint per hour in each
  // Availability Zone it is provisioned in ($0.01, us-east-1), and $0.01 per GB processed for the first PB a month.
  privateLinkInterfaceEndpoint: {
    source:
      'AWS PrivateLink pricing, interface endpoints (https://aws.amazon.com/privatelink/pricing/, checked 2026-11-29)',
    perAzHour: 0.01,
    perGbProcessed: 0.01,
  },
};

export const BYTES_PER_GB = 2 ** 30;
/** AWS bills a month of hourly charges as 730 hours. */
export const HOURS_PER_MONTH = 730;
export const BYTES_PER_TB = 2 ** 40;
