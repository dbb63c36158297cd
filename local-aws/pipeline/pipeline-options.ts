import type { FirehoseTransformationEvent, KinesisStreamEvent } from 'aws-lambda';
import type { DedupKeyStrategy } from '../../lambda/shared/fingerprint';
import type { MalformedPiece } from '../ctr-sources/read-ctrs';
import type { QuarantineSummary } from '../quarantine/quarantine-summary';
import type { PiiMode } from '../../lambda/transform/pii/pii-policy';
import type { MetricTotals } from '../lambda-runtime/emf';
import type { LakeFormat } from '../lake/lake-format';
import type { DedupBackend } from './dedup-state';
import type { JsonRow } from '../query/json-values';

/** Hooks around one function invocation, to inject failures at exact points. */
export interface InvocationFaults<TEvent> {
  /** Throw to fail the invocation before the function runs (nothing happened: a throttled or lost invoke). */
  readonly before?: (event: TEvent, attempt: number) => void | Promise<void>;
  /** Throw to fail the invocation after the function ran (its side effects stand: a crash after delivery). */
  readonly after?: (event: TEvent, result: unknown, attempt: number) => void | Promise<void>;
}

/** The local services the handlers call over HTTP. */
export type LocalService = 'dynamodb' | 'kinesis' | 'firehose';

/** Something put between the handlers and one service (a fault or latency proxy), owned by the pipeline once made. */
export interface ServiceInterposer {
  /** The endpoint the handlers call instead of the service's own. */
  readonly endpoint: string;
  /** What it did to the traffic, by kind (reported in `details().faultsInjected`). */
  readonly injected?: Readonly<Record<string, number>>;
  stop(): Promise<void>;
}

/**
 * Puts something in front of a service: called once per service when the pipeline starts, with the service's own
 * endpoint; return undefined to leave that service direct. The pipeline stops what it gets.
 */
export type InterposeService = (service: LocalService, target: string) => Promise<ServiceInterposer | undefined>;

export interface PipelineFaults {
  /** What to put in front of the local services the handlers call (the soak's seeded fault proxies, say). */
  readonly interpose?: InterposeService;
  readonly checker?: InvocationFaults<KinesisStreamEvent>;
  readonly transform?: InvocationFaults<FirehoseTransformationEvent>;
}

/** `read`: bytes of the samples read (of their total size); `send`: events given directly sent; `check`: records. */
export interface PipelineProgress {
  readonly stage: 'read' | 'send' | 'check';
  readonly done: number;
  readonly total: number;
}

export interface LocalPipelineOptions {
  /** The lake directory (created if absent). Dedup state lives in its `.state/`, so a rerun adds nothing. */
  readonly lakeDir: string;
  /** @default 'parquet' */
  readonly format?: LakeFormat;
  /** @default 1 */
  readonly shardCount?: number;
  /** The checker's event source batch size. @default 100 */
  readonly batchSize?: number;
  /** Concurrent checker batches per shard (the mapping's ParallelizationFactor). @default 1 */
  readonly parallelizationFactor?: number;
  /** Event source retries before a batch goes to the on-failure destination. @default 10 */
  readonly maximumRetryAttempts?: number;
  /** Split a batch in two when the checker throws, as the stack's event source mapping does. @default true */
  readonly bisectBatchOnFunctionError?: boolean;
  /** @default 24 */
  readonly dedupTtlHours?: number;
  /** @default 'content' */
  readonly dedupKeyStrategy?: DedupKeyStrategy;
  /**
   * First year of the `ctr` table's partition projection (`ctrLake:projectionStartYear`): the transform quarantines
   * rows outside it and the current year, as deployed. @default DEFAULT_PROJECTION_START_YEAR (2017)
   */
  readonly projectionStartYear?: number;
  /**
   * Dedup store server: dynalite (in this process) or AWS's DynamoDB Local (on Java) for the DynamoDB store, or
   * redis-server for the Valkey store (`valkey`: the checker runs with DEDUP_STORE=valkey). A lake keeps its dedup
   * state in one of them: a run with another is refused (LakeStateError). @default 'dynalite'
   */
  readonly dynamoDb?: DedupBackend;
  /** Local Firehose buffering and retries. */
  readonly firehose?: {
    readonly bufferSizeBytes?: number;
    readonly bufferIntervalMs?: number;
    readonly transformRetries?: number;
  };
  readonly faults?: PipelineFaults;
  /** Powertools log level inside the handlers. @default 'SILENT' */
  readonly logLevel?: string;
  /** Every log line a handler prints (other than metrics). @default discarded */
  readonly onLog?: (line: string, functionName: string) => void;
  readonly onProgress?: (progress: PipelineProgress) => void;
  /** What the transform does with phone numbers: `ctrLake:piiMode` and its companions. @default pseudonymise */
  readonly pii?: LocalPiiOptions;
  /** Extra environment variables per function, e.g. to tune a handler in a benchmark. */
  readonly environment?: Partial<Record<'emulator' | 'checker' | 'transform', Readonly<Record<string, string>>>>;
}

