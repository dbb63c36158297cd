import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { CONNECTION_TIMEOUT_MS, createHttpHandler, type RequestTimeouts } from '../../../shared/adapters/http-handler';
import { parsePseudonymKey, PseudonymKeyError, type PseudonymKey, type PseudonymKeyProvider } from '../pseudonym-key';

/**
 * GetSecretValue returns a few hundred bytes and answers in milliseconds; 3 s per attempt (3 SDK attempts ≈ 9 s)
 * leaves most of the transform's minute to the batch, and a hung request fails the invocation for Firehose to retry.
 */
export const SECRETS_MANAGER_TIMEOUTS: RequestTimeouts = {
  connectionTimeoutMs: CONNECTION_TIMEOUT_MS,
  requestTimeoutMs: 3_000,
};

/** A Secrets Manager client with the timeouts above; AWS_ENDPOINT_URL_SECRETS_MANAGER still points it elsewhere. */
export function createSecretsManagerClient(): SecretsManagerClient {
  return new SecretsManagerClient({ requestHandler: createHttpHandler(SECRETS_MANAGER_TIMEOUTS) });
}

/**
 * The pseudonym key from a Secrets Manager secret (its current version), as the stack generates it:
 * `{"version": N, "key": "..."}` (pseudonym-key.ts). Reading it needs secretsmanager:GetSecretValue on the secret
 * and kms:Decrypt on its key through Secrets Manager: the transform's grant.
 */
export class SecretsManagerKeyProvider implements PseudonymKeyProvider {
  constructor(
    private readonly client: SecretsManagerClient,
    private readonly secretId: string,
  ) {}

  async load(): Promise<PseudonymKey> {
    let secretString: string | undefined;
    try {
      ({ SecretString: secretString } = await this.client.send(new GetSecretValueCommand({ SecretId: this.secretId })));
    } catch (cause) {
      const name = cause instanceof Error ? cause.name : typeof cause;
      throw new PseudonymKeyError(`cannot read the pseudonym key secret ${this.secretId}: ${name}`, { cause });
    }
    if (typeof secretString !== 'string') {
      throw new PseudonymKeyError(`the pseudonym key secret ${this.secretId} holds no text`);
    }
    return parsePseudonymKey(secretString, `secret ${this.secretId}`);
  }
}
