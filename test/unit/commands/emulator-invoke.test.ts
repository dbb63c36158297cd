import { InvokeCommand, LambdaClient, type InvokeCommandOutput } from '@aws-sdk/client-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { EmulatorInvokeError, invokeEmulator } from '../../../commands/shared/emulator-invoke';

const lambda = mockClient(LambdaClient);
/** The SDK wraps payloads in a blob adapter; a Buffer carries the same bytes. */
const payload = (value: unknown) =>
  Buffer.from(JSON.stringify(value)) as unknown as NonNullable<InvokeCommandOutput['Payload']>;

describe('invokeEmulator', () => {
  beforeEach(() => lambda.reset());

  it('invokes the function synchronously with the event and returns its counts', async () => {
    // Arrange
    lambda.on(InvokeCommand).resolves({ StatusCode: 200, Payload: payload({ sent: 6, failed: 0, failures: [] }) });

    // Act
    const answer = await invokeEmulator(new LambdaClient({ region: 'us-east-1' }), 'emulator-fn', [{ ContactId: 'a' }]);

    // Assert
    expect(answer).toEqual({ sent: 6, failed: 0, failures: [] });
    const input = lambda.commandCalls(InvokeCommand)[0]!.args[0].input;
    expect(input).toMatchObject({ FunctionName: 'emulator-fn', InvocationType: 'RequestResponse' });
    expect(JSON.parse(Buffer.from(input.Payload as Uint8Array).toString('utf8'))).toEqual([{ ContactId: 'a' }]);
  });

  it("throws the function's own error type and message when it fails", async () => {
    // Arrange
    lambda.on(InvokeCommand).resolves({
      StatusCode: 200,
      FunctionError: 'Unhandled',
      Payload: payload({ errorType: 'InvalidEventError', errorMessage: 'the event holds no records' }),
    });

    // Act
    const invoke = invokeEmulator(new LambdaClient({ region: 'us-east-1' }), 'emulator-fn', []);

    // Assert
    await expect(invoke).rejects.toBeInstanceOf(EmulatorInvokeError);
    await expect(invoke).rejects.toMatchObject({
      errorType: 'InvalidEventError',
      message: 'the event holds no records',
    });
  });
});
