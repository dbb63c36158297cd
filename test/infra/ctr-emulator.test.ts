import type { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import { CtrEmulator } from '../../lib/constructs/ctr-emulator';
import { actionsOfRole, newTestStack, statementsOfRole, testFunctionSettings } from './support/infra-test-app';

describe('CtrEmulator', () => {
  let stack: Stack;
  let stream: kinesis.Stream;
  let emulator: CtrEmulator;
  let template: Template;

  beforeAll(() => {
    stack = newTestStack();
    stream = new kinesis.Stream(stack, 'Stream', { encryption: kinesis.StreamEncryption.MANAGED });
    emulator = new CtrEmulator(stack, 'Emulator', {
      stream,
      functionSettings: testFunctionSettings(),
    });
    template = Template.fromStack(stack);
  });

  it('bundles lambda/emulator/handler.ts and is told the stream name', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: { STREAM_NAME: stack.resolve(stream.streamName) } },
      Description: 'Puts an event of up to 500 CTRs on the stream, as Amazon Connect would',
    });
    expect(emulator.handler.serviceName).toBe('ctr-test-emulator');
  });

  it('has a timeout that fits putting a 500-CTR event with retries', () => {
    template.hasResourceProperties('AWS::Lambda::Function', { Timeout: 60, MemorySize: 512 });
  });

  it('may put records on its stream and write its logs, nothing else', () => {
    const roleRef = stack.resolve(emulator.handler.role.roleName);

    expect(actionsOfRole(template, roleRef)).toEqual([
      'kinesis:ListShards',
      'kinesis:PutRecord',
      'kinesis:PutRecords',
      'logs:CreateLogStream',
      'logs:PutLogEvents',
    ]);
    expect(statementsOfRole(template, roleRef)).toContainEqual({
      Effect: 'Allow',
      Action: ['kinesis:ListShards', 'kinesis:PutRecord', 'kinesis:PutRecords'],
      Resource: stack.resolve(stream.streamArn),
    });
  });
});
