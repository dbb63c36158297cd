import { parseArgs } from 'node:util';
import { isLakeFormat, LAKE_FORMATS, type LakeFormat } from '../../local-aws/lake/lake-format';

export interface CliOptions {
  readonly samples: readonly string[];
  readonly lake?: string;
  readonly format?: LakeFormat;
  readonly json: boolean;
  readonly keep: boolean;
  readonly verbose: boolean;
  readonly dynamoDbLocal: boolean;
  readonly shards?: number;
  readonly batchSize?: number;
  readonly help: boolean;
}

/** A command line that cannot be run, with what to fix. */
export class CliUsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CliUsageError';
  }
}

export const USAGE = `Usage: npm start -- [options]

Runs the whole ctr-lake pipeline on this machine (local servers on 127.0.0.1, the real Lambda handlers, DuckDB for
the Athena queries) and prints what happened.

Options:
  --samples FILE     an emulator event: a CTR, an array of CTRs or { "records": [...] }; repeatable
                     (default: samples/duplicated-ctrs.json)
  --lake DIR         the lake directory; reuse it to see that a second run adds nothing
                     (default: a fresh temporary directory, removed at exit unless --keep)
  --format FORMAT    parquet or json (default: ctrLake:lakeFormat in cdk.json)
  --json             print one JSON summary object instead of tables
  --keep             keep the temporary lake directory
  --shards N         Kinesis shards (default: the stack's shard count, or 1 for on-demand)
  --batch-size N     checker batch size (default: ctrLake:checkerBatchSize in cdk.json)
  --dynamodb-local   keep the dedup table in AWS's DynamoDB Local (needs Java) instead of dynalite
  --verbose          show the handlers' logs and full error stacks
  --help             show this help`;

export function parseCliArgs(argv: readonly string[]): CliOptions {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (error) {
    throw new CliUsageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  if (positionals.length > 0) {
    throw new CliUsageError(`unexpected argument "${positionals[0]}" (samples files go after --samples)`);
  }
  const format = values.format;
  if (format !== undefined && !isLakeFormat(format)) {
    throw new CliUsageError(`--format must be one of ${LAKE_FORMATS.join(', ')}, received "${format}"`);
  }
  return {
    samples: values.samples ?? [],
    ...(values.lake !== undefined ? { lake: values.lake } : {}),
    ...(format !== undefined ? { format } : {}),
    json: values.json ?? false,
    keep: values.keep ?? false,
    verbose: values.verbose ?? false,
    dynamoDbLocal: values['dynamodb-local'] ?? false,
    ...(values.shards !== undefined ? { shards: positiveInteger('--shards', values.shards, 100) } : {}),
    ...(values['batch-size'] !== undefined
      ? { batchSize: positiveInteger('--batch-size', values['batch-size'], 10_000) }
      : {}),
    help: values.help ?? false,
  };
}

function parse(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    allowPositionals: true,
    strict: true,
    options: {
      samples: { type: 'string', multiple: true },
      lake: { type: 'string' },
      format: { type: 'string' },
      json: { type: 'boolean' },
      keep: { type: 'boolean' },
      verbose: { type: 'boolean' },
      'dynamodb-local': { type: 'boolean' },
      shards: { type: 'string' },
      'batch-size': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
}

function positiveInteger(flag: string, text: string, max: number): number {
  const value = Number(text);
  if (!/^\d+$/.test(text) || value < 1 || value > max) {
    throw new CliUsageError(`${flag} must be an integer from 1 to ${max}, received "${text}"`);
  }
  return value;
}
