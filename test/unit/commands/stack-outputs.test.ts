import {
  CloudFormationClient,
  CloudFormationServiceException,
  DescribeStacksCommand,
} from '@aws-sdk/client-cloudformation';
import { mockClient } from 'aws-sdk-client-mock';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  defaultStackName,
  DeploymentLookupError,
  explainLookupFailure,
  findStackOutputs,
  OutputKey,
} from '../../../commands/shared/stack-outputs';

const cloudFormation = mockClient(CloudFormationClient);

describe('findStackOutputs', () => {
  beforeEach(() => cloudFormation.reset());

  it('reads the outputs of the named stack', async () => {
    // Arrange
    cloudFormation.on(DescribeStacksCommand, { StackName: 'ctr-lake' }).resolves({
      Stacks: [
        {
          StackName: 'ctr-lake',
          CreationTime: new Date(),
          StackStatus: 'CREATE_COMPLETE',
          Outputs: [{ OutputKey: OutputKey.EmulatorFunctionName, OutputValue: 'ctr-lake-emulator-abc' }],
        },
      ],
    });

    // Act
    const outputs = await findStackOutputs(new CloudFormationClient({ region: 'us-east-1' }), 'ctr-lake');

    // Assert
    expect(outputs.get(OutputKey.EmulatorFunctionName)).toBe('ctr-lake-emulator-abc');
  });

  it('names a missing output and how to get it', async () => {
    // Arrange
    cloudFormation.on(DescribeStacksCommand).resolves({
      Stacks: [{ StackName: 's', CreationTime: new Date(), StackStatus: 'CREATE_COMPLETE', Outputs: [] }],
    });
    const outputs = await findStackOutputs(new CloudFormationClient({ region: 'us-east-1' }), 's');

    // Act / Assert
    expect(() => outputs.get(OutputKey.AthenaWorkGroup)).toThrow(/no output AthenaWorkGroup.*cdk deploy/);
  });

  it('says how to deploy when the stack does not exist', async () => {
    // Arrange
    cloudFormation.on(DescribeStacksCommand).rejects(
      new CloudFormationServiceException({
        name: 'ValidationError',
        $fault: 'client',
        $metadata: {},
        message: 'Stack with id ctr-lake does not exist',
      }),
    );

    // Act
    const lookup = findStackOutputs(new CloudFormationClient({ region: 'eu-west-1' }), 'ctr-lake');

    // Assert
    await expect(lookup).rejects.toThrow(DeploymentLookupError);
    await expect(lookup).rejects.toThrow(/ctr-lake does not exist in eu-west-1.*npx cdk deploy --all/);
  });
});

describe('explainLookupFailure', () => {
  it('asks for credentials when none are found', () => {
    // Arrange
    const error = Object.assign(new Error('Could not load credentials from any providers'), {
      name: 'CredentialsProviderError',
    });

    // Act / Assert
    expect(explainLookupFailure(error, 's', undefined)).toMatch(/no AWS credentials: pass --profile/);
  });

  it('asks for a region when none is set', () => {
    // Act / Assert
    expect(explainLookupFailure(new Error('Region is missing'), 's', undefined)).toMatch(/--region REGION/);
  });
});

describe('defaultStackName', () => {
  it('is the stack cdk deploy creates for the prefix in cdk.json', () => {
    // Arrange
    const cdkJson = resolve(__dirname, '..', '..', '..', 'cdk.json');
    const { context } = JSON.parse(readFileSync(cdkJson, 'utf8')) as { context: Record<string, string> };

    // Act / Assert
    expect(defaultStackName(cdkJson)).toBe(context['ctrLake:prefix'] ?? 'ctr-lake');
  });
});
