import { InvokeCommand, type LambdaClient } from '@aws-sdk/client-lambda';

/** What the emulator answers (lambda/emulator/emulator.ts). */
export interface EmulatorAnswer {
  readonly sent: number;
  readonly failed: number;
  readonly failures?: readonly { readonly index: number; readonly contactId: string; readonly errorCode?: string }[];
}

/** The emulator function failed: its error type and message, as Lambda reports an unhandled error. */
export class EmulatorInvokeError extends Error {
  constructor(
    readonly errorType: string,
    message: string,
  ) {
    super(message);
    this.name = 'EmulatorInvokeError';
  }
}

/** Invokes the emulator synchronously with one event and returns its answer. */
export async function invokeEmulator(
  client: LambdaClient,
  functionName: string,
  event: unknown,
): Promise<EmulatorAnswer> {
  const answer = await client.send(
    new InvokeCommand({
      FunctionName: functionName,
      InvocationType: 'RequestResponse',
      Payload: Buffer.from(JSON.stringify(event), 'utf8'),
    }),
  );
  const text = answer.Payload ? Buffer.from(answer.Payload).toString('utf8') : '';
  let payload: unknown;
  try {
    payload = text ? JSON.parse(text) : undefined;
  } catch {
    payload = text;
  }
  if (answer.FunctionError) {
    const error = (payload ?? {}) as { errorType?: string; errorMessage?: string };
    throw new EmulatorInvokeError(error.errorType ?? answer.FunctionError, error.errorMessage ?? text);
  }
  const result = payload as Partial<EmulatorAnswer> | undefined;
  if (typeof result?.sent !== 'number' || typeof result.failed !== 'number') {
    throw new EmulatorInvokeError('UnexpectedAnswer', `the emulator answered ${text.slice(0, 200)}`);
  }
  return { sent: result.sent, failed: result.failed, ...(result.failures ? { failures: result.failures } : {}) };
}
