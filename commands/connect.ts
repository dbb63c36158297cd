import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { ConnectClient } from '@aws-sdk/client-connect';
import {
  CONNECT_INSTANCE_ARN_FORMAT,
  parseConnectInstanceArn,
  type ConnectInstance,
} from '../lib/config/connect-instance';
import { ConnectCtrStorageApi, ConnectStorageError } from './connect/connect-storage';
import { describeStorage, planCtrStorage, type CtrStorage, type StoragePlan } from './connect/storage-plan';
import { commandHelp, parseCommandArgs, usageLine, UsageError } from './shared/command-args';
import { reportFailure, runAsProcess, type CommandIo } from './shared/command-io';
import { clientConfig, deploymentArgs, deploymentCommand } from './shared/deployment-args';
import { defaultStackName, findStackOutputs, OutputKey } from './shared/stack-outputs';

export const CONNECT_COMMAND = deploymentCommand({
  invocation: 'npm run connect --',
  synopsis: '--instance ARN [--yes] [options]',
  description: `Points an Amazon Connect instance's contact trace records at the deployed stack's Kinesis stream (output
StreamArn). Lists the instance's CTR storage config (ListInstanceStorageConfigs) and says what is there; with --yes,
associates the stream (AssociateInstanceStorageConfig) or moves an existing association to it
(UpdateInstanceStorageConfig). Without --yes it changes nothing (--dry-run, the default).
Use it when the instance already streams CTRs elsewhere, which ctrLake:connectInstanceArn cannot take over.`,
  options: {
    instance: {
      type: 'string',
      placeholder: 'ARN',
      help: `the Connect instance, ${CONNECT_INSTANCE_ARN_FORMAT}`,
    },
    yes: { type: 'boolean', help: 'make the change (associate, or move the existing association)' },
    'dry-run': { type: 'boolean', help: 'only say what --yes would do (the default)' },
  },
});

export interface ConnectClients {
  readonly cloudFormation?: CloudFormationClient;
  readonly connect?: ConnectClient;
}

/** What the command found and did, as `--json` prints it. */
export interface ConnectReport {
  readonly instanceArn: string;
  readonly stack: string;
  readonly streamArn: string;
  readonly state: StoragePlan['state'];
  readonly current: CtrStorage | null;
  readonly action: StoragePlan['action'];
  readonly dryRun: boolean;
  readonly applied: boolean;
  /** The association that now streams to the stack, once applied (or already there). */
  readonly associationId?: string;
}

/** `npm run connect -- --instance ARN [--yes]`: returns the exit code (0 done or dry run, 1 failed, 2 usage). */
export async function connectMain(
  argv: readonly string[],
  io: CommandIo,
  clients: ConnectClients = {},
): Promise<number> {
  try {
    const parsed = parseCommandArgs(CONNECT_COMMAND, argv);
    const args = deploymentArgs(parsed);
    if (args.help) {
      io.stdout.write(`${commandHelp(CONNECT_COMMAND)}\n`);
      return 0;
    }
    const instance = instanceOf(parsed.values.instance);
    if (parsed.values.yes && parsed.values['dry-run']) {
      throw new UsageError('--yes and --dry-run contradict each other: pass one', usageLine(CONNECT_COMMAND));
    }
    const dryRun = !parsed.values.yes;

    // The stack holds the stream, which must be in the instance's region: look there unless told otherwise.
    const stack = args.stack ?? defaultStackName();
    const cloudFormation =
      clients.cloudFormation ?? new CloudFormationClient(clientConfig({ region: instance.region, ...args }));
    const streamArn = (await findStackOutputs(cloudFormation, stack)).get(OutputKey.StreamArn);
    checkSameAccountAndRegion(instance, streamArn);

    const api = new ConnectCtrStorageApi(
      clients.connect ?? new ConnectClient(clientConfig({ ...args, region: instance.region })),
      instance,
    );
    const plan = planCtrStorage(await api.list(), streamArn);
    const report = await carryOut(plan, { api, instance, stack, streamArn, dryRun });
    io.stdout.write(args.json ? `${JSON.stringify(report, null, 2)}\n` : `${describeReport(report)}\n`);
    return 0;
  } catch (error) {
    if (error instanceof ConnectStorageError) {
      io.stderr.write(`error: ${error.message}\n`);
      return 1;
    }
    return reportFailure(io, error);
  }
}

function instanceOf(arn: string | undefined): ConnectInstance {
  if (arn === undefined) throw new UsageError('name the instance: --instance ARN', usageLine(CONNECT_COMMAND));
  const instance = parseConnectInstanceArn(arn);
  if (!instance) {
    throw new UsageError(
      `--instance "${arn}" is not a Connect instance ARN (${CONNECT_INSTANCE_ARN_FORMAT})`,
      usageLine(CONNECT_COMMAND),
    );
  }
  return instance;
}

/** Connect streams CTRs only to a stream of its own account and region. */
function checkSameAccountAndRegion(instance: ConnectInstance, streamArn: string): void {
  const [, , , region, account] = streamArn.split(':');
  if (region !== instance.region || account !== instance.account) {
    throw new ConnectStorageError(
      `Connect instance ${instance.arn} can only stream to a stream of its own account and region ` +
        `(${instance.account}, ${instance.region}); the stack's stream is ${streamArn}: deploy the stack there ` +
        '(ctrLake:connectInstanceArn does) or pass --stack/--region for one that is',
    );
  }
}

async function carryOut(
  plan: StoragePlan,
  context: {
    readonly api: ConnectCtrStorageApi;
    readonly instance: ConnectInstance;
    readonly stack: string;
    readonly streamArn: string;
    readonly dryRun: boolean;
  },
): Promise<ConnectReport> {
  const { api, instance, stack, streamArn, dryRun } = context;
  const base = {
    instanceArn: instance.arn,
    stack,
    streamArn,
    state: plan.state,
    current: plan.state === 'none' ? null : plan.current,
    action: plan.action,
    dryRun,
  };
  if (plan.state === 'ours') return { ...base, applied: false, associationId: plan.current.associationId };
  if (dryRun) return { ...base, applied: false };
  if (plan.state === 'none') return { ...base, applied: true, associationId: await api.associate(streamArn) };
  await api.update(plan.current.associationId, streamArn);
  return { ...base, applied: true, associationId: plan.current.associationId };
}

/** One line: what is there, and what --yes does or did. */
export function describeReport(report: ConnectReport): string {
  const { instanceArn: instance, streamArn: stream, current } = report;
  if (report.state === 'ours') {
    return `instance ${instance} already streams its CTRs to this stack's stream ${stream}: nothing to do`;
  }
  if (report.state === 'none') {
    return report.applied
      ? `associated: instance ${instance} now streams its CTRs to ${stream} (association ${report.associationId})`
      : `dry run: instance ${instance} streams no CTRs yet; --yes associates it with ${stream}`;
  }
  const elsewhere = describeStorage(current!);
  return report.applied
    ? `updated: instance ${instance} now streams its CTRs to ${stream} instead of ${elsewhere} ` +
        `(association ${report.associationId})`
    : `dry run: instance ${instance} already streams its CTRs elsewhere, to ${elsewhere}; --yes moves them to ${stream}`;
}

if (require.main === module) runAsProcess((argv, io) => connectMain(argv, io));
