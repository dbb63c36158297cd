import {
  parseCommandArgs,
  usageLine,
  UsageError,
  type CommandOptions,
  type CommandSpec,
} from '../../commands/shared/command-args';
import { DEDUP_STORES, type DedupStoreName } from '../../lambda/checker/config';
import type { LakeFormat } from '../../local-aws/lake/lake-format';
import { isLakeFormat } from '../../local-aws/lake/lake-format';

/** Everything a soak run depends on. The same options (seed included) replay the same input and the same faults. */
export interface SoakOptions {
  /** Records put on the stream, duplicates and bad records included. */
  readonly records: number;
  /** Share of the valid records that are copies (exact redeliveries or key-reordered), in [0, 1). */
  readonly dupRate: number;
  /** Probability that a request to DynamoDB, Kinesis or Firehose, or a transform invocation, is faulted. */
  readonly faultRate: number;
  readonly seed: number;
  /** Probability that a checker invocation crashes (at a crash point drawn from CRASH_POINTS). @default faultRate */
  readonly crashRate?: number;
  /** Share of records that are bad input (each of a known quarantine reason). @default 0.005 */
  readonly badRate?: number;
  /** Kinesis shards. @default 4 */
  readonly shards?: number;
  /** Event source batch size. @default 100 */
  readonly batchSize?: number;
  /** Records put on the stream between two drains of the event source. @default 2 000 */
  readonly chunkSize?: number;
  /** @default 'parquet', as the stack writes */
  readonly format?: LakeFormat;
  /** Lake directory, kept after the run. @default a temporary directory, removed after the run */
  readonly lakeDir?: string;
  /** The handlers' SDK request timeout; `slow` faults hold answers twice as long. @default 1 000 ms */
  readonly requestTimeoutMs?: number;
  /** Firehose's retries of a failed transform invocation (the processor's NumberOfRetries). @default 3 */
  readonly transformRetries?: number;
  /**
   * Retries of a failing checker batch before the event source gives its records up (the mapping's
   * MaximumRetryAttempts). @default 10, as the stack deploys it
   */
  readonly maxRetries?: number;
  /**
   * Redrive what the event source gave up (its on-failure records under the lake), as `npm run redrive` does on a
   * deployment, until nothing is left, and reconcile after. Without it, any record given up fails the run.
   */
  readonly redrive?: boolean;
  /**
   * Where the checker keeps its claims: dynalite behind the HTTP fault proxy, or redis-server behind the TCP fault
   * proxy, restarted once mid-run. @default 'dynamodb'
   */
  readonly dedupStore?: DedupStoreName;
}

export const SOAK_DEFAULTS = {
  badRate: 0.005,
  shards: 4,
  batchSize: 100,
  chunkSize: 2_000,
  format: 'parquet',
  requestTimeoutMs: 1_000,
  transformRetries: 3,
  maxRetries: 10,
  dedupStore: 'dynamodb',
} as const;

/** The crash rate when none is given: the fault rate, applied per invocation rather than per request. */
export function crashRateOf(options: SoakOptions): number {
  return options.crashRate ?? options.faultRate;
}

/** What `npm run soak` runs with no option: the long soak of docs/RELIABILITY.md. */
export const SOAK_COMMAND_DEFAULTS = { records: 100_000, dupRate: 0.3, faultRate: 0.1, seed: 1 } as const;

const SOAK_OPTIONS = {
  records: {
    type: 'string',
    placeholder: 'N',
    help: `records put on the stream, copies and bad input included (default ${SOAK_COMMAND_DEFAULTS.records})`,
  },
  'dup-rate': {
    type: 'string',
    placeholder: 'R',
    help: `share of valid records that are copies, in [0, 1) (default ${SOAK_COMMAND_DEFAULTS.dupRate})`,
  },
  'fault-rate': {
    type: 'string',
    placeholder: 'F',
    help: `probability that a request or transform invocation is faulted, in [0, 1) (default ${SOAK_COMMAND_DEFAULTS.faultRate})`,
  },
  seed: {
    type: 'string',
    placeholder: 'S',
    help: `seed of the input and the faults: the same options replay the same run (default ${SOAK_COMMAND_DEFAULTS.seed})`,
  },
  'crash-rate': {
    type: 'string',
    placeholder: 'C',
    help: 'probability that a checker invocation crashes, in [0, 1) (default: the fault rate)',
  },
  'bad-rate': {
    type: 'string',
    placeholder: 'B',
    help: `share of records that are bad input, in [0, 1) (default ${SOAK_DEFAULTS.badRate})`,
  },
  shards: { type: 'string', placeholder: 'K', help: `Kinesis shards, 1-32 (default ${SOAK_DEFAULTS.shards})` },
  'batch-size': {
    type: 'string',
    placeholder: 'N',
    help: `event source batch size, 1-10000 (default ${SOAK_DEFAULTS.batchSize})`,
  },
  'chunk-size': {
    type: 'string',
    placeholder: 'N',
    help: `records put between two drains of the stream (default ${SOAK_DEFAULTS.chunkSize})`,
  },
  'request-timeout-ms': {
    type: 'string',
    placeholder: 'MS',
    help: `the handlers' SDK request timeout; slow faults hold answers twice as long (default ${SOAK_DEFAULTS.requestTimeoutMs})`,
  },
  'dedup-store': {
    type: 'string',
    placeholder: 'STORE',
    help: 'dynamodb (dynalite behind the HTTP fault proxy) or valkey (redis-server behind a TCP fault proxy: resets,\ntimeouts, and one restart of the server mid-run) (default dynamodb)',
  },
  'transform-retries': {
    type: 'string',
    placeholder: 'N',
    help: `Firehose's retries of a failed transform invocation (default ${SOAK_DEFAULTS.transformRetries})`,
  },
  'max-retries': {
    type: 'string',
    placeholder: 'N',
    help: `retries of a failing checker batch before the event source gives it up, 0-10000 (default ${SOAK_DEFAULTS.maxRetries})`,
  },
  redrive: {
    type: 'boolean',
    help: 'redrive what was given up, as npm run redrive does, and reconcile after (default: anything given up fails)',
  },
  format: { type: 'string', placeholder: 'FORMAT', help: `parquet or json (default ${SOAK_DEFAULTS.format})` },
  lake: { type: 'string', placeholder: 'DIR', help: 'keep the lake in DIR (default: a temporary directory, removed)' },
  help: { type: 'boolean', short: 'h', help: 'show this help' },
} as const satisfies CommandOptions;

