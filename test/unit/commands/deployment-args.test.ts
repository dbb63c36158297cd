import { clientConfig, DeploymentUsageError, parseDeploymentArgs } from '../../../commands/shared/deployment-args';

describe('parseDeploymentArgs', () => {
  it('reads --profile, --region, --stack and --json around the positionals', () => {
    // Act
    const args = parseDeploymentArgs([
      'calls_per_day',
      '--profile',
      'dev',
      '--region',
      'eu-west-1',
      '--stack',
      's',
      '--json',
    ]);

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
    const args = parseDeploymentArgs(['file.json']);

    // Assert
    expect(clientConfig(args)).toEqual({});
  });

  it('passes the profile and region to the SDK clients', () => {
    // Act
    const config = clientConfig(parseDeploymentArgs(['--profile', 'prod', '--region', 'us-west-2']));

    // Assert
    expect(config).toEqual({ profile: 'prod', region: 'us-west-2' });
  });

  it('refuses an unknown option as a usage error', () => {
    // Act / Assert
    expect(() => parseDeploymentArgs(['--regoin', 'x'])).toThrow(DeploymentUsageError);
  });
});
