import type { AwsCredentialIdentity } from '@smithy/types';
import Redis, { Cluster, type RedisOptions } from 'ioredis';
import type { ValkeyEndpoint } from '../config';
import { createValkeyAuthToken } from './valkey-auth-token';
import type { ValkeyScriptClient } from './valkey-dedup-store';

/**
 * A new IAM token every 10 minutes: it is checked only at AUTH, which ioredis sends on every (re)connection from its
 * options, and is valid 15 minutes. Refreshed at the start of an invocation (which lasts at most 2 minutes), the token
 * a reconnection uses is never older than 12 minutes.
 */
export const TOKEN_REFRESH_MS = 10 * 60_000;
/** A command that gets no answer within this is failed (ioredis `commandTimeout`); the core then releases its claim. */
export const VALKEY_COMMAND_TIMEOUT_MS = 2_000;
export const VALKEY_CONNECT_TIMEOUT_MS = 2_000;

export interface ValkeyConnectionDeps {
  /** The function's credentials, for the IAM token (the SDK's default chain, e.g. the Firehose client's). */
  readonly credentials: () => Promise<AwsCredentialIdentity>;
  readonly region: () => Promise<string>;
  /** @default () => new Date() */
  readonly clock?: () => Date;
  /** @default VALKEY_COMMAND_TIMEOUT_MS */
  readonly commandTimeoutMs?: number;
}

/** The client the store sends its scripts on, and what has to happen before an invocation uses it. */
export interface ValkeyConnection {
  readonly client: ValkeyScriptClient;
  /** Makes sure a (re)connection would AUTH with a valid token (refreshAuth), and connects on first use. */
  prepare(): Promise<void>;
  /** Signs a new IAM token when the one (re)connections use is TOKEN_REFRESH_MS old; nothing for a local server. */
  refreshAuth(): Promise<void>;
  close(): void;
}

/**
 * The checker's Valkey client, by endpoint (lambda/checker/config.ts):
 * - `aws`: ElastiCache Serverless, which speaks the cluster protocol and TLS only: an ioredis Cluster with TLS, the
 *   endpoint's name kept as it is (`dnsLookup`: the certificate is for that name, not for the addresses behind it),
 *   and AUTH as the IAM-enabled user with a SigV4 token;
 * - `tls`: one TLS connection with the same AUTH (a non-cluster endpoint);
 * - `local`: one plain connection, no AUTH (npm start's redis-server).
 * Every client auto-pipelines, so the claims a batch issues together are one round trip.
 */
export function createValkeyConnection(endpoint: ValkeyEndpoint, deps: ValkeyConnectionDeps): ValkeyConnection {
  const common: RedisOptions = {
    enableAutoPipelining: true,
    lazyConnect: true,
    commandTimeout: deps.commandTimeoutMs ?? VALKEY_COMMAND_TIMEOUT_MS,
    connectTimeout: VALKEY_CONNECT_TIMEOUT_MS,
    maxRetriesPerRequest: 2,
  };
  if (endpoint.mode === 'local') {
    const client = new Redis({ ...common, host: endpoint.host, port: endpoint.port });
    return connectionOf(client, async () => undefined);
  }
  const clock = deps.clock ?? (() => new Date());
  const auth: RedisOptions = { tls: { servername: endpoint.host }, username: endpoint.userId };
  const client =
    endpoint.mode === 'aws'
      ? new Cluster([{ host: endpoint.host, port: endpoint.port }], {
          enableAutoPipelining: true,
          lazyConnect: true,
          dnsLookup: (address, callback) => callback(null, address),
          slotsRefreshTimeout: VALKEY_CONNECT_TIMEOUT_MS,
          redisOptions: { ...common, ...auth },
        })
      : new Redis({ ...common, ...auth, host: endpoint.host, port: endpoint.port });
  let issuedAt = Number.NEGATIVE_INFINITY;
  const refresh = async (): Promise<void> => {
    const now = clock();
    if (now.getTime() - issuedAt < TOKEN_REFRESH_MS) return;
    const token = await createValkeyAuthToken({
      cacheName: endpoint.cacheName,
      userId: endpoint.userId,
      region: await deps.region(),
      credentials: await deps.credentials(),
      signingDate: now,
    });
    setPassword(client, token);
    issuedAt = now.getTime();
  };
  return connectionOf(client, refresh);
}

/** The password every future (re)connection AUTHs with: the cluster's template for new nodes and each node's own. */
export function setPassword(client: Redis | Cluster, token: string): void {
  if (client instanceof Cluster) {
    client.options.redisOptions = { ...client.options.redisOptions, password: token };
    for (const node of client.nodes('all')) node.options.password = token;
  } else {
    client.options.password = token;
  }
}

function connectionOf(client: Redis | Cluster, refresh: () => Promise<void>): ValkeyConnection {
  let connecting: Promise<void> | undefined;
  return {
    client,
    refreshAuth: refresh,
    prepare: async () => {
      await refresh();
      if (client.status === 'wait') connecting ??= client.connect();
      // A failed first connection is retried by ioredis; commands wait in its offline queue until commandTimeout.
      await connecting?.catch(() => undefined);
    },
    close: () => client.disconnect(),
  };
}
