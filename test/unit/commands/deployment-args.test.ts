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
    expect(clientConfig(args)).toEqual({});
  });

  it('passes the profile and region to the SDK clients', () => {
    // Act
    const config = clientConfig(parseDeploymentArgs(['--profile', 'prod', '--region', 'us-west-2'], COMMAND));

    // Assert
    expect(config).toEqual({ profile: 'prod', region: 'us-west-2' });
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