export interface LocalPiiOptions {
  readonly mode: PiiMode;
  /** @default none */
  readonly attributeKeys?: readonly string[];
  /** The key version; a lake whose key has another version gets a new key. @default 1 */
  readonly keyVersion?: number;
}

/** Which PII mode a run used, and with which key. */
export interface PiiReport {
  readonly mode: PiiMode;
  readonly attributeKeys: readonly string[];
  /** The version of the key the pseudonyms were made with (pseudonymise only). */
  readonly keyVersion?: number;
  /** Where the lake's key is (pseudonymise only): `<lake>/.state/pii-key.json`. */
  readonly keyFile?: string;
}

export interface RunPipelineOptions extends LocalPipelineOptions {
  /**
   * Samples files and directories, read with the streaming CTR reader (a CTR, an array, `{ "records": [...] }`, JSON
   * Lines, objects back to back; gzip; BOM). @default [samples/duplicated-ctrs.json] unless `events` is given
   */
  readonly samples?: readonly string[];
  /** Where relative samples paths start, and what the summary names them relative to. @default process.cwd() */
  readonly cwd?: string;
  /** Emulator events given directly (each a CTR, an array of CTRs or `{ records }`), sent after the files. */
  readonly events?: readonly unknown[];
  /** Run the named queries at the end. @default true */
  readonly queries?: boolean;
  /** IANA zone of the named queries' local days and hours (ctrLake:reportingTimeZone). @default 'UTC' */
  readonly timeZone?: string;
  /** Called once the pipeline runs, with a function that stops it (for a signal handler). */
  readonly onStarted?: (pipeline: { stop(): Promise<void> }) => void;
}

/** What a run did: the summary object, plus details for tests, soaks and benchmarks. */
export interface PipelineSummary {
  readonly in: number;
  readonly inBatchDuplicates: number;
  readonly storedDuplicates: number;
  readonly delivered: number;
  /** Records written under the lake's error prefix in this run (quarantined envelopes and transform failures). */
  readonly quarantined: number;
  /** Records the event source gave up on (written to `<lake>/on-failure/`). */
  readonly failed: number;
  /** Rows in the lake after the run (every run's). */
  readonly rows: number;
  readonly lake: string;
  readonly format: LakeFormat;
  /** Pieces of the samples that could not be sent: not JSON, not a CTR object, no usable ContactId, … */
  readonly malformed: readonly MalformedPiece[];
  /** The records this run put under the lake's error prefix, counted by reason, with where they came from. */
  readonly quarantine: QuarantineSummary;
  readonly pii: PiiReport;
  /** Named query results by file name, `ctr_latest` included (empty when queries were not run). */
  readonly queries: Record<string, JsonRow[]>;
  /** The zone the named queries' days and hours are in. */
  readonly timeZone: string;
  readonly details: PipelineDetails;
}

export interface PipelineDetails {
  /** Records the emulator reported sent and failed. */
  readonly emulator: { readonly sent: number; readonly failed: number };
  readonly checkerInvocations: number;
  readonly checkerRetries: number;
  readonly transformInvocations: number;
  readonly transformRetries: number;
  /** Rows written to the lake in this run. */
  readonly rowsWritten: number;
  readonly objectsWritten: number;
  /** Metrics the handlers published (EMF), totalled per function. */
  readonly metrics: Readonly<Record<'emulator' | 'checker' | 'transform', MetricTotals>>;
  /** Faults injected by the proxies, per service. */
  readonly faultsInjected: Readonly<Record<string, Readonly<Record<string, number>>>>;
  readonly dedupTtlEnabled: boolean;
  readonly durationMs: number;
}
