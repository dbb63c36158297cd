import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { FirehoseClient } from '@aws-sdk/client-firehose';
import { KinesisClient } from '@aws-sdk/client-kinesis';
import { ConfiguredRetryStrategy } from '@smithy/core/retry';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { computeBackoffMs } from '../../lambda/shared/backoff';
import { attemptIdOf, tagInvocations } from '../faults/invocation-tag';
import { LOCAL_CLIENT_CONFIG } from '../../local-aws/servers';

export interface SoakClientOptions {
  /**
   * Per-request timeout. It must throw (`throwOnRequestTimeout`): NodeHttpHandler's requestTimeout only logs a
   * warning by default, and then a `slow` fault would just be a late 503 instead of a client-side timeout.
   * @default 1 000 ms
   */
  readonly requestTimeoutMs?: number;
  /** SDK attempts per command, the first included (the SDK's own retry layer). @default 3, as the SDK */
  readonly maxAttempts?: number;
  /**
   * Backoff of the SDK's own retries, full jitter. The SDK waits up to 100 ms (500 ms when throttled) times 2^n
   * against AWS; local servers answer in a millisecond, so the soak scales that down to finish in minutes. The
   * retry logic (which errors, how many attempts, the retry quota) stays the SDK's StandardRetryStrategy.
   * @default SOAK_SDK_BACKOFF
   */
  readonly sdkBackoff?: { readonly baseMs: number; readonly maxMs: number };
  /**
   * Told of every HTTP attempt that failed on the client's side (timeout, reset, refused): with the proxy's record
   * of applied attempts, it finds the requests a service applied although the client saw them fail.
   */
  readonly onAttemptFailed?: (attemptId: string) => void;
}

export const DEFAULT_SOAK_REQUEST_TIMEOUT_MS = 1_000;
export const SOAK_SDK_BACKOFF = { baseMs: 25, maxMs: 1_000 } as const;
const SDK_DEFAULT_MAX_ATTEMPTS = 3;

function clientConfig(endpoint: string, options: SoakClientOptions) {
  return {
    ...LOCAL_CLIENT_CONFIG,
    endpoint,
    requestHandler: new ObservedHttpHandler(options.onAttemptFailed, {
      requestTimeout: options.requestTimeoutMs ?? DEFAULT_SOAK_REQUEST_TIMEOUT_MS,
      throwOnRequestTimeout: true,
      // HTTP/1.1 keep-alive sockets to 127.0.0.1: plenty for the claims a batch runs concurrently.
      httpAgent: { keepAlive: true, maxSockets: 64 },
    }),
    retryStrategy: new ConfiguredRetryStrategy(options.maxAttempts ?? SDK_DEFAULT_MAX_ATTEMPTS, (attempt) =>
      // The strategy numbers retries from 1; computeBackoffMs numbers them from 0.
      computeBackoffMs(Math.max(0, attempt - 1), options.sdkBackoff ?? SOAK_SDK_BACKOFF),
    ),
  };
}

/** NodeHttpHandler that reports the attempts that failed on the client's side. */
class ObservedHttpHandler extends NodeHttpHandler {
  constructor(
    private readonly onAttemptFailed: ((attemptId: string) => void) | undefined,
    options: ConstructorParameters<typeof NodeHttpHandler>[0],
  ) {
    super(options);
  }

  override async handle(...args: Parameters<NodeHttpHandler['handle']>): ReturnType<NodeHttpHandler['handle']> {
    try {
      return await super.handle(...args);
    } catch (error) {
      const attempt = attemptIdOf(args[0].headers);
      if (attempt !== undefined) this.onAttemptFailed?.(attempt);
      throw error;
    }
  }
}

/*
 * The SDK clients the soak hands to the handlers: pointed at the fault proxies, with a request timeout that throws,
 * and tagged with the simulated invocation (invocation-tag.ts) so crash injection can shut a dead one out.
 */

export function soakDynamoDbClient(endpoint: string, options: SoakClientOptions = {}): DynamoDBClient {
  const client = new DynamoDBClient(clientConfig(endpoint, options));
  tagInvocations(client.middlewareStack);
  return client;
}

export function soakFirehoseClient(endpoint: string, options: SoakClientOptions = {}): FirehoseClient {
  const client = new FirehoseClient(clientConfig(endpoint, options));
  tagInvocations(client.middlewareStack);
  return client;
}

export function soakKinesisClient(endpoint: string, options: SoakClientOptions = {}): KinesisClient {
  const client = new KinesisClient(clientConfig(endpoint, options));
  tagInvocations(client.middlewareStack);
  return client;
}
