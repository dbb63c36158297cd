import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import {
  AccessDeniedException,
  AssociateInstanceStorageConfigCommand,
  ConnectClient,
  ListInstanceStorageConfigsCommand,
  UpdateInstanceStorageConfigCommand,
} from '@aws-sdk/client-connect';
import { mockClient } from 'aws-sdk-client-mock';
import { connectMain } from '../../../commands/connect';
import { OutputKey } from '../../../commands/shared/stack-outputs';
import { captureIo, deployedStack } from './deployment-fixtures';

const cloudFormation = mockClient(CloudFormationClient);
const connect = mockClient(ConnectClient);

const INSTANCE = 'arn:aws:connect:us-east-1:123456789012:instance/0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';
const OURS = 'arn:aws:kinesis:us-east-1:123456789012:stream/ctr-lake-CtrStream-AbC123';
const OTHER = 'arn:aws:kinesis:us-east-1:123456789012:stream/legacy-ctrs';

const clients = () => ({
  cloudFormation: new CloudFormationClient({ region: 'us-east-1' }),
  connect: new ConnectClient({ region: 'us-east-1' }),
});

function streamsTo(streamArn: string | undefined): void {
  connect.on(ListInstanceStorageConfigsCommand).resolves({
    StorageConfigs: streamArn
      ? [{ AssociationId: 'assoc-1', StorageType: 'KINESIS_STREAM', KinesisStreamConfig: { StreamArn: streamArn } }]
      : [],
  });
}

