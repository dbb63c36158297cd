import { RemovalPolicy } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import {
  CLAIM_LIFETIME_REASON,
  claimOutlivesRecordAge,
  DEFAULT_MAX_RECORD_AGE_HOURS,
  MAX_RECORD_AGE_HOURS_LIMIT,
} from '../../lambda/checker/claim-lifetime';
import { DEDUP_STORES, type DedupStoreName } from '../../lambda/checker/config';
import { DEDUP_KEY_STRATEGIES, type DedupKeyStrategy } from '../../lambda/shared/fingerprint';
import { LAKE_FORMATS, type LakeFormat } from '../../lambda/shared/lake-format';
import { DEFAULT_PROJECTION_START_YEAR } from '../../lambda/shared/row-schema';
import { CONNECT_INSTANCE_ARN_FORMAT, type ConnectInstance, parseConnectInstanceArn } from './connect-instance';
import {
  DEFAULT_PII_MODE,
  MAX_PII_ATTRIBUTE_KEY_LENGTH,
  MAX_PII_ATTRIBUTE_KEYS,
  MAX_PII_ATTRIBUTE_KEYS_JSON,
  PII_MODES,
  type PiiMode,
} from '../../lambda/transform/pii/pii-policy';
import { ContextReader } from './context-values';
import { DEFAULT_TIME_ZONE, isTimeZoneName, TIME_ZONE_RULE } from './time-zone';

/** Namespace of every ctr-lake context key in cdk.json, e.g. `ctrLake:prefix`. */
export const CONTEXT_NAMESPACE = 'ctrLake';

export { LAKE_FORMATS, type LakeFormat };

/** `retain` keeps data stores when the stacks are deleted; `destroy` (dev only) deletes them with their content. */
export type RemovalMode = 'retain' | 'destroy';
export const REMOVAL_MODES: readonly RemovalMode[] = ['retain', 'destroy'];

export type LogLevel = 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';
export const LOG_LEVELS: readonly LogLevel[] = ['DEBUG', 'INFO', 'WARN', 'ERROR'];

/** Kinesis capacity: on-demand scales by itself; provisioned has a fixed shard count. */
export type StreamCapacity =
  { readonly mode: 'on-demand' } | { readonly mode: 'provisioned'; readonly shardCount: number };

export interface CheckerConfig {
  /** Concurrent batches per shard (Kinesis ParallelizationFactor); records of one partition key stay in order. */
  readonly parallelization: number;
  readonly batchSize: number;
  readonly batchingWindowSeconds: number;
  readonly memoryMb: number;
  readonly retryAttempts: number;
  readonly maxRecordAgeHours: number;
}

/** The nightly compaction job (lib/constructs/lake-compaction.ts). */
export interface CompactionConfig {
  readonly enabled: boolean;
  /** The UTC hour of the day its schedule starts. */
  readonly hourUtc: number;
  readonly memoryMb: number;
}

export interface LifecycleConfig {
  readonly intelligentTieringDays: number;
  readonly glacierIrDays: number;
  readonly deepArchiveDays: number;
  readonly noncurrentVersionExpirationDays: number;
  readonly athenaResultsExpirationDays: number;
  readonly accessLogsExpirationDays: number;
}

/** What the transform does with phone numbers and named attributes (lambda/transform/pii). */
export interface PiiConfig {
  readonly mode: PiiMode;
  readonly attributeKeys: readonly string[];
  /** Version of the pseudonym key: changing it generates a new key at the next deploy. */
  readonly keyVersion: number;
}

