import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { DecryptionFailure, GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { createSecretKey } from 'node:crypto';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pseudonymMain, type PseudonymAnswer } from '../../../commands/pseudonym';
import { OutputKey } from '../../../commands/shared/stack-outputs';
import { pseudonymOf } from '../../../lambda/transform/pii/pseudonym';
import { stateDir } from '../../../local-aws/lake/lake-writer';
import { ensureLocalKey } from '../../../local-aws/pii/local-key';
import { captureIo, deployedStack } from './deployment-fixtures';

const SECRET_ARN = 'arn:aws:secretsmanager:us-east-1:111122223333:secret:PseudonymKeySecret-AbCdEf';
const MATERIAL = 'deployed-key-0123456789-abcdefghijklmnopqrstuvwxyzABCDEFGHIJ';
const cloudFormation = mockClient(CloudFormationClient);
const secretsManager = mockClient(SecretsManagerClient);

const clients = () => ({
  cloudFormation: new CloudFormationClient({ region: 'us-east-1' }),
  secretsManager: new SecretsManagerClient({ region: 'us-east-1' }),
});

describe('npm run pseudonym', () => {
  beforeEach(() => {
    cloudFormation.reset();
    secretsManager.reset();
    cloudFormation.on(DescribeStacksCommand).resolves(deployedStack({ [OutputKey.PseudonymKeySecretArn]: SECRET_ARN }));
    secretsManager.on(GetSecretValueCommand).resolves({ SecretString: JSON.stringify({ version: 2, key: MATERIAL }) });
  });

  it("prints each value's pseudonym under the deployment's key, read from the secret the stack outputs", async () => {
    // Arrange
    const { out, io } = captureIo();

    // Act
    const code = await pseudonymMain(['+15551234567', '15551234567'], io, clients());

    // Assert
    expect(code).toBe(0);
    const expected = pseudonymOf(createSecretKey(Buffer.from(MATERIAL)), '+15551234567');
    expect(out.stdout).toContain(`+15551234567  ${expected}\n15551234567   ${expected}\n`);
    expect(out.stdout).toContain(`(key version 2, ${SECRET_ARN}`);
    expect(out.stdout).toContain(`WHERE customer_endpoint = '${expected}'`);
    expect(secretsManager).toHaveReceivedCommandWith(GetSecretValueCommand, { SecretId: SECRET_ARN });
  });

  it('prints JSON with --json, never the key', async () => {
    // Arrange
    const { out, io } = captureIo();

    // Act
    const code = await pseudonymMain(['+15551234567', '--json'], io, clients());

    // Assert
    expect(code).toBe(0);
    const answer = JSON.parse(out.stdout) as PseudonymAnswer;
    expect(answer).toEqual({
      keyVersion: 2,
      key: SECRET_ARN,
      pseudonyms: [
        { value: '+15551234567', pseudonym: pseudonymOf(createSecretKey(Buffer.from(MATERIAL)), '+15551234567') },
      ],
    });
    expect(out.stdout + out.stderr).not.toContain(MATERIAL);
  });

  it('says in one line when the secret cannot be read', async () => {
    // Arrange
    secretsManager
      .on(GetSecretValueCommand)
      .rejects(new DecryptionFailure({ message: 'no kms:Decrypt on the key', $metadata: {} }));
    const { out, io } = captureIo();

    // Act
    const code = await pseudonymMain(['+15551234567'], io, clients());

    // Assert
    expect(code).toBe(1);
    expect(out.stderr).toBe(`error: cannot read the pseudonym key secret ${SECRET_ARN}: DecryptionFailure\n`);
  });

  describe('with --lake DIR', () => {
    let lake: string;
    beforeEach(async () => {
      lake = await mkdtemp(join(tmpdir(), 'ctr-lake-pseudonym-'));
      await mkdir(stateDir(lake), { recursive: true });
    });
    afterEach(async () => {
      await rm(lake, { recursive: true, force: true });
    });

    it("uses the local lake's key and no AWS call", async () => {
      // Arrange
      const local = await ensureLocalKey(lake, 1);
      const { out, io } = captureIo();

      // Act
      const code = await pseudonymMain(['+15551234567', '--lake', lake], io, clients());

      // Assert
      expect(code).toBe(0);
      expect(out.stdout).toContain(`+15551234567  ${pseudonymOf(local.key.material, '+15551234567')}\n`);
      expect(cloudFormation.calls()).toHaveLength(0);
      expect(secretsManager.calls()).toHaveLength(0);
    });

    it('fails when the lake has no key, and creates none', async () => {
      // Arrange
      const { out, io } = captureIo();

      // Act
      const code = await pseudonymMain(['+15551234567', '--lake', lake], io, clients());

      // Assert
      expect(code).toBe(1);
      expect(out.stderr).toMatch(/^error: no pseudonym key at .*pii-key\.json/);
    });

    it('refuses deployment options beside it', async () => {
      // Arrange
      const { out, io } = captureIo();

      // Act
      const code = await pseudonymMain(['+1', '--lake', lake, '--stack', 'ctr-lake'], io, clients());

      // Assert
      expect(code).toBe(2);
      expect(out.stderr).toContain('--lake uses a local lake');
    });
  });

  it('needs at least one value', async () => {
    // Arrange
    const { out, io } = captureIo();

    // Act / Assert
    expect(await pseudonymMain([], io, clients())).toBe(2);
    expect(out.stderr).toContain('error: name at least one VALUE to pseudonymise');
  });
});
