import { NodeHttp2Handler, NodeHttpHandler } from '@smithy/node-http-handler';

/**
 * How long one SDK request attempt may take before the SDK gives up on it. A timed-out attempt fails with a
 * `TimeoutError`, which the SDK's standard retry strategy retries (3 attempts by default, 4 for DynamoDB) and, once
 * those are spent, hands to the caller's own failure path. Without these limits the default handler waits for an
 * answer that never comes until the Lambda function itself times out, and a checker timeout is a crash (see
 * docs/CONTRACTS.md, "SDK clients and timeouts").
 */
export interface RequestTimeouts {
  /** TCP (and TLS) connection set-up. HTTP/1.1 only: over HTTP/2 the stream's request timeout covers it. */
  readonly connectionTimeoutMs: number;
  /**
   * From sending the request to the answer's headers, upload included; also the longest silence while the answer's
   * body is read. Over HTTP/2 it is the stream's inactivity limit.
   */
  readonly requestTimeoutMs: number;
}

/**
 * Connection set-up to a regional endpoint from inside the region takes tens of milliseconds; 1.1 s is what the SDK's
 * own `in-region` defaults mode allows, so a black-holed address or a lost SYN fails fast and the retry picks another.
 */
export const CONNECTION_TIMEOUT_MS = 1_100;
/**
 * DynamoDB single-item writes (the checker's conditional PutItem / UpdateItem / DeleteItem, a few hundred bytes)
 * answer in single-digit milliseconds; 3 s is hundreds of times that (room for a new TLS connection and a GC pause),
 * yet the DynamoDB client's 4 attempts (~12 s with backoff) stay small against the checker's 2-minute timeout.
 */
export const DYNAMODB_REQUEST_TIMEOUT_MS = 3_000;
/**
 * Firehose PutRecordBatch uploads up to 4 MiB (500 records) and usually answers well under a second. 6 s leaves room
 * for a slow upload, and keeps the checker's whole delivery loop inside its 2-minute timeout even if every request
 * hangs: 5 sink attempts × 3 SDK attempts × 6 s ≈ 90 s, plus < 1 s of backoff. Shorter would turn slow-but-stored
 * batches into resends (raw duplicates in the lake); longer would let a hung delivery run the function out of time.
 */
export const FIREHOSE_REQUEST_TIMEOUT_MS = 6_000;
/**
 * Kinesis PutRecords uploads up to 5 MiB (500 records), the largest single request here, so the longest limit: 3 SDK
 * attempts × 8 s ≈ 24 s stay well inside the emulator's 60-second timeout.
 */
export const KINESIS_REQUEST_TIMEOUT_MS = 8_000;

export const DYNAMODB_TIMEOUTS: RequestTimeouts = {
  connectionTimeoutMs: CONNECTION_TIMEOUT_MS,
  requestTimeoutMs: DYNAMODB_REQUEST_TIMEOUT_MS,
};
export const FIREHOSE_TIMEOUTS: RequestTimeouts = {
  connectionTimeoutMs: CONNECTION_TIMEOUT_MS,
  requestTimeoutMs: FIREHOSE_REQUEST_TIMEOUT_MS,
};
export const KINESIS_TIMEOUTS: RequestTimeouts = {
  connectionTimeoutMs: CONNECTION_TIMEOUT_MS,
  requestTimeoutMs: KINESIS_REQUEST_TIMEOUT_MS,
};

/** The SDK's own pool size for its default handler: the checker's 16 concurrent claims fit without queueing. */
const MAX_SOCKETS = 50;

/**
 * An HTTP/1.1 handler with keep-alive sockets (a warm container reuses its TLS connections across invocations) and
 * the given limits. `throwOnRequestTimeout` is what makes `requestTimeout` fail the attempt: without it the handler
 * only logs a warning and keeps waiting. `socketTimeout` equals the request timeout so an answer whose body stalls
 * after its headers also fails (an explicit handler loses the SDK's default 5-minute socket timeout).
 *
 * @param overrides e.g. much shorter limits in tests
 */
export function createHttpHandler(
  defaults: RequestTimeouts,
  overrides: Partial<RequestTimeouts> = {},
): NodeHttpHandler {
  const { connectionTimeoutMs, requestTimeoutMs } = { ...defaults, ...overrides };
  const agent = { keepAlive: true, maxSockets: MAX_SOCKETS };
  return new NodeHttpHandler({
    connectionTimeout: connectionTimeoutMs,
    requestTimeout: requestTimeoutMs,
    throwOnRequestTimeout: true,
    socketTimeout: requestTimeoutMs,
    httpAgent: agent,
    httpsAgent: agent,
  });
}

/**
 * An HTTP/2 handler as the Kinesis client builds by default (one session per request: `disableConcurrentStreams`),
 * plus the request timeout, which over HTTP/2 is the stream's inactivity limit and fails the attempt with a
 * `TimeoutError`. HTTP/2 has no separate connection timeout: a session that never connects leaves the stream silent.
 */
export function createHttp2Handler(
  defaults: RequestTimeouts,
  overrides: Partial<RequestTimeouts> = {},
): NodeHttp2Handler {
  const { requestTimeoutMs } = { ...defaults, ...overrides };
  return new NodeHttp2Handler({ requestTimeout: requestTimeoutMs, disableConcurrentStreams: true });
}
