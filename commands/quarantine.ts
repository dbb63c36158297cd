import './shared/sdk-node-warning';
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { FirehoseClient } from '@aws-sdk/client-firehose';
import { S3Client } from '@aws-sdk/client-s3';
import { resolve } from 'node:path';
import { FirehoseRecordSink } from '../lambda/checker/adapters/firehose-record-sink';
import { createHttpHandler, FIREHOSE_TIMEOUTS } from '../lambda/shared/adapters/http-handler';
import { LAKE_ERROR_PREFIX } from '../lambda/shared/row-schema';
import type { CtrSource, MalformedPiece } from '../local-aws/ctr-sources/read-ctrs';
import { LOCAL_CLIENT_CONFIG } from '../local-aws/servers';
import { readStackSettings } from '../local-aws/pipeline/stack-settings';
import { judgeRedrive } from '../local-aws/quarantine/quarantined-record';
import { listErrorObjects, readQuarantine, type ErrorPrefixLocation } from '../local-aws/quarantine/read-quarantine';
import { openDeploymentTarget, type DeploymentClients } from './backfill/deployment-target';
import { openLocalTarget } from './backfill/local-target';
import { redriveQuarantine, type NumberedRecord, type RedriveTargets } from './quarantine/redrive';
import {
  listedRecord,
  originalForDisplay,
  renderListing,
  renderRedrive,
  renderShown,
  type ListedRecord,
} from './quarantine/render-quarantine';
import { commandHelp, integerOption, parseCommandArgs, UsageError } from './shared/command-args';
import { reportFailure, runAsProcess, type CommandIo } from './shared/command-io';
import {
  clientConfig,
  deploymentArgs,
  deploymentCommand,
  refuseDeploymentWithLake,
  type DeploymentArgs,
} from './shared/deployment-args';
import { defaultStackName, findStackOutputs, OutputKey } from './shared/stack-outputs';

export const QUARANTINE_COMMAND = deploymentCommand({
  invocation: 'npm run quarantine --',
  synopsis: '[--lake DIR] [--show N] [--redrive] [options]',
  description: `Lists the records under the lake's errors/ prefix (the deployed lake bucket, or the local lake with --lake):
when, why (the checker's or transform's reason, decoded from Firehose's error record and the envelope inside it),
the contact, the size. --show N prints one decoded, with the original CTR. --redrive sends back the records whose
failure was transient or whose reason the code of today no longer has: records the checker quarantined go back on
the stream, records it had accepted (they hold a dedup claim) go back on the delivery stream; a record whose CTR the
lake holds already is not sent. It says what it left, and why.`,
  options: {
    lake: { type: 'string', placeholder: 'DIR', help: 'the local lake in DIR instead of a deployment' },
    show: { type: 'string', placeholder: 'N', help: 'print record N of the listing decoded, with the original CTR' },
    redrive: { type: 'boolean', help: 'send back the records worth sending, and say what was left' },
  },
});

export interface QuarantineIo extends CommandIo {
  readonly cwd?: string;
}

export interface QuarantineDependencies extends DeploymentClients {
  readonly s3?: S3Client;
  readonly firehose?: FirehoseClient;
}

/** `npm run quarantine`: exit code 0, 1 when something failed (or a redrive left records it could not send). */
export async function quarantineMain(
  argv: readonly string[],
  io: QuarantineIo,
  deps: QuarantineDependencies = {},
): Promise<number> {
  try {
    const parsed = parseCommandArgs(QUARANTINE_COMMAND, argv);
    const args = deploymentArgs(parsed);
    if (args.help) {
      io.stdout.write(`${commandHelp(QUARANTINE_COMMAND)}\n`);
      return 0;
    }
    const { values } = parsed;
    if (values.lake !== undefined) refuseDeploymentWithLake(args, 'lists');
    if (values.show !== undefined && values.redrive) throw new UsageError('--show and --redrive go one at a time');
    const show =
      values.show !== undefined ? integerOption('--show', values.show, 1, Number.MAX_SAFE_INTEGER) : undefined;
    const lakeDir = values.lake !== undefined ? resolve(io.cwd ?? process.cwd(), values.lake) : undefined;
    const location = lakeDir ? ({ kind: 'local', lakeDir } as const) : await deployedErrors(args, deps);
    const where =
      location.kind === 'local'
        ? `${location.lakeDir}/${LAKE_ERROR_PREFIX}`
        : `s3://${location.bucket}/${LAKE_ERROR_PREFIX}`;
    const objects = await listErrorObjects(location);

    if (show !== undefined) return await showRecord(objects, show, where, args.json, io);
    if (values.redrive) return await redrive(objects, lakeDir, args, deps, io);
    const listed: ListedRecord[] = [];
    const malformed: MalformedPiece[] = [];
    for await (const item of numbered(objects, malformed)) listed.push(listedRecord(item.number, item.record));
    io.stdout.write(
      args.json
        ? `${JSON.stringify({ where, records: listed, malformed }, null, 2)}\n`
        : renderListing(listed, listed.length, malformed, where),
    );
    return 0;
  } catch (error) {
    return reportFailure(io, error);
  }
}

