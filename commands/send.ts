import './shared/sdk-node-warning';
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { reportFailure, runAsProcess, type CommandIo } from './shared/command-io';
import { commandHelp } from './shared/command-args';
import { clientConfig, deploymentCommand, parseDeploymentArgs } from './shared/deployment-args';
import { invokeEmulator, EmulatorInvokeError, type EmulatorAnswer } from './shared/emulator-invoke';
import { defaultStackName, findStackOutputs, OutputKey } from './shared/stack-outputs';
import { readSampleEvents, SamplesFileError } from '../local-aws/pipeline/sample-events';

export const SEND_COMMAND = deploymentCommand({
  invocation: 'npm run send --',
  synopsis: 'FILE... [options]',
  description: `Invokes the deployed emulator Lambda with each FILE (a CTR, an array of CTRs or { "records": [...] }) as its
event, so the CTRs go through the deployed pipeline. Arrays of more than 500 CTRs are sent in several invocations.`,
  positionals: { name: 'samples FILE to send', min: 1, max: Infinity },
});

export interface SendClients {
  readonly cloudFormation?: CloudFormationClient;
  readonly lambda?: LambdaClient;
}

/** `npm run send -- FILE`: returns the exit code (0 all sent, 1 a failure or records not accepted, 2 usage). */
export async function sendMain(argv: readonly string[], io: CommandIo, clients: SendClients = {}): Promise<number> {
  try {
    const args = parseDeploymentArgs(argv, SEND_COMMAND);
    if (args.help) {
      io.stdout.write(`${commandHelp(SEND_COMMAND)}\n`);
      return 0;
    }
    const samples = await Promise.all(args.positionals.map((file) => readSampleEvents(file)));

    const config = clientConfig(args);
    const cloudFormation = clients.cloudFormation ?? new CloudFormationClient(config);
    const lambda = clients.lambda ?? new LambdaClient(config);
    const outputs = await findStackOutputs(cloudFormation, args.stack ?? defaultStackName());
    const functionName = outputs.get(OutputKey.EmulatorFunctionName);
    const streamName = outputs.get(OutputKey.StreamName);

    const totals: { sent: number; failed: number; failures: Required<EmulatorAnswer>['failures'][number][] } = {
      sent: 0,
      failed: 0,
      failures: [],
    };
    for (const sample of samples) {
      let fileTotals = { sent: 0, failed: 0 };
      for (const event of sample.events) {
        const answer = await invokeEmulator(lambda, functionName, event).catch((error: unknown) => {
          if (error instanceof EmulatorInvokeError && error.errorType === 'InvalidEventError') {
            throw new SamplesFileError(sample.file, `the emulator refused ${sample.file}: ${error.message}`);
          }
          throw error;
        });
        fileTotals = { sent: fileTotals.sent + answer.sent, failed: fileTotals.failed + answer.failed };
        totals.failures.push(...(answer.failures ?? []));
      }
      totals.sent += fileTotals.sent;
      totals.failed += fileTotals.failed;
      if (!args.json) {
        io.stdout.write(
          `${sample.file}: sent ${fileTotals.sent} CTR${fileTotals.sent === 1 ? '' : 's'} to ${streamName}` +
            `${fileTotals.failed > 0 ? `, ${fileTotals.failed} not accepted` : ''}\n`,
        );
      }
    }
    if (args.json) io.stdout.write(`${JSON.stringify(totals, null, 2)}\n`);
    else {
      for (const failure of totals.failures) {
        io.stdout.write(
          `  not sent: record ${failure.index} (ContactId ${failure.contactId}) ${failure.errorCode ?? ''}\n`,
        );
      }
      io.stdout.write(`{ sent: ${totals.sent}, failed: ${totals.failed} } via ${functionName}\n`);
    }
    return totals.failed > 0 ? 1 : 0;
  } catch (error) {
    return reportFailure(io, error);
  }
}

if (require.main === module) runAsProcess((argv, io) => sendMain(argv, io));