/** Everything the app reads from context, validated. Built once in bin/app.ts and passed down as props. */
export interface CtrLakeConfig {
  /** Stage/prefix of every physical name (stacks, stream, Glue database, workgroup). */
  readonly prefix: string;
  readonly dedupTtlHours: number;
  readonly dedupKeyStrategy: DedupKeyStrategy;
  readonly dedupStore: DedupStoreName;
  readonly stream: StreamCapacity;
  readonly streamRetentionHours: number;
  readonly lakeFormat: LakeFormat;
  readonly checker: CheckerConfig;
  readonly firehoseBufferSeconds: number;
  readonly firehoseBufferMb: number;
  readonly lifecycle: LifecycleConfig;
  readonly compaction: CompactionConfig;
  readonly athenaBytesScannedCutoffMb: number;
  /** First year the partition projection covers; the last is the current year. */
  readonly projectionStartYear: number;
  readonly logRetentionDays: number;
  readonly logLevel: LogLevel;
  readonly alarmEmail?: string;
  readonly removalPolicy: RemovalMode;
  /** IANA time zone of the contact center: the named queries count per local day and hour in it. */
  readonly reportingTimeZone: string;
  /**
   * The Amazon Connect instance whose CTRs the stack streams in (an InstanceStorageConfig on the stream); the stack
   * is then deployed to its account and region.
   */
  readonly connectInstance?: ConnectInstance;
  readonly pii: PiiConfig;
}

/** CloudWatch Logs accepts only these retention periods (days); 9999 means never expire. */
const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653, 9999,
] as const;

/** Objects must stay 90 days in Glacier Instant Retrieval or the early-deletion charge applies. */
const GLACIER_IR_MINIMUM_DAYS = 90;

const KNOWN_KEYS = [
  'prefix',
  'dedupTtlHours',
  'dedupKeyStrategy',
  'dedupStore',
  'checkerParallelization',
  'streamMode',
  'streamRetentionHours',
  'lakeFormat',
  'checkerBatchSize',
  'checkerBatchingWindowSeconds',
  'checkerMemoryMb',
  'checkerRetryAttempts',
  'checkerMaxRecordAgeHours',
  'firehoseBufferSeconds',
  'firehoseBufferMb',
  'intelligentTieringDays',
  'glacierIrDays',
  'deepArchiveDays',
  'noncurrentVersionExpirationDays',
  'athenaResultsExpirationDays',
  'accessLogsExpirationDays',
  'compaction',
  'compactionHourUtc',
  'compactionMemoryMb',
  'athenaBytesScannedCutoffMb',
  'projectionStartYear',
  'logRetentionDays',
  'logLevel',
  'alarmEmail',
  'removalPolicy',
  'reportingTimeZone',
  'connectInstanceArn',
  'piiMode',
  'piiAttributeKeys',
  'piiKeyVersion',
] as const;

/** The context keys this app understands, fully qualified (`ctrLake:…`). */
export const CONFIG_KEYS: readonly string[] = KNOWN_KEYS.map((k) => `${CONTEXT_NAMESPACE}:${k}`);

/**
 * Validates a context object (as cdk.json's "context" or `app.node.getAllContext()`) into a CtrLakeConfig.
 * Throws CtrLakeConfigError naming every refused key, its value and what is allowed.
 */
