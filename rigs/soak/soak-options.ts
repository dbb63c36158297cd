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
} as const;

/** The crash rate when none is given: the fault rate, applied per invocation rather than per request. */
export function crashRateOf(options: SoakOptions): number {
  return options.crashRate ?? options.faultRate;
}

export class SoakUsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SoakUsageError';
  }
}

export const SOAK_USAGE =
  'usage: npm run soak -- --records N --dup-rate R --fault-rate F --seed S ' +
  '[--crash-rate C] [--bad-rate B] [--shards K] [--batch-size B] [--format parquet|json] [--lake DIR] ' +
  '[--max-retries N] [--redrive]';

type Setter = (options: Record<string, unknown>, value: string) => void;

const number =
  (key: keyof SoakOptions, check: (n: number) => boolean, rule: string): Setter =>
  (options, value) => {
    const n = Number(value);
    if (value.trim() === '' || !Number.isFinite(n) || !check(n)) {
      throw new SoakUsageError(`--${flagOf(key)} must be ${rule}, received "${value}"`);
    }
    options[key] = n;
  };

const isRate = (n: number): boolean => n >= 0 && n < 1;
const isPositiveInteger = (n: number): boolean => Number.isInteger(n) && n > 0;

const FLAGS: Record<string, Setter> = {
  '--records': number('records', isPositiveInteger, 'a positive integer'),
  '--dup-rate': number('dupRate', isRate, 'a rate in [0, 1)'),
  '--fault-rate': number('faultRate', isRate, 'a rate in [0, 1)'),
  '--seed': number('seed', (n) => Number.isInteger(n) && n >= 0, 'a non-negative integer'),
  '--crash-rate': number('crashRate', isRate, 'a rate in [0, 1)'),
  '--bad-rate': number('badRate', isRate, 'a rate in [0, 1)'),
  '--shards': number('shards', (n) => isPositiveInteger(n) && n <= 32, 'an integer from 1 to 32'),
  '--batch-size': number('batchSize', (n) => isPositiveInteger(n) && n <= 10_000, 'an integer from 1 to 10000'),
  '--chunk-size': number('chunkSize', isPositiveInteger, 'a positive integer'),
  '--request-timeout-ms': number('requestTimeoutMs', isPositiveInteger, 'a positive integer'),
  '--transform-retries': number('transformRetries', (n) => Number.isInteger(n) && n >= 0, 'a non-negative integer'),
  '--max-retries': number(
    'maxRetries',
    (n) => Number.isInteger(n) && n >= 0 && n <= 10_000,
    'an integer from 0 to 10000',
  ),
  '--format': (options, value) => {
    if (!isLakeFormat(value)) throw new SoakUsageError(`--format must be parquet or json, received "${value}"`);
    options.format = value;
  },
  '--lake': (options, value) => {
    options.lakeDir = value;
  },
};

const REQUIRED = ['records', 'dupRate', 'faultRate', 'seed'] as const;

/** Flags that take no value. */
const SWITCHES: Record<string, keyof SoakOptions> = { '--redrive': 'redrive' };

/**
 * Reads `--flag value` pairs and `--switch`es (as npm passes them after `--`). Throws SoakUsageError saying what is
 * wrong.
 */
export function parseSoakArgs(argv: readonly string[]): SoakOptions {
  const options: Record<string, unknown> = {};
  for (let i = 0; i < argv.length; i += 2) {
    const [flag, inline] = argv[i]!.split(/=(.*)/s, 2) as [string, string | undefined];
    const switched = SWITCHES[flag];
    if (switched !== undefined) {
      if (inline !== undefined) throw new SoakUsageError(`${flag} takes no value\n${SOAK_USAGE}`);
      options[switched] = true;
      i -= 1;
      continue;
    }
    const set = FLAGS[flag];
    if (!set) throw new SoakUsageError(`unknown option "${argv[i]}"\n${SOAK_USAGE}`);
    const value = inline ?? argv[i + 1];
    if (inline !== undefined) i -= 1;
    if (value === undefined) throw new SoakUsageError(`${flag} needs a value\n${SOAK_USAGE}`);
    set(options, value);
  }
  const missing = REQUIRED.filter((key) => options[key] === undefined).map((key) => `--${flagOf(key)}`);
  if (missing.length > 0) throw new SoakUsageError(`missing ${missing.join(', ')}\n${SOAK_USAGE}`);
  return options as unknown as SoakOptions;
}

function flagOf(key: keyof SoakOptions): string {
  return key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`).replace('lake-dir', 'lake');
}
