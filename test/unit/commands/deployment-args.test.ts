import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UsageError } from '../../../commands/shared/command-args';
import { clientConfig, deploymentCommand, parseDeploymentArgs } from '../../../commands/shared/deployment-args';

const COMMAND = deploymentCommand({
  invocation: 'npm run example --',
  synopsis: 'FILE... [options]',
  description: 'An example deployment command.',
  positionals: { name: 'FILE', max: Infinity },
});

describe('parseDeploymentArgs', () => {
  it('reads --profile, --region, --stack and --json around the positionals', () => {
    // Act
    const args = parseDeploymentArgs(
      ['calls_per_day', '--profile', 'dev', '--region', 'eu-west-1', '--stack', 's', '--json'],
      COMMAND,
    );

    // Assert
    expect(args).toEqual({
      profile: 'dev',
      region: 'eu-west-1',
      stack: 's',
      json: true,
      help: false,
      positionals: ['calls_per_day'],
    });
  });

  it('leaves credentials and region to the standard AWS environment when not given', () => {
    // Act
    const args = parseDeploymentArgs(['file.json'], COMMAND);

    // Assert
    expect(clientConfig(args, {})).toEqual({});
  });

  it('passes the profile and region to the SDK clients', () => {
    // Arrange: the profile exists in the shared config file
    const dir = mkdtempSync(join(tmpdir(), 'deployment-args-'));
    writeFileSync(join(dir, 'config'), '[profile prod]\nregion = eu-west-1\n');
    const env = { AWS_CONFIG_FILE: join(dir, 'config'), AWS_SHARED_CREDENTIALS_FILE: join(dir, 'credentials') };

    try {
      // Act
      const config = clientConfig(parseDeploymentArgs(['--profile', 'prod', '--region', 'us-west-2'], COMMAND), env);

      // Assert
      expect(config).toEqual({ profile: 'prod', region: 'us-west-2' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it.each([
    [
      '--region first',
      { region: 'us-west-2' },
      { AWS_REGION: 'eu-west-1', AWS_DEFAULT_REGION: 'ap-south-1' },
      'us-west-2',
    ],
    ['then AWS_REGION', {}, { AWS_REGION: 'eu-west-1', AWS_DEFAULT_REGION: 'ap-south-1' }, 'eu-west-1'],
    ['then AWS_DEFAULT_REGION, as the AWS CLI reads it', {}, { AWS_DEFAULT_REGION: 'ap-south-1' }, 'ap-south-1'],
    ['an empty variable counts as unset', {}, { AWS_REGION: '', AWS_DEFAULT_REGION: 'ap-south-1' }, 'ap-south-1'],
  ])('takes the region from %s', (_name, args, env, region) => {
    // Act / Assert
    expect(clientConfig(args, env)).toEqual({ region });
  });

  it('refuses an unknown option as a usage error', () => {
    // Act / Assert
    expect(() => parseDeploymentArgs(['--regoin', 'x'], COMMAND)).toThrow(UsageError);
  });

  it("adds a command's own options before the shared ones", () => {
    // Arrange
    const command = deploymentCommand({
      invocation: 'npm run example --',
      synopsis: '[options]',
      description: 'An example.',
      options: { yes: { type: 'boolean', help: 'do it' } },
    });

    // Act
    const args = parseDeploymentArgs(['--yes', '--region', 'eu-west-1'], command);

    // Assert
    expect(Object.keys(command.options)).toEqual(['yes', 'profile', 'region', 'stack', 'json', 'help']);
    expect(args.region).toBe('eu-west-1');
  });
});
