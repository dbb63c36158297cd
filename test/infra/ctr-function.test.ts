import * as fs from 'node:fs';
import * as path from 'node:path';
import { Duration, RemovalPolicy, type Stack, Stage } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { CTR_FUNCTION_RUNTIME, CtrFunction } from '../../lib/constructs/ctr-function';
import { newTestStack, onlyResource, statementsOfRole } from './support/infra-test-app';

describe('CtrFunction', () => {
  let stack: Stack;
  let fn: CtrFunction;
  let template: Template;

  beforeAll(() => {
    stack = newTestStack();
    fn = new CtrFunction(stack, 'Emulator', {
      handlerName: 'emulator',
      description: 'test emulator',
      stage: 'ctr-test',
      environment: { EXTRA: 'value' },
      memorySize: 1024,
      timeout: Duration.seconds(45),
      logRetention: logs.RetentionDays.TWO_WEEKS,
      logLevel: 'DEBUG',
      logRemovalPolicy: RemovalPolicy.DESTROY,
    });
    template = Template.fromStack(stack);
  });

  it('runs on the newest Node.js runtime aws-cdk-lib knows, which is what cdk-nag requires', () => {
    const nodeRuntimes = lambda.Runtime.ALL.filter((runtime) => runtime.family === lambda.RuntimeFamily.NODEJS)
      .map((runtime) => runtime.name)
      .filter((name) => /^nodejs\d+\.x$/.test(name))
      .sort((a, b) => Number.parseInt(a.slice(6), 10) - Number.parseInt(b.slice(6), 10));

    expect(CTR_FUNCTION_RUNTIME.name).toBe(nodeRuntimes[nodeRuntimes.length - 1]);
    template.hasResourceProperties('AWS::Lambda::Function', { Runtime: CTR_FUNCTION_RUNTIME.name });
  });

  it('runs the bundled handler on ARM64 with the given size and timeout', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Handler: 'index.handler',
      Architectures: ['arm64'],
      MemorySize: 1024,
      Timeout: 45,
      Description: 'test emulator',
    });
  });

  it('sets source maps, the Powertools settings and the handler environment', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: {
          NODE_OPTIONS: '--enable-source-maps',
          POWERTOOLS_SERVICE_NAME: 'ctr-test-emulator',
          POWERTOOLS_METRICS_NAMESPACE: 'CtrLake',
          POWERTOOLS_LOG_LEVEL: 'DEBUG',
          EXTRA: 'value',
        },
      },
    });
    expect(fn.serviceName).toBe('ctr-test-emulator');
  });

  it('logs to its own log group with a retention', () => {
    const logGroup = onlyResource(template, 'AWS::Logs::LogGroup');

    expect(logGroup.properties.RetentionInDays).toBe(14);
    expect(logGroup.deletionPolicy).toBe('Delete');
    template.hasResourceProperties('AWS::Lambda::Function', {
      LoggingConfig: { LogGroup: stack.resolve(fn.logGroup.logGroupName) },
    });
  });

  it('has a role with no managed policy that may only write its own logs', () => {
    const role = onlyResource(template, 'AWS::IAM::Role');

    expect(role.properties.ManagedPolicyArns).toBeUndefined();
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [Match.objectLike({ Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' })],
      },
      ManagedPolicyArns: Match.absent(),
    });
    expect(statementsOfRole(template, stack.resolve(fn.role.roleName))).toEqual([
      {
        Effect: 'Allow',
        Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        Resource: stack.resolve(fn.logGroup.logGroupArn),
      },
    ]);
    template.hasResourceProperties('AWS::Lambda::Function', { Role: stack.resolve(fn.role.roleArn) });
  });

  it('bundles the handler with a source map and leaves the AWS SDK to the runtime', () => {
    const code = onlyResource(template, 'AWS::Lambda::Function').properties.Code as { S3Key: string };
    // The asset's object key is `<hash>.zip`; the bundle is staged in the assembly as `asset.<hash>/`.
    const assetDir = path.join(Stage.of(stack)?.outdir ?? '', `asset.${code.S3Key.replace(/\.zip$/, '')}`);
    const bundle = fs.readFileSync(path.join(assetDir, 'index.js'), 'utf8');

    expect(fs.readdirSync(assetDir).sort()).toEqual(['index.js', 'index.js.map']);
    expect(bundle).toContain('require("@aws-sdk/client-kinesis")');
    expect(bundle).not.toContain('node_modules/@aws-sdk/');
  });
});
