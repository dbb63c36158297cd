import { SourceError } from '../../local-aws/ctr-sources/read-ctrs';
import { PseudonymKeyError } from '../../lambda/transform/pii/pseudonym-key';
import { SamplesFileError } from '../../local-aws/pipeline/sample-events';
import { AthenaQueryError } from './athena-query';
import { UsageError } from './command-args';
import { EmulatorInvokeError } from './emulator-invoke';
import { DeploymentLookupError } from './stack-outputs';

/** Where a command writes: the process streams, or strings in tests. */
export interface CommandIo {
  readonly stdout: { write(text: string): unknown };
  readonly stderr: { write(text: string): unknown; isTTY?: boolean };
}

export const PROCESS_IO: CommandIo = { stdout: process.stdout, stderr: process.stderr };

/**
 * Prints a failure in one line (a usage error adds the command's usage line). Expected failures (bad input, missing
 * deployment, failed query) get no stack.
 */
export function reportFailure(io: CommandIo, error: unknown): number {
  if (error instanceof UsageError) {
    io.stderr.write(`error: ${error.message}\n${error.usage ? `${error.usage}\n` : ''}`);
    return 2;
  }
  const expected =
    error instanceof SamplesFileError ||
    error instanceof SourceError ||
    error instanceof DeploymentLookupError ||
    error instanceof AthenaQueryError ||
    error instanceof EmulatorInvokeError ||
    error instanceof PseudonymKeyError;
  const message = error instanceof Error ? error.message : String(error);
  io.stderr.write(`error: ${expected || !(error instanceof Error) ? message : (error.stack ?? message)}\n`);
  return 1;
}

/** Runs a command's main as the process entry point, setting the exit code. */
export function runAsProcess(main: (argv: readonly string[], io: CommandIo) => Promise<number>): void {
  main(process.argv.slice(2), PROCESS_IO).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.exitCode = reportFailure(PROCESS_IO, error);
    },
  );
}
