import {
  GetSecretValueCommand,
  ResourceNotFoundException,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { inspect } from 'node:util';
import { SecretsManagerKeyProvider } from '../../../../lambda/transform/pii/adapters/secrets-manager-key-provider';
import { PseudonymKeyError } from '../../../../lambda/transform/pii/pseudonym-key';

const SECRET = 'arn:aws:secretsmanager:us-east-1:111122223333:secret:ctr-lake-pii-key-AbCdEf';
const MATERIAL = 'Zq8wLk3vR7tYb2nM5cX1pJ9hG4dF6sA0eU8iO3yT7rW2qE5aaaaaaaaaaaaaaaa';

const secretsManager = mockClient(SecretsManagerClient);

describe('SecretsManagerKeyProvider', () => {
  beforeEach(() => secretsManager.reset());

  const provider = () => new SecretsManagerKeyProvider(new SecretsManagerClient({ region: 'us-east-1' }), SECRET);

  it('reads the secret the stack generated: its version and its key', async () => {
    // Arrange
    secretsManager.on(GetSecretValueCommand).resolves({ SecretString: JSON.stringify({ version: 1, key: MATERIAL }) });

    // Act
    const key = await provider().load();

    // Assert
    expect(key.version).toBe(1);
    expect(key.material.symmetricKeySize).toBe(MATERIAL.length);
    expect(secretsManager).toHaveReceivedCommandWith(GetSecretValueCommand, { SecretId: SECRET });
  });

  it('turns an SDK failure into a PseudonymKeyError naming the secret and the error, keeping the cause', async () => {
    // Arrange
    const cause = new ResourceNotFoundException({ message: 'not found', $metadata: {} });
    secretsManager.on(GetSecretValueCommand).rejects(cause);

    // Act
    const error = await provider()
      .load()
      .catch((e: unknown) => e);

    // Assert
    expect(error).toBeInstanceOf(PseudonymKeyError);
    expect((error as Error).message).toBe(`cannot read the pseudonym key secret ${SECRET}: ResourceNotFoundException`);
    expect((error as Error).cause).toBe(cause);
  });

  it('refuses a binary secret and a malformed one without quoting it', async () => {
    // Arrange
    secretsManager
      .on(GetSecretValueCommand)
      .resolvesOnce({ SecretBinary: new Uint8Array([1, 2]) })
      .resolvesOnce({ SecretString: `{"key":"${MATERIAL}"` });

    // Act
    const binary = await provider()
      .load()
      .catch((e: unknown) => e);
    const malformed = await provider()
      .load()
      .catch((e: unknown) => e);

    // Assert
    expect((binary as Error).message).toBe(`the pseudonym key secret ${SECRET} holds no text`);
    expect((malformed as Error).message).toBe(`the pseudonym key in secret ${SECRET} is not JSON`);
    expect(inspect(malformed, { depth: 10 })).not.toContain(MATERIAL.slice(0, 12));
  });
});
