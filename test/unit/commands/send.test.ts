import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { InvokeCommand, LambdaClient, type InvokeCommandOutput } from '@aws-sdk/client-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { readFileSync } from 'node:fs';
import { DEFAULT_SAMPLES } from '../../../local-aws/pipeline/sample-events';
import { OutputKey } from '../../../commands/shared/stack-outputs';
import { captureIo, deployedStack } from './deployment-fixtures';
import { sendMain } from '../../../commands/send';

const cloudFormation = mockClient(CloudFormationClient);
const lambda = mockClient(LambdaClient);
/** The SDK wraps payloads in a blob adapter; a Buffer carries the same bytes. */
const payload = (value: unknown) =>
  Buffer.from(JSON.stringify(value)) as unknown as NonNullable<InvokeCommandOutput['Payload']>;

describe('npm run send', () => {
  beforeEach(() => {
    cloudFormation.reset();
    lambda.reset();
    cloudFormation.on(DescribeStacksCommand).resolves(
      deployedStack({
        [OutputKey.EmulatorFunctionName]: 'ctr-lake-emulator',
        [OutputKey.StreamName]: 'ctr-lake-ctr-stream',
      }),
    );
  });

  const clients = () => ({
    cloudFormation: new CloudFormationClient({ region: 'us-east-1' }),
    lambda: new LambdaClient({ region: 'us-east-1' }),
  });

  it('invokes the deployed emulator with the file as its event and prints what was sent', async () => {
    // Arrange
    const samples = JSON.parse(readFileSync(DEFAULT_SAMPLES, 'utf8')) as unknown[];
    lambda.on(InvokeCommand).resolves({ Payload: payload({ sent: samples.length, failed: 0, failures: [] }) });
    const { out, io } = captureIo();

    // Act
    const code = await sendMain([DEFAULT_SAMPLES, '--json'], io, clients());

    // Assert
    expect(code).toBe(0);
    const input = lambda.commandCalls(InvokeCommand)[0]!.args[0].input;
    expect(input.FunctionName).toBe('ctr-lake-emulator');
    expect(JSON.parse(Buffer.from(input.Payload as Uint8Array).toString('utf8'))).toEqual(samples);
    expect(JSON.parse(out.stdout)).toEqual({ sent: samples.length, failed: 0, failures: [] });
  });

  it('exits 1 and lists records the stream did not accept', async () => {
    // Arrange
    lambda.on(InvokeCommand).resolves({
      Payload: payload({
        sent: 5,
        failed: 1,
        failures: [{ index: 2, contactId: 'c-2', errorCode: 'ProvisionedThroughputExceededException' }],
      }),
    });
    const { out, io } = captureIo();

    // Act
    const code = await sendMain([DEFAULT_SAMPLES], io, clients());

    // Assert
    expect(code).toBe(1);
    expect(out.stdout).toMatch(/not sent: record 2 \(ContactId c-2\)/);
    expect(out.stdout).toMatch(/\{ sent: 5, failed: 1 \}/);
  });

  it('refuses a missing file before calling AWS', async () => {
    // Arrange
    const { out, io } = captureIo();

    // Act
    const code = await sendMain(['does-not-exist.json'], io, clients());

    // Assert
    expect(code).toBe(1);
    expect(out.stderr).toMatch(/cannot read samples file does-not-exist\.json: no such file/);
    expect(cloudFormation.calls()).toHaveLength(0);
  });

  it('asks for a file when none is given', async () => {
    // Arrange
    const { out, io } = captureIo();

    // Act
    const code = await sendMain([], io, clients());

    // Assert
    expect(code).toBe(2);
    expect(out.stderr).toMatch(/name at least one samples FILE/);
  });
});