export const SOAK_COMMAND: CommandSpec<typeof SOAK_OPTIONS> = {
  invocation: 'npm run soak --',
  synopsis: '[options]',
  description: `The fault-injection soak (docs/RELIABILITY.md): synthetic CTRs through the whole local pipeline with requests
faulted, checker invocations crashed and transform faults on, then an exact reconciliation of the lake. Prints a
result block and, last, one line of figures; exits 1 on any loss or inexact count.`,
  options: SOAK_OPTIONS,
};

/** The parsed command line: whether the help was asked for, and the options of the run. */
export interface SoakCommandLine {
  readonly help: boolean;
  readonly options: SoakOptions;
}

/** Reads the command line with the shared parser; absent options take their defaults. Throws UsageError. */
export function parseSoakArgs(argv: readonly string[]): SoakCommandLine {
  const { values } = parseCommandArgs(SOAK_COMMAND, argv);
  if (values.help) return { help: true, options: { ...SOAK_COMMAND_DEFAULTS } };
  const usage = usageLine(SOAK_COMMAND);
  const number = (flag: keyof typeof SOAK_OPTIONS, check: (n: number) => boolean, rule: string): number | undefined => {
    const text = values[flag] as string | undefined;
    if (text === undefined) return undefined;
    const n = Number(text);
    if (text.trim() === '' || !Number.isFinite(n) || !check(n)) {
      throw new UsageError(`--${flag} must be ${rule}, received "${text}"`, usage);
    }
    return n;
  };
  const rate = (flag: keyof typeof SOAK_OPTIONS): number | undefined => number(flag, isRate, 'a rate in [0, 1)');
  const format = values.format;
  if (format !== undefined && !isLakeFormat(format)) {
    throw new UsageError(`--format must be parquet or json, received "${format}"`, usage);
  }
  const optional = {
    crashRate: rate('crash-rate'),
    badRate: rate('bad-rate'),
    shards: number('shards', (n) => isPositiveInteger(n) && n <= 32, 'an integer from 1 to 32'),
    batchSize: number('batch-size', (n) => isPositiveInteger(n) && n <= 10_000, 'an integer from 1 to 10000'),
    chunkSize: number('chunk-size', isPositiveInteger, 'a positive integer'),
    requestTimeoutMs: number('request-timeout-ms', isPositiveInteger, 'a positive integer'),
    transformRetries: number('transform-retries', (n) => Number.isInteger(n) && n >= 0, 'a non-negative integer'),
    maxRetries: number(
      'max-retries',
      (n) => Number.isInteger(n) && n >= 0 && n <= 10_000,
      'an integer from 0 to 10000',
    ),
    redrive: values.redrive === true ? true : undefined,
    format,
    lakeDir: values.lake,
    dedupStore: dedupStoreOf(values['dedup-store'], usage),
  };
  const options: SoakOptions = {
    records: number('records', isPositiveInteger, 'a positive integer') ?? SOAK_COMMAND_DEFAULTS.records,
    dupRate: rate('dup-rate') ?? SOAK_COMMAND_DEFAULTS.dupRate,
    faultRate: rate('fault-rate') ?? SOAK_COMMAND_DEFAULTS.faultRate,
    seed: number('seed', (n) => Number.isInteger(n) && n >= 0, 'a non-negative integer') ?? SOAK_COMMAND_DEFAULTS.seed,
    ...Object.fromEntries(Object.entries(optional).filter(([, value]) => value !== undefined)),
  };
  return { help: false, options };
}

function dedupStoreOf(text: string | undefined, usage: string): DedupStoreName | undefined {
  if (text === undefined || (DEDUP_STORES as readonly string[]).includes(text))
    return text as DedupStoreName | undefined;
  throw new UsageError(`--dedup-store must be ${DEDUP_STORES.join(' or ')}, received "${text}"`, usage);
}

const isRate = (n: number): boolean => n >= 0 && n < 1;
const isPositiveInteger = (n: number): boolean => Number.isInteger(n) && n > 0;
