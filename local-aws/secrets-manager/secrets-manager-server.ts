import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { listenOnLoopback, type LocalServer } from '../servers';
import { sendAwsJson } from '../servers/aws-json-response';

/** One secret the local Secrets Manager holds: its current version only. */
export interface LocalSecret {
  readonly name: string;
  readonly arn: string;
  readonly secretString: string;
}

const TARGET = 'secretsmanager.GetSecretValue';

/**
 * A local AWS Secrets Manager endpoint on 127.0.0.1 answering GetSecretValue (JSON 1.1,
 * `X-Amz-Target: secretsmanager.GetSecretValue`), by secret name or ARN: the transform's unchanged Secrets Manager
 * adapter reaches it through AWS_ENDPOINT_URL_SECRETS_MANAGER. Anything else is refused as AWS refuses it.
 */
export function startLocalSecretsManager(secrets: readonly LocalSecret[]): Promise<LocalServer> {
  const versions = new Map(secrets.map((secret) => [secret.arn, randomUUID()]));
  const server = createServer((req, res) => {
    void answer(req, res, secrets, versions).catch((error: unknown) => {
      send(res, 500, { __type: 'InternalServiceError', message: error instanceof Error ? error.message : 'failed' });
    });
  });
  return listenOnLoopback('local-secrets-manager', server);
}

async function answer(
  req: IncomingMessage,
  res: ServerResponse,
  secrets: readonly LocalSecret[],
  versions: ReadonlyMap<string, string>,
): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const target = req.headers['x-amz-target'];
  if (target !== TARGET) {
    send(res, 400, {
      __type: 'UnknownOperationException',
      message: `the local Secrets Manager answers ${TARGET} only`,
    });
    return;
  }
  let secretId: unknown;
  try {
    secretId = (JSON.parse(Buffer.concat(chunks).toString('utf8')) as { SecretId?: unknown }).SecretId;
  } catch {
    send(res, 400, { __type: 'SerializationException', message: 'the request body is not JSON' });
    return;
  }
  const secret = secrets.find((s) => s.name === secretId || s.arn === secretId);
  if (!secret) {
    send(res, 400, {
      __type: 'ResourceNotFoundException',
      message: "Secrets Manager can't find the specified secret.",
    });
    return;
  }
  send(res, 200, {
    ARN: secret.arn,
    Name: secret.name,
    SecretString: secret.secretString,
    VersionId: versions.get(secret.arn),
    VersionStages: ['AWSCURRENT'],
    CreatedDate: Math.floor(Date.now() / 1000),
  });
}

function send(res: ServerResponse, status: number, payload: Record<string, unknown>): void {
  sendAwsJson(res, status, payload, status === 200 ? undefined : String(payload.__type));
}
