import { isLakeFormat, LAKE_FORMATS, type LakeFormat } from '../../local-aws/lake/lake-format';
import { integerOption, parseCommandArgs, UsageError, type CommandSpec } from '../shared/command-args';

export interface CliOptions {
  readonly samples: readonly string[];
  readonly lake?: string;
  readonly format?: LakeFormat;
  readonly json: boolean;
  readonly keep: boolean;
  /** Compact the lake's partitions at the end, as the nightly job does. */
  readonly compact: boolean;
  readonly verbose: boolean;
  readonly dynamoDbLocal: boolean;
  readonly shards?: number;
  readonly batchSize?: number;
  readonly help: boolean;
}

const START_OPTIONS = {
  samples: {
    type: 'string',
    multiple: true,
    placeholder: 'FILE',
    help: 'an emulator event: a CTR, an array of CTRs or { "records": [...] }; repeatable\n(default: samples/duplicated-ctrs.json)',
  },
  lake: {
    type: 'string',
    placeholder: 'DIR',
    help: 'the lake directory; reuse it to see that a second run adds nothing\n(default: a fresh temporary directory, removed at exit unless --keep)',
  },
  format: { type: 'string', placeholder: 'FORMAT', help: 'parquet or json (default: ctrLake:lakeFormat in cdk.json)' },
  json: { type: 'boolean', help: 'print one JSON summary object instead of tables' },
  keep: { type: 'boolean', help: 'keep the temporary lake directory' },
  'no-compact': {
    type: 'boolean',
    help: "skip the compaction at the end (the nightly job's code: one object per day, one row per fingerprint)",
  },
  shards: {
    type: 'string',
    placeholder: 'N',
    help: "Kinesis shards (default: the stack's shard count, or 1 for on-demand)",
  },
  'batch-size': {
    type: 'string',
    placeholder: 'N',
    help: 'checker batch size (default: ctrLake:checkerBatchSize in cdk.json)',
  },
  'dynamodb-local': {
    type: 'boolean',
    help: "keep the dedup table in AWS's DynamoDB Local (needs Java) instead of dynalite",
  },
  verbose: { type: 'boolean', help: "show the handlers' logs and full error stacks" },
  help: { type: 'boolean', short: 'h', help: 'show this help' },
} as const;

export const START_COMMAND: CommandSpec<typeof START_OPTIONS> = {
  invocation: 'npm start --',
  synopsis: '[options]',
  description: `Runs the whole ctr-lake pipeline on this machine (local servers on 127.0.0.1, the real Lambda handlers, DuckDB for
the Athena queries) and prints what happened.`,
  options: START_OPTIONS,
};

export function parseCliArgs(argv: readonly string[]): CliOptions {
  const { values, positionals } = parseCommandArgs(START_COMMAND, argv);
  if (positionals.length > 0) {
    // The spec takes no positionals, so the parser has refused them already; this keeps the type narrow.
    throw new UsageError(`unexpected argument "${positionals[0]}"`);
  }
  const format = values.format;
  if (format !== undefined && !isLakeFormat(format)) {
    throw new UsageError(`--format must be one of ${LAKE_FORMATS.join(', ')}, received "${format}"`);
  }
  return {
    samples: values.samples ?? [],
    ...(values.lake !== undefined ? { lake: values.lake } : {}),
    ...(format !== undefined ? { format } : {}),
    json: values.json ?? false,
    keep: values.keep ?? false,
    compact: !(values['no-compact'] ?? false),
    verbose: values.verbose ?? false,
    dynamoDbLocal: values['dynamodb-local'] ?? false,
    ...(values.shards !== undefined ? { shards: integerOption('--shards', values.shards, 1, 100) } : {}),
    ...(values['batch-size'] !== undefined
      ? { batchSize: integerOption('--batch-size', values['batch-size'], 1, 10_000) }
      : {}),
    help: values.help ?? false,
  };
}
