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