async function deployedErrors(args: DeploymentArgs, deps: QuarantineDependencies): Promise<ErrorPrefixLocation> {
  const config = clientConfig(args);
  const outputs = await findStackOutputs(
    deps.cloudFormation ?? new CloudFormationClient(config),
    args.stack ?? defaultStackName(),
  );
  const client = deps.s3 ?? new S3Client({ ...config, followRegionRedirects: true });
  return { kind: 's3', bucket: outputs.get(OutputKey.LakeBucketName), client };
}

/** The quarantined records in listing order, numbered from 1; lines that cannot be read go to `malformed`. */
async function* numbered(objects: readonly CtrSource[], malformed: MalformedPiece[]): AsyncGenerator<NumberedRecord> {
  let number = 0;
  for await (const item of readQuarantine(objects)) {
    if (item.kind === 'malformed') malformed.push(item.piece);
    else yield { number: ++number, record: item.record };
  }
}

async function showRecord(
  objects: readonly CtrSource[],
  wanted: number,
  where: string,
  json: boolean,
  io: CommandIo,
): Promise<number> {
  let count = 0;
  for await (const { number, record } of numbered(objects, [])) {
    count = number;
    if (number !== wanted) continue;
    const listed = listedRecord(number, record);
    const verdict = judgeRedrive(record, readStackSettings().dedupKeyStrategy);
    io.stdout.write(
      json
        ? `${JSON.stringify({ ...listed, redrive: verdict, original: originalForDisplay(record.original) }, null, 2)}\n`
        : renderShown(listed, record, verdict),
    );
    return 0;
  }
  throw new UsageError(`--show ${wanted}: ${where} holds ${count} ${count === 1 ? 'record' : 'records'}`);
}

async function redrive(
  objects: readonly CtrSource[],
  lakeDir: string | undefined,
  args: DeploymentArgs,
  deps: QuarantineDependencies,
  io: CommandIo,
): Promise<number> {
  const settings = readStackSettings();
  const malformed: MalformedPiece[] = [];
  let targets: RedriveTargets;
  let finish: () => Promise<void>;
  if (lakeDir) {
    const local = await openLocalTarget(lakeDir, settings);
    const firehose = new FirehoseClient({ ...LOCAL_CLIENT_CONFIG, endpoint: local.pipeline.firehose.endpoint });
    targets = {
      stream: local.publisher,
      firehose: new FirehoseRecordSink(local.pipeline.firehose.deliveryStreamName, firehose),
      lake: local.lake,
      strategy: settings.dedupKeyStrategy,
    };
    // The local stream and Firehose live as long as this run: what was sent is drained into the lake before exit.
    finish = async () => {
      try {
        await local.settle();
      } finally {
        firehose.destroy();
        await local.close();
      }
    };
  } else {
    const deployed = await openDeploymentTarget(args, deps);
    const config = clientConfig(args);
    const firehose =
      deps.firehose ?? new FirehoseClient({ ...config, requestHandler: createHttpHandler(FIREHOSE_TIMEOUTS) });
    targets = {
      stream: deployed.publisher,
      firehose: new FirehoseRecordSink(deployed.outputs.get(OutputKey.DeliveryStreamName), firehose),
      lake: deployed.lake,
      strategy: settings.dedupKeyStrategy,
    };
    finish = async () => undefined;
  }
  let report;
  try {
    report = await redriveQuarantine(numbered(objects, malformed), targets);
  } finally {
    await finish();
  }
  io.stdout.write(args.json ? `${JSON.stringify({ ...report, malformed }, null, 2)}\n` : renderRedrive(report));
  return report.failed.length > 0 ? 1 : 0;
}

if (require.main === module) {
  runAsProcess((argv, io) => quarantineMain(argv, io));
}
