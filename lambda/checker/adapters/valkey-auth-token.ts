import { SignatureV4 } from '@smithy/signature-v4';
import type { AwsCredentialIdentity, Checksum, SourceData } from '@smithy/types';
import { createHash, createHmac, type Hash, type Hmac } from 'node:crypto';

/** How long ElastiCache accepts an IAM authentication token: 15 minutes (it is checked at AUTH only). */
export const TOKEN_LIFETIME_SECONDS = 900;

export interface ValkeyTokenRequest {
  /** The serverless cache's name: the host the token is signed for. */
  readonly cacheName: string;
  /** The ElastiCache user (IAM users have user name = user id). */
  readonly userId: string;
  readonly region: string;
  readonly credentials: AwsCredentialIdentity;
  /** @default now */
  readonly signingDate?: Date;
}

/**
 * An IAM authentication token for ElastiCache Serverless (docs: "Authenticating with IAM"): a SigV4-presigned
 * `GET http://<cacheName>/?Action=connect&User=<userId>&ResourceType=ServerlessCache` for the service
 * `elasticache`, valid 15 minutes, without its scheme. It is made here from the function's own credentials, with
 * no network call, and used as the AUTH password of the user `userId`.
 */
export async function createValkeyAuthToken(request: ValkeyTokenRequest): Promise<string> {
  const signer = new SignatureV4({
    service: 'elasticache',
    region: request.region,
    credentials: request.credentials,
    sha256: NodeSha256,
  });
  const presigned = await signer.presign(
    {
      method: 'GET',
      protocol: 'http:',
      hostname: request.cacheName,
      path: '/',
      query: { Action: 'connect', User: request.userId, ResourceType: 'ServerlessCache' },
      headers: { host: request.cacheName },
    },
    { expiresIn: TOKEN_LIFETIME_SECONDS, ...(request.signingDate ? { signingDate: request.signingDate } : {}) },
  );
  const query = Object.entries(presigned.query ?? {})
    .map(([name, value]) => `${encodeURIComponent(name)}=${encodeURIComponent(String(value))}`)
    .join('&');
  return `${request.cacheName}/?${query}`;
}

/** SHA-256 and HMAC-SHA-256 from node:crypto in the shape SignatureV4 takes (no extra hashing package). */
class NodeSha256 implements Checksum {
  private hash: Hash | Hmac;

  constructor(private readonly secret?: SourceData) {
    this.hash = this.fresh();
  }

  update(data: Uint8Array): void {
    this.hash.update(data);
  }

  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.hash.digest());
  }

  reset(): void {
    this.hash = this.fresh();
  }

  private fresh(): Hash | Hmac {
    if (this.secret === undefined) return createHash('sha256');
    const key =
      typeof this.secret === 'string'
        ? this.secret
        : ArrayBuffer.isView(this.secret)
          ? Buffer.from(this.secret.buffer, this.secret.byteOffset, this.secret.byteLength)
          : Buffer.from(this.secret);
    return createHmac('sha256', key);
  }
}
