import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { mockClient } from 'aws-sdk-client-mock';
import { checkProfileExists, ProfileNotFoundError, sharedAwsFiles } from '../../../commands/shared/aws-profiles';
import { queryMain } from '../../../commands/query';
import { sendMain } from '../../../commands/send';
import { captureIo } from './deployment-fixtures';

describe('AWS profiles', () => {
  let dir: string;
  let env: NodeJS.ProcessEnv;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'aws-profiles-'));
    writeFileSync(
      join(dir, 'config'),
      '[default]\nregion = eu-west-1\n\n[profile dev]\nregion = eu-west-1\n[sso-session corp]\n',
    );
    writeFileSync(join(dir, 'credentials'), '[ci]\naws_access_key_id = x\n');
    env = { HOME: dir, AWS_CONFIG_FILE: join(dir, 'config'), AWS_SHARED_CREDENTIALS_FILE: join(dir, 'credentials') };
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it.each(['default', 'dev', 'ci'])('finds the profile %s in the config or the credentials file', (profile) => {
    // Act / Assert
    expect(() => checkProfileExists(profile, env)).not.toThrow();
  });

  it('says a profile is not found, naming both files, the profiles there and the nearest one', () => {
    // Act / Assert
    expect(() => checkProfileExists('deb', env)).toThrow(
      new ProfileNotFoundError(
        `AWS profile "deb" not found in ${join(dir, 'config')} or ${join(dir, 'credentials')} ` +
          '(profiles there: ci, default, dev): did you mean dev?',
      ),
    );
  });

  it('does not take an SSO session for a profile', () => {
    // Act / Assert
    expect(() => checkProfileExists('corp', env)).toThrow(
      /AWS profile "corp" not found .*aws configure --profile corp/,
    );
  });

  it('reads ~/.aws/config and ~/.aws/credentials when AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE are unset', () => {
    // Act
    const files = sharedAwsFiles({ HOME: '/home/someone' });

    // Assert
    expect(files).toEqual({ config: '/home/someone/.aws/config', credentials: '/home/someone/.aws/credentials' });
  });

  it('says no profile is defined when neither file exists', () => {
    // Act / Assert
    expect(() => checkProfileExists('nosuch', { HOME: join(dir, 'nowhere') })).toThrow(
      /AWS profile "nosuch" not found in .*nowhere\/\.aws\/config or .*nowhere\/\.aws\/credentials \(no profile is defined there\)/,
    );
  });

  describe('npm run send / query --profile nosuch', () => {
    const cloudFormation = mockClient(CloudFormationClient);
    let saved: NodeJS.ProcessEnv;
    beforeEach(() => {
      cloudFormation.reset();
      saved = { ...process.env };
      Object.assign(process.env, env);
    });
    afterEach(() => {
      process.env = saved;
    });

    it.each([
      [
        'query',
        (io: ReturnType<typeof captureIo>['io']) =>
          queryMain(['calls_per_day', '--profile', 'nosuch'], io, {
            cloudFormation: new CloudFormationClient({ region: 'us-east-1' }),
          }),
      ],
      [
        'send',
        (io: ReturnType<typeof captureIo>['io']) =>
          sendMain(['samples/duplicated-ctrs.json', '--profile', 'nosuch'], io, {
            cloudFormation: new CloudFormationClient({ region: 'us-east-1' }),
          }),
      ],
    ])('%s says the profile is not found, in one line, before any AWS call', async (_command, run) => {
      // Arrange
      const { out, io } = captureIo();

      // Act
      const code = await run(io);

      // Assert
      expect(code).toBe(1);
      expect(out.stderr).toMatch(/^error: AWS profile "nosuch" not found in .*config or .*credentials/);
      expect(out.stderr.trim().split('\n')).toHaveLength(1);
      expect(cloudFormation).not.toHaveReceivedCommand(DescribeStacksCommand);
    });
  });
});
