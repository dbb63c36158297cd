import { AthenaClient } from '@aws-sdk/client-athena';
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import type { KinesisClient } from '@aws-sdk/client-kinesis';
import { KinesisRecordPublisher } from '../../lambda/emulator/adapters/kinesis-publisher';
import { createKinesisClient } from '../../lambda/shared/adapters/kinesis-client';
import { runAthenaQuery } from '../shared/athena-query';
import { clientConfig, type DeploymentArgs } from '../shared/deployment-args';
import { defaultStackName, findStackOutputs, OutputKey, type StackOutputs } from '../shared/stack-outputs';
import { LakeFingerprints } from './lake-fingerprints';
import type { BackfillTarget } from './run-backfill';
import { defaultRate, describeStreamCapacity, type StreamCapacity } from './stream-rate';
import type { Rate } from './rate-limit';

export interface DeploymentClients {
  readonly cloudFormation?: CloudFormationClient;
  readonly kinesis?: KinesisClient;
  readonly athena?: AthenaClient;
  /** Between polls of an Athena query. @default 500 ms */
  readonly athenaPollMs?: number;
}

/** A deployment as a backfill target, with the rate its stream takes. */
export interface DeploymentTarget extends BackfillTarget {
  /** The stack's outputs, for what else a command needs of the deployment. */
  readonly outputs: StackOutputs;
  readonly streamName: string;
  readonly capacity: StreamCapacity;
  readonly defaultRate: Rate;
}

/**
 * Finds the deployment as `send` and `query` do (the stack's outputs), and makes its stream the target: records go
 * out with the emulator's publisher on the project's Kinesis client (request timeouts, HTTP/2), and the lake check is
 * one Athena query per UTC day in the project's workgroup and database. Every acknowledged record is safe at once:
 * the stream keeps it for its retention period and the checker reads it from there.
 */
export async function openDeploymentTarget(
  args: DeploymentArgs,
  clients: DeploymentClients = {},
): Promise<DeploymentTarget> {
  const config = clientConfig(args);
  const stackName = args.stack ?? defaultStackName();
  const outputs = await findStackOutputs(clients.cloudFormation ?? new CloudFormationClient(config), stackName);
  const streamName = outputs.get(OutputKey.StreamName);
  const workGroup = outputs.get(OutputKey.AthenaWorkGroup);
  const database = outputs.get(OutputKey.GlueDatabase);
  const table = outputs.get(OutputKey.GlueTable);
  const kinesis = clients.kinesis ?? createKinesisClient(config);
  const athena = clients.athena ?? new AthenaClient(config);
  const capacity = await describeStreamCapacity(kinesis, streamName);
  const lake = new LakeFingerprints(async (sql) => {
    const result = await runAthenaQuery(athena, {
      sql,
      workGroup,
      database,
      ...(clients.athenaPollMs !== undefined ? { pollMs: clients.athenaPollMs } : {}),
    });
    return { fingerprints: result.rows.map((row) => String(row.fingerprint)), bytesScanned: result.bytesScanned };
  }, table);
  return {
    id: `stack ${stackName} stream ${streamName}`,
    outputs,
    streamName,
    capacity,
    defaultRate: defaultRate(capacity),
    publisher: new KinesisRecordPublisher(kinesis, streamName),
    lake,
    settleEvery: 0,
    settle: async () => undefined,
  };
}
