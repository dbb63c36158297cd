import type { DescribeStreamSummaryCommandOutput } from '@aws-sdk/client-kinesis';
import type { DescribeStacksCommandOutput } from '@aws-sdk/client-cloudformation';
import type { CommandIo } from '../../../commands/shared/command-io';

/** A CommandIo that keeps what a command prints. */
export function captureIo(): { out: { stdout: string; stderr: string }; io: CommandIo } {
  const out = { stdout: '', stderr: '' };
  return {
    out,
    io: { stdout: { write: (t: string) => (out.stdout += t) }, stderr: { write: (t: string) => (out.stderr += t) } },
  };
}

/** DescribeStacks' answer for a deployed ctr-lake stack with these outputs. */
export function deployedStack(outputs: Record<string, string>): Partial<DescribeStacksCommandOutput> {
  return {
    Stacks: [
      {
        StackName: 'ctr-lake',
        CreationTime: new Date(),
        StackStatus: 'CREATE_COMPLETE',
        Outputs: Object.entries(outputs).map(([OutputKey, OutputValue]) => ({ OutputKey, OutputValue })),
      },
    ],
  };
}

/** DescribeStreamSummary's answer for an active stream in this capacity mode with this many open shards. */
export function streamSummary(
  streamName: string,
  mode: 'ON_DEMAND' | 'PROVISIONED',
  openShards: number,
): DescribeStreamSummaryCommandOutput {
  return {
    $metadata: {},
    StreamDescriptionSummary: {
      StreamName: streamName,
      StreamARN: `arn:aws:kinesis:eu-west-1:123456789012:stream/${streamName}`,
      StreamStatus: 'ACTIVE',
      StreamModeDetails: { StreamMode: mode },
      RetentionPeriodHours: 24,
      StreamCreationTimestamp: new Date(),
      EnhancedMonitoring: [],
      OpenShardCount: openShards,
    },
  };
}
