import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { KinesisClient } from '@aws-sdk/client-kinesis';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDbDedupStore } from '../lambda/checker/adapters/dynamodb-dedup-store';
import { createKinesisClient } from '../lambda/shared/adapters/kinesis-client';
import { readProjectConfig } from '../lib/config/project-config';
import { SqsFailureQueue } from './redrive/failure-queue';
import { redrive, type RangeReport, type RedriveReport } from './redrive/redrive-core';
import { commandHelp, parseCommandArgs } from './shared/command-args';
import { reportFailure, runAsProcess, type CommandIo } from './shared/command-io';
import { clientConfig, deploymentArgs, deploymentCommand } from './shared/deployment-args';
import { defaultStackName, findStackOutputs, OutputKey } from './shared/stack-outputs';

export const REDRIVE_COMMAND = deploymentCommand({
  invocation: 'npm run redrive --',
  synopsis: '[options]',
  description: `Brings back what the duplicate checker gave up. Reads the deployment's on-failure queue (one message per
stream range Lambda gave up after its retries), reads each range from the stream while the stream still holds it,
releases the dedup claims the given-up records still hold themselves, puts the records back on the stream with their
partition keys, and deletes the message. Records the stream no longer holds are reported as lost, with their count.
Exits 1 when records are lost or a message could not be redriven (it stays in the queue for another run).`,
  options: {
    'dry-run': { type: 'boolean', help: 'read the queue and the ranges and say what would be done; change nothing' },
  },
});

export interface RedriveClients {
  readonly cloudFormation?: CloudFormationClient;
  readonly sqs?: SQSClient;
  readonly kinesis?: KinesisClient;
  readonly dynamoDb?: DynamoDBClient;
  /** cdk.json whose `ctrLake:dedupKeyStrategy` the deployment's checker uses. @default the project's */
  readonly cdkJson?: string;
}

/** `npm run redrive`: returns the exit code (0 all redriven, 1 records lost or a message kept, 2 usage). */
export async function redriveMain(
  argv: readonly string[],
  io: CommandIo,
  clients: RedriveClients = {},
): Promise<number> {
  try {
    const parsed = parseCommandArgs(REDRIVE_COMMAND, argv);
    const args = deploymentArgs(parsed);
    if (args.help) {
      io.stdout.write(`${commandHelp(REDRIVE_COMMAND)}\n`);
      return 0;
    }
    const dryRun = parsed.values['dry-run'] ?? false;
    const config = clientConfig(args);
    const outputs = await findStackOutputs(
      clients.cloudFormation ?? new CloudFormationClient(config),
      args.stack ?? defaultStackName(),
    );
    const queue = new SqsFailureQueue(clients.sqs ?? new SQSClient(config), outputs.get(OutputKey.OnFailureQueueUrl));
    const store = new DynamoDbDedupStore(
      outputs.get(OutputKey.DedupTableName),
      clients.dynamoDb ?? new DynamoDBClient(config),
    );
    const report = await redrive({
      queue,
      kinesis: clients.kinesis ?? createKinesisClient(config),
      claims: store,
      keyStrategy: readProjectConfig(clients.cdkJson).dedupKeyStrategy,
      dryRun,
      ...(args.json ? {} : { onRange: (range) => io.stdout.write(`${describeRange(range)}\n`) }),
    });
    io.stdout.write(args.json ? `${JSON.stringify(report, null, 2)}\n` : `${summary(report)}\n`);
    const kept = report.ranges.some((range) => !range.deleted && range.status !== 'dry-run');
    return report.totals.lost > 0 || report.totals.lostUnknownRanges > 0 || kept ? 1 : 0;
  } catch (error) {
    return reportFailure(io, error);
  }
}

/** One line per message, e.g. `shardId-000000000001 4965…100 to 4965…200: 12 records put back, 3 claims released`. */
export function describeRange(range: RangeReport): string {
  const where =
    range.shardId === undefined
      ? `message ${range.messageId}`
      : `${range.shardId} ${range.startSequenceNumber} to ${range.endSequenceNumber}`;
  const size = range.records === undefined ? '' : ` (${range.records} record${range.records === 1 ? '' : 's'})`;
  const lost = range.lost === 'unknown' ? 'an unknown number of records' : `${range.lost} records`;
  switch (range.status) {
    case 'redriven':
      return `${where}${size}: ${range.reput} put back, ${range.released} claims released; message deleted`;
    case 'partly-lost':
      return `${where}${size}: ${range.reput} put back, ${range.released} claims released; ${lost} LOST (the stream no longer holds them); message deleted`;
    case 'lost':
      return `${where}${size}: ${lost} LOST, the stream no longer holds them (${range.problem ?? 'expired'}); message deleted`;
    case 'failed':
      return `${where}${size}: FAILED, kept in the queue for another run: ${range.problem ?? ''}`;
    case 'unreadable':
      return `${where}: not a Kinesis on-failure message, kept in the queue: ${range.problem ?? ''}`;
    case 'dry-run':
      return `${where}${size}: would put back ${range.reput}, try ${range.released} claims${range.lost === 0 ? '' : `; ${lost} LOST`}`;
  }
}

export function summary(report: RedriveReport): string {
  const { totals } = report;
  if (totals.messages === 0) return `redrive: the on-failure queue ${report.queue} is empty: nothing was given up`;
  const lost =
    totals.lost > 0 || totals.lostUnknownRanges > 0
      ? `${totals.lost} records LOST${totals.lostUnknownRanges > 0 ? ` (and an unknown number in ${totals.lostUnknownRanges} ranges)` : ''}`
      : 'nothing lost';
  if (report.dryRun) {
    return `redrive --dry-run: ${totals.messages} messages; nothing changed; ${lost}`;
  }
  return (
    `redrive: ${totals.messages} messages, ${totals.reput} records put back, ${totals.released} claims released, ` +
    `${lost}, ${totals.kept} messages kept in the queue`
  );
}

if (require.main === module) runAsProcess((argv, io) => redriveMain(argv, io));