export function parseConfig(context: Readonly<Record<string, unknown>>): CtrLakeConfig {
  const read = new ContextReader(context, CONTEXT_NAMESPACE);
  read.refuseUnknown(KNOWN_KEYS);

  const prefix = read.matching(
    'prefix',
    /^[a-z][a-z0-9-]{1,18}[a-z0-9]$/,
    '3-20 characters: lowercase letters, digits and hyphens, starting with a letter, not ending with a hyphen (default "ctr-lake")',
    'ctr-lake',
  );
  const streamRetentionHours = read.integer('streamRetentionHours', { default: 24, min: 24, max: 8760 });
  const checker: CheckerConfig = {
    // Lambda accepts a ParallelizationFactor from 1 to 10 for Kinesis.
    parallelization: read.integer('checkerParallelization', { default: 1, min: 1, max: 10 }),
    batchSize: read.integer('checkerBatchSize', { default: 100, min: 1, max: 10000 }),
    batchingWindowSeconds: read.integer('checkerBatchingWindowSeconds', { default: 1, min: 0, max: 300 }),
    memoryMb: read.integer('checkerMemoryMb', { default: 512, min: 128, max: 10240 }),
    retryAttempts: read.integer('checkerRetryAttempts', { default: 10, min: 0, max: 10000 }),
    // Lambda accepts a maximum record age from 60 s to 7 days.
    maxRecordAgeHours: read.integer('checkerMaxRecordAgeHours', {
      default: DEFAULT_MAX_RECORD_AGE_HOURS,
      min: 1,
      max: MAX_RECORD_AGE_HOURS_LIMIT,
    }),
  };
  const dedupTtlHours = read.integer('dedupTtlHours', { default: 24, min: 1, max: 8760 });
  if (checker.maxRecordAgeHours > streamRetentionHours) {
    read.refuse(
      'checkerMaxRecordAgeHours',
      checker.maxRecordAgeHours,
      `at most ctrLake:streamRetentionHours (${streamRetentionHours}): older records have left the stream`,
    );
  }
  if (!claimOutlivesRecordAge(dedupTtlHours, checker.maxRecordAgeHours)) {
    read.refuse(
      'dedupTtlHours',
      dedupTtlHours,
      `at least ctrLake:checkerMaxRecordAgeHours (${checker.maxRecordAgeHours}): ${CLAIM_LIFETIME_REASON}`,
    );
  }

  const lifecycle = readLifecycle(read);
  const config: CtrLakeConfig = {
    prefix,
    dedupTtlHours,
    dedupKeyStrategy: read.oneOf('dedupKeyStrategy', DEDUP_KEY_STRATEGIES, 'content'),
    dedupStore: read.oneOf('dedupStore', DEDUP_STORES, 'dynamodb'),
    stream: readStreamCapacity(read),
    streamRetentionHours,
    lakeFormat: read.oneOf('lakeFormat', LAKE_FORMATS, 'parquet'),
    checker,
    // Dynamic partitioning needs at least 60 s and 64 MiB of buffer; Firehose allows up to 900 s and 128 MiB.
    firehoseBufferSeconds: read.integer('firehoseBufferSeconds', { default: 60, min: 60, max: 900 }),
    firehoseBufferMb: read.integer('firehoseBufferMb', { default: 64, min: 64, max: 128 }),
    lifecycle,
    compaction: {
      enabled: read.boolean('compaction', true),
      hourUtc: read.integer('compactionHourUtc', { default: 3, min: 0, max: 23 }),
      // DuckDB gets half (lambda/compaction/config.ts); 3008 MB leaves room for DuckDB's 1.5 GB and the process around it
      // on a day of a million CTRs (npm run bench, section 7: peak RSS).
      memoryMb: read.integer('compactionMemoryMb', { default: 3008, min: 1024, max: 10240 }),
    },
    // Athena's smallest per-query data usage control is 10 MB.
    athenaBytesScannedCutoffMb: read.integer('athenaBytesScannedCutoffMb', { default: 10240, min: 10, max: 1048576 }),
    projectionStartYear: read.integer('projectionStartYear', {
      default: DEFAULT_PROJECTION_START_YEAR,
      min: 2000,
      max: 2100,
    }),
    logRetentionDays: readLogRetention(read),
    logLevel: read.oneOf('logLevel', LOG_LEVELS, 'INFO'),
    alarmEmail: read.matching(
      'alarmEmail',
      /^[^\s@]+@[^\s@]+\.[^\s@]+$/,
      'an e-mail address such as ops@example.com, or nothing for no subscription',
      undefined,
    ),
    removalPolicy: read.oneOf('removalPolicy', REMOVAL_MODES, 'retain'),
    reportingTimeZone: readTimeZone(read),
    connectInstance: readConnectInstance(read),
    pii: readPii(read),
  };
  read.throwIfInvalid();
  return config;
}

/** Reads and validates the configuration from the context of a construct tree (normally the App). */
export function readConfig(scope: IConstruct): CtrLakeConfig {
  return parseConfig(scope.node.getAllContext() as Record<string, unknown>);
}

function readStreamCapacity(read: ContextReader): StreamCapacity {
  const value = read.raw('streamMode');
  if (value === undefined || value === null || value === 'on-demand') return { mode: 'on-demand' };
  const shardCount =
    typeof value === 'number' ? value : typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : NaN;
  if (Number.isInteger(shardCount) && shardCount >= 1 && shardCount <= 500) return { mode: 'provisioned', shardCount };
  read.refuse('streamMode', value, '"on-demand" (default) or a shard count from 1 to 500');
  return { mode: 'on-demand' };
}