describe('npm run connect', () => {
  beforeEach(() => {
    cloudFormation.reset();
    connect.reset();
    cloudFormation.on(DescribeStacksCommand).resolves(deployedStack({ [OutputKey.StreamArn]: OURS }));
    connect.on(AssociateInstanceStorageConfigCommand).resolves({ AssociationId: 'assoc-new' });
    connect.on(UpdateInstanceStorageConfigCommand).resolves({});
  });

  describe('an instance that streams no CTRs', () => {
    it('says so and changes nothing without --yes', async () => {
      // Arrange
      streamsTo(undefined);
      const { out, io } = captureIo();

      // Act
      const code = await connectMain(['--instance', INSTANCE], io, clients());

      // Assert
      expect(code).toBe(0);
      expect(out.stdout).toBe(`dry run: instance ${INSTANCE} streams no CTRs yet; --yes associates it with ${OURS}\n`);
      expect(connect).not.toHaveReceivedCommand(AssociateInstanceStorageConfigCommand);
    });

    it("associates the stack's stream with --yes", async () => {
      // Arrange
      streamsTo(undefined);
      const { out, io } = captureIo();

      // Act
      const code = await connectMain(['--instance', INSTANCE, '--yes'], io, clients());

      // Assert
      expect(code).toBe(0);
      expect(connect).toHaveReceivedCommandWith(AssociateInstanceStorageConfigCommand, {
        InstanceId: '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d',
        ResourceType: 'CONTACT_TRACE_RECORDS',
        StorageConfig: { StorageType: 'KINESIS_STREAM', KinesisStreamConfig: { StreamArn: OURS } },
      });
      expect(out.stdout).toBe(
        `associated: instance ${INSTANCE} now streams its CTRs to ${OURS} (association assoc-new)\n`,
      );
    });
  });

  describe('an instance that already streams its CTRs elsewhere', () => {
    it('says where, in one line, and changes nothing without --yes', async () => {
      // Arrange
      streamsTo(OTHER);
      const { out, io } = captureIo();

      // Act
      const code = await connectMain(['--instance', INSTANCE, '--dry-run'], io, clients());

      // Assert
      expect(code).toBe(0);
      expect(out.stdout).toBe(
        `dry run: instance ${INSTANCE} already streams its CTRs elsewhere, to Kinesis stream ${OTHER}; ` +
          `--yes moves them to ${OURS}\n`,
      );
      expect(connect).not.toHaveReceivedCommand(UpdateInstanceStorageConfigCommand);
      expect(connect).not.toHaveReceivedCommand(AssociateInstanceStorageConfigCommand);
    });

    it('moves the existing association to the stack with --yes', async () => {
      // Arrange
      streamsTo(OTHER);
      const { out, io } = captureIo();

      // Act
      const code = await connectMain(['--instance', INSTANCE, '--yes'], io, clients());

      // Assert
      expect(code).toBe(0);
      expect(connect).toHaveReceivedCommandWith(UpdateInstanceStorageConfigCommand, {
        AssociationId: 'assoc-1',
        StorageConfig: {
          AssociationId: 'assoc-1',
          StorageType: 'KINESIS_STREAM',
          KinesisStreamConfig: { StreamArn: OURS },
        },
      });
      expect(connect).not.toHaveReceivedCommand(AssociateInstanceStorageConfigCommand);
      expect(out.stdout).toBe(
        `updated: instance ${INSTANCE} now streams its CTRs to ${OURS} instead of Kinesis stream ${OTHER} ` +
          '(association assoc-1)\n',
      );
    });
  });

  it("says there is nothing to do when the instance already streams to the stack's stream, even with --yes", async () => {
    // Arrange
    streamsTo(OURS);
    const { out, io } = captureIo();

    // Act
    const code = await connectMain(['--instance', INSTANCE, '--yes'], io, clients());

    // Assert
    expect(code).toBe(0);
    expect(out.stdout).toBe(
      `instance ${INSTANCE} already streams its CTRs to this stack's stream ${OURS}: nothing to do\n`,
    );
    expect(connect).not.toHaveReceivedCommand(UpdateInstanceStorageConfigCommand);
    expect(connect).not.toHaveReceivedCommand(AssociateInstanceStorageConfigCommand);
  });

  it('prints what it found and did as JSON with --json', async () => {
    // Arrange
    streamsTo(OTHER);
    const { out, io } = captureIo();

    // Act
    const code = await connectMain(['--instance', INSTANCE, '--yes', '--json', '--stack', 'ctr-prod'], io, clients());

    // Assert
    expect(code).toBe(0);
    expect(JSON.parse(out.stdout)).toEqual({
      instanceArn: INSTANCE,
      stack: 'ctr-prod',
      streamArn: OURS,
      state: 'elsewhere',
      current: { associationId: 'assoc-1', storageType: 'KINESIS_STREAM', target: OTHER },
      action: 'update',
      dryRun: false,
      applied: true,
      associationId: 'assoc-1',
    });
    expect(cloudFormation).toHaveReceivedCommandWith(DescribeStacksCommand, { StackName: 'ctr-prod' });
  });

  it('fails in one line, exit 1, when access is denied', async () => {
    // Arrange
    connect
      .on(ListInstanceStorageConfigsCommand)
      .rejects(new AccessDeniedException({ $metadata: {}, message: 'not authorized to perform this action' }));
    const { out, io } = captureIo();

    // Act
    const code = await connectMain(['--instance', INSTANCE], io, clients());

    // Assert
    expect(code).toBe(1);
    expect(out.stdout).toBe('');
    expect(out.stderr).toBe(
      `error: access denied listing the CTR storage of Connect instance ${INSTANCE}: the caller needs ` +
        'connect:ListInstanceStorageConfigs on the instance (AWS said: not authorized to perform this action)\n',
    );
  });

  it('refuses a stack whose stream is in another region than the instance, before calling Connect', async () => {
    // Arrange
    cloudFormation
      .on(DescribeStacksCommand)
      .resolves(deployedStack({ [OutputKey.StreamArn]: 'arn:aws:kinesis:eu-west-1:123456789012:stream/s' }));
    const { out, io } = captureIo();

    // Act
    const code = await connectMain(['--instance', INSTANCE], io, clients());

    // Assert
    expect(code).toBe(1);
    expect(out.stderr).toMatch(/^error: Connect instance .* can only stream to a stream of its own account and region/);
    expect(connect.calls()).toHaveLength(0);
  });

  it.each([
    [[], /^error: name the instance: --instance ARN\n/],
    [['--instance', 'arn:aws:connect:us-east-1:123456789012:instance/nope'], /is not a Connect instance ARN/],
    [['--instance', INSTANCE, '--yes', '--dry-run'], /--yes and --dry-run contradict each other/],
    [['--instance', INSTANCE, '--yse'], /unknown option --yse \(did you mean --yes\?\)/],
  ])('refuses the command line %p with a usage error, exit 2, before calling AWS', async (argv, message) => {
    // Arrange
    const { out, io } = captureIo();

    // Act
    const code = await connectMain(argv, io, clients());

    // Assert
    expect(code).toBe(2);
    expect(out.stderr).toMatch(message);
    expect(out.stderr).toContain('usage: npm run connect -- --instance ARN');
    expect(cloudFormation.calls()).toHaveLength(0);
    expect(connect.calls()).toHaveLength(0);
  });

  it('prints its help', async () => {
    // Arrange
    const { out, io } = captureIo();

    // Act
    const code = await connectMain(['--help'], io, clients());

    // Assert
    expect(code).toBe(0);
    expect(out.stdout).toContain('Usage: npm run connect -- --instance ARN [--yes] [options]');
    for (const option of [
      '--instance ARN',
      '--yes',
      '--dry-run',
      '--profile NAME',
      '--region REGION',
      '--stack NAME',
      '--json',
    ]) {
      expect(out.stdout).toContain(option);
    }
  });
});
