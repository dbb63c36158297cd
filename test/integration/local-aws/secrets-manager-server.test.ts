import {
  GetSecretValueCommand,
  ResourceNotFoundException,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { SecretsManagerKeyProvider } from '../../../lambda/transform/pii/adapters/secrets-manager-key-provider';
import { startLocalSecretsManager } from '../../../local-aws/secrets-manager/secrets-manager-server';
import { LOCAL_CLIENT_CONFIG, type LocalServer } from '../../../local-aws/servers';

const SECRET = {
  name: 'ctr-lake-local-pseudonym-key',
  arn: 'arn:aws:secretsmanager:us-east-1:000000000000:secret:ctr-lake-local-pseudonym-key-000000',
  secretString: JSON.stringify({ version: 3, key: 'k'.repeat(64) }),
};

describe('the local Secrets Manager', () => {
  let server: LocalServer;
  let client: SecretsManagerClient;

  beforeAll(async () => {
    server = await startLocalSecretsManager([SECRET]);
    client = new SecretsManagerClient({ ...LOCAL_CLIENT_CONFIG, endpoint: server.endpoint });
  });
  afterAll(async () => {
    client.destroy();
    await server.stop();
  });

  it.each([
    ['ARN', SECRET.arn],
    ['name', SECRET.name],
  ])('answers GetSecretValue by %s with the current version', async (_by, secretId) => {
    // Act
    const answer = await client.send(new GetSecretValueCommand({ SecretId: secretId }));

    // Assert
    expect(answer).toMatchObject({
      ARN: SECRET.arn,
      Name: SECRET.name,
      SecretString: SECRET.secretString,
      VersionStages: ['AWSCURRENT'],
    });
    expect(answer.CreatedDate).toBeInstanceOf(Date);
  });

  it('refuses an unknown secret with ResourceNotFoundException', async () => {
    // Act
    const error = await client.send(new GetSecretValueCommand({ SecretId: 'nope' })).catch((e: unknown) => e);

    // Assert
    expect(error).toBeInstanceOf(ResourceNotFoundException);
  });

  it("serves the transform's own Secrets Manager adapter", async () => {
    // Act
    const key = await new SecretsManagerKeyProvider(client, SECRET.arn).load();

    // Assert
    expect(key.version).toBe(3);
    expect(key.material.symmetricKeySize).toBe(64);
  });
});