function readLifecycle(read: ContextReader): LifecycleConfig {
  const lifecycle: LifecycleConfig = {
    intelligentTieringDays: read.integer('intelligentTieringDays', { default: 30, min: 0, max: 36500 }),
    glacierIrDays: read.integer('glacierIrDays', { default: 365, min: 1, max: 36500 }),
    deepArchiveDays: read.integer('deepArchiveDays', { default: 1095, min: 91, max: 36500 }),
    noncurrentVersionExpirationDays: read.integer('noncurrentVersionExpirationDays', {
      default: 30,
      min: 1,
      max: 36500,
    }),
    athenaResultsExpirationDays: read.integer('athenaResultsExpirationDays', { default: 30, min: 1, max: 36500 }),
    accessLogsExpirationDays: read.integer('accessLogsExpirationDays', { default: 365, min: 1, max: 36500 }),
  };
  if (lifecycle.glacierIrDays <= lifecycle.intelligentTieringDays) {
    read.refuse(
      'glacierIrDays',
      lifecycle.glacierIrDays,
      `more than ctrLake:intelligentTieringDays (${lifecycle.intelligentTieringDays}): tiers go one way`,
    );
  }
  if (lifecycle.deepArchiveDays < lifecycle.glacierIrDays + GLACIER_IR_MINIMUM_DAYS) {
    read.refuse(
      'deepArchiveDays',
      lifecycle.deepArchiveDays,
      `at least ctrLake:glacierIrDays + ${GLACIER_IR_MINIMUM_DAYS} (${lifecycle.glacierIrDays + GLACIER_IR_MINIMUM_DAYS}): ` +
        'Glacier Instant Retrieval bills a 90-day minimum',
    );
  }
  return lifecycle;
}

function readTimeZone(read: ContextReader): string {
  const value = read.raw('reportingTimeZone');
  if (value === undefined || value === null || value === '') return DEFAULT_TIME_ZONE;
  if (typeof value === 'string' && isTimeZoneName(value)) return value;
  read.refuse('reportingTimeZone', value, `${TIME_ZONE_RULE} (default "${DEFAULT_TIME_ZONE}")`);
  return DEFAULT_TIME_ZONE;
}

function readConnectInstance(read: ContextReader): ConnectInstance | undefined {
  const value = read.raw('connectInstanceArn');
  if (value === undefined || value === null || value === '') return undefined;
  const instance = typeof value === 'string' ? parseConnectInstanceArn(value) : undefined;
  if (instance === undefined) {
    read.refuse(
      'connectInstanceArn',
      value,
      `an Amazon Connect instance ARN, ${CONNECT_INSTANCE_ARN_FORMAT} (INSTANCE-ID a UUID, PARTITION the ` +
        "region's: aws, aws-cn for cn-*, aws-us-gov for us-gov-*), or nothing for no instance",
    );
  }
  return instance;
}

function readPii(read: ContextReader): PiiConfig {
  const attributeKeys = read.stringList('piiAttributeKeys', {
    maxItems: MAX_PII_ATTRIBUTE_KEYS,
    maxLength: MAX_PII_ATTRIBUTE_KEY_LENGTH,
  });
  if (JSON.stringify(attributeKeys).length > MAX_PII_ATTRIBUTE_KEYS_JSON) {
    read.refuse(
      'piiAttributeKeys',
      read.raw('piiAttributeKeys'),
      `at most ${MAX_PII_ATTRIBUTE_KEYS_JSON} characters as JSON: the transform receives the list in its ` +
        'environment, which Lambda limits to 4 KB',
    );
  }
  return {
    mode: read.oneOf('piiMode', PII_MODES, DEFAULT_PII_MODE),
    attributeKeys,
    keyVersion: read.integer('piiKeyVersion', { default: 1, min: 1, max: 1_000_000 }),
  };
}

function readLogRetention(read: ContextReader): number {
  const days = read.integer('logRetentionDays', { default: 30, min: 1, max: 9999 });
  if ((LOG_RETENTION_DAYS as readonly number[]).includes(days)) return days;
  read.refuse('logRetentionDays', read.raw('logRetentionDays'), `one of ${LOG_RETENTION_DAYS.join(', ')} (default 30)`);
  return 30;
}

/** The CloudFormation removal policy of a removal mode. */
export function removalPolicyFor(mode: RemovalMode): RemovalPolicy {
  return mode === 'destroy' ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN;
}
