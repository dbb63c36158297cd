import { DEDUP_STORES, type DedupStoreName } from '../../lambda/checker/config';
import { PII_MODES, type PiiMode } from '../../lambda/transform/pii/pii-policy';
import { isLakeFormat, LAKE_FORMATS, type LakeFormat } from '../../local-aws/lake/lake-format';
import { integerOption, parseCommandArgs, UsageError, type CommandSpec } from '../shared/command-args';

export interface CliOptions {
  readonly samples: readonly string[];
  readonly lake?: string;
  readonly format?: LakeFormat;
  readonly piiMode?: PiiMode;
  readonly json: boolean;
  readonly wide: boolean;
  readonly report: boolean;
  readonly keep: boolean;
  /** Compact the lake's partitions at the end, as the nightly job does. */
  readonly compact: boolean;
  readonly verbose: boolean;
  readonly dynamoDbLocal: boolean;
  readonly dedupStore: DedupStoreName;
  readonly shards?: number;
  readonly batchSize?: number;
  readonly help: boolean;
}

const START_OPTIONS = {
  samples: {
    type: 'string',
    multiple: true,
    placeholder: 'FILE|DIR',
    help: 'CTRs to send: a file, or every file under a directory; repeatable. Any layout: a CTR, an array,\n{ "records": [...] }, JSON Lines, objects back to back; gzipped or not (default: samples/duplicated-ctrs.json)',
  },
  lake: {
    type: 'string',
    placeholder: 'DIR',
    help: 'the lake directory; reuse it to see that a second run adds nothing\n(default: a fresh temporary directory, removed at exit unless --keep)',
  },
  format: { type: 'string', placeholder: 'FORMAT', help: 'parquet or json (default: ctrLake:lakeFormat in cdk.json)' },
  'pii-mode': {
    type: 'string',
    placeholder: 'MODE',
    help: 'what the lake keeps of phone numbers: pseudonymise, keep or drop (default: ctrLake:piiMode in cdk.json)',
  },
  json: { type: 'boolean', help: 'print one JSON summary object instead of tables' },
  wide: { type: 'boolean', help: 'print every column of every query (lines longer than 120 columns)' },
  'no-report': { type: 'boolean', help: 'do not write the HTML report (DIR/report.html)' },
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
  'dedup-store': {
    type: 'string',
    placeholder: 'STORE',
    help: 'where the checker keeps its claims: dynamodb (dynalite) or valkey (a local redis-server;\nDebian package redis-server) (default: dynamodb)',
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
  const piiMode = values['pii-mode'];
  if (piiMode !== undefined && !(PII_MODES as readonly string[]).includes(piiMode)) {
    throw new UsageError(`--pii-mode must be one of ${PII_MODES.join(', ')}, received "${piiMode}"`);
  }
  const dedupStore = values['dedup-store'] ?? 'dynamodb';
  if (!(DEDUP_STORES as readonly string[]).includes(dedupStore)) {
    throw new UsageError(`--dedup-store must be one of ${DEDUP_STORES.join(', ')}, received "${dedupStore}"`);
  }
  if (dedupStore === 'valkey' && values['dynamodb-local']) {
    throw new UsageError('--dynamodb-local keeps a DynamoDB dedup table: it does not go with --dedup-store valkey');
  }
  return {
    samples: values.samples ?? [],
    ...(values.lake !== undefined ? { lake: values.lake } : {}),
    ...(format !== undefined ? { format } : {}),
    ...(piiMode !== undefined ? { piiMode: piiMode as PiiMode } : {}),
    json: values.json ?? false,
    wide: values.wide ?? false,
    report: !(values['no-report'] ?? false),
    keep: values.keep ?? false,
    compact: !(values['no-compact'] ?? false),
    verbose: values.verbose ?? false,
    dynamoDbLocal: values['dynamodb-local'] ?? false,
    dedupStore: dedupStore as DedupStoreName,
    ...(values.shards !== undefined ? { shards: integerOption('--shards', values.shards, 1, 100) } : {}),
    ...(values['batch-size'] !== undefined
      ? { batchSize: integerOption('--batch-size', values['batch-size'], 1, 10_000) }
      : {}),
    help: values.help ?? false,
  };
}
