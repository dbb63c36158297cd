import { once } from 'node:events';
import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { attemptIdOf, INVOCATION_HEADER } from './invocation-tag';
import { seededRandom } from './seeded-random';

/** The AWS services ctr-lake talks to, each with its own throttling error shape. */
export type FaultedService = 'dynamodb' | 'kinesis' | 'firehose';

/**
 * - `throttle`: the service's throttling error (DynamoDB ProvisionedThroughputExceededException or
 *   ThrottlingException, Kinesis ProvisionedThroughputExceededException, Firehose ServiceUnavailableException).
 * - `http500` / `http503`: a bare server error.
 * - `reset`: the connection is destroyed without an answer.
 * - `slow`: the answer is held back longer than the client's timeout; the request is then dropped unapplied.
 * - `partial`: for batch writes (Kinesis PutRecords, Firehose PutRecordBatch), a random subset of entries is
 *   refused with a per-entry error; only the others reach the service, as with the real services.
 * Every fault except `partial` is injected before the request reaches the service, so it is never applied.
 */
export type FaultKind = 'throttle' | 'http500' | 'http503' | 'reset' | 'slow' | 'partial';

export const FAULT_KINDS: readonly FaultKind[] = ['throttle', 'http500', 'http503', 'reset', 'slow', 'partial'];

export interface FaultProxyOptions {
  readonly service: FaultedService;
  /** Endpoint of the real local server, e.g. `http://127.0.0.1:4567`. */
  readonly target: string;
  /** Probability that a request is faulted. */
  readonly faultRate: number;
  readonly seed: number;
  /** Which kinds may be injected. @default all that apply to the service */
  readonly kinds?: readonly FaultKind[];
  /** Only requests for these operations (the part of X-Amz-Target after the dot) are faulted. @default all */
  readonly operations?: readonly string[];
  /** How long a `slow` answer is held. Must exceed the client's request timeout. @default 3 000 ms */
  readonly slowMs?: number;
  /** Share of entries refused by a `partial` fault. @default 0.3 */
  readonly partialShare?: number;
  /** Sees every request before fault injection and every answer before it goes out (crash injection). */
  readonly interceptor?: ProxyInterceptor;
}

/** A request as an interceptor sees it. */
export interface InterceptedRequest {
  /** The part of X-Amz-Target after the dot, e.g. `PutRecordBatch`. */
  readonly operation: string;
  /** The simulated invocation that sent it (see invocation-tag.ts), when it was sent inside one. */
  readonly invocation: string | undefined;
  /** The SDK attempt it is (attemptIdOf), when an SDK client sent it. */
  readonly attempt: string | undefined;
  readonly body: Buffer;
}

/** The service's answer to a forwarded request (after any `partial` fault merged its refusals in). */
export interface InterceptedAnswer {
  readonly status: number;
  readonly body: Buffer;
}

/** `reset` destroys the connection without an answer, as a process that died mid-call leaves it. */
export type InterceptDecision = 'pass' | 'reset';

/**
 * Hooks for crash injection. `before` runs ahead of fault injection: `reset` there means the request is never
 * applied. `after` runs once the service applied the request: `reset` there means it was applied but the caller
 * never learns it.
 */
export interface ProxyInterceptor {
  before?(request: InterceptedRequest): InterceptDecision;
  after?(request: InterceptedRequest, answer: InterceptedAnswer): InterceptDecision;
}

export interface FaultProxy {
  readonly endpoint: string;
  /** Faults injected so far, by kind. */
  readonly injected: Readonly<Record<FaultKind, number>>;
  /** Requests seen so far, by operation. */
  readonly requests: Readonly<Record<string, number>>;
  /** Turns injection on or off (e.g. off while setting up tables and streams). */
  setEnabled(enabled: boolean): void;
  stop(): Promise<void>;
}

type ThrottleAnswer = { status: number; type: string; message: string };

/** Each service's throttling answers; DynamoDB has two (a table's provisioned throughput, the account's rate). */
const THROTTLE: Record<FaultedService, readonly ThrottleAnswer[]> = {
  dynamodb: [
    {
      status: 400,
      type: 'com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException',
      message: 'The level of configured provisioned throughput for the table was exceeded.',
    },
    {
      status: 400,
      type: 'com.amazon.coral.availability#ThrottlingException',
      message: 'Rate of requests exceeds the allowed throughput.',
    },
  ],
  kinesis: [
    {
      status: 400,
      type: 'ProvisionedThroughputExceededException',
      message: 'Rate exceeded for shard shardId-000000000000 in stream.',
    },
  ],
  firehose: [{ status: 503, type: 'ServiceUnavailableException', message: 'Slow down.' }],
};

const PARTIAL_ENTRY_ERROR: Record<'kinesis' | 'firehose', { code: string; message: string }> = {
  kinesis: { code: 'ProvisionedThroughputExceededException', message: 'Rate exceeded for shard.' },
  firehose: { code: 'ServiceUnavailableException', message: 'Slow down.' },
};

/** The batch write operation of each service whose answers can fail some entries. */
const BATCH_OPERATION: Partial<Record<FaultedService, { operation: string; entries: string }>> = {
  kinesis: { operation: 'PutRecords', entries: 'Records' },
  firehose: { operation: 'PutRecordBatch', entries: 'Records' },
};

/**
 * An HTTP proxy on 127.0.0.1 that sits in front of one local AWS service emulator and injects faults, chosen by a
 * seeded generator so that a failing soak can be replayed exactly.
 */
export async function startFaultProxy(options: FaultProxyOptions): Promise<FaultProxy> {
  const random = seededRandom(options.seed);
  const batch = BATCH_OPERATION[options.service];
  const kinds = (options.kinds ?? FAULT_KINDS).filter((kind) => kind !== 'partial' || batch !== undefined);
  const injected = Object.fromEntries(FAULT_KINDS.map((kind) => [kind, 0])) as Record<FaultKind, number>;
  const requests: Record<string, number> = {};
  const target = new URL(options.target);
  let enabled = true;

  const server = createServer((req, res) => {
    void handle(req, res).catch(() => res.destroy());
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req);
    const operation =
      String(req.headers['x-amz-target'] ?? '')
        .split('.')
        .pop() ?? '';
    requests[operation] = (requests[operation] ?? 0) + 1;
    const invocation = req.headers[INVOCATION_HEADER];
    const intercepted: InterceptedRequest = {
      operation,
      invocation: typeof invocation === 'string' ? invocation : undefined,
      attempt: attemptIdOf(req.headers),
      body,
    };
    const eligible =
      enabled && kinds.length > 0 && (options.operations === undefined || options.operations.includes(operation));
    // Draw both numbers on every request so the fault sequence depends only on the seed and the request order.
    const roll = random();
    const pick = random();
    if (options.interceptor?.before?.(intercepted) === 'reset') {
      req.socket.destroy();
      return;
    }
    const kind = eligible && roll < options.faultRate ? kinds[Math.floor(pick * kinds.length)] : undefined;
    if (kind === 'partial' && operation !== batch?.operation) {
      await forward(req, intercepted, res);
      return;
    }
    if (kind !== undefined) injected[kind] += 1;
    switch (kind) {
      case undefined:
        await forward(req, intercepted, res);
        return;
      case 'throttle': {
        const answers = THROTTLE[options.service];
        const t = answers[Math.floor(random() * answers.length)]!;
        sendJson(res, t.status, { __type: t.type, message: t.message }, t.type);
        return;
      }
      case 'http500':
        sendJson(res, 500, { __type: 'InternalFailure', message: 'injected 500' }, 'InternalFailure');
        return;
      case 'http503':
        sendJson(res, 503, { __type: 'ServiceUnavailable', message: 'injected 503' }, 'ServiceUnavailable');
        return;
      case 'reset':
        req.socket.destroy();
        return;
      case 'slow':
        await sleep(options.slowMs ?? 3000);
        // The client has given up by now; a request that was never forwarded was never applied.
        if (!res.destroyed && !req.socket.destroyed) {
          sendJson(res, 503, { __type: 'ServiceUnavailable', message: 'injected slow answer' }, 'ServiceUnavailable');
        }
        return;
      case 'partial':
        await forwardPartially(req, intercepted, res);
        return;
    }
  }

  /** Lets the interceptor see an applied request's answer; false when it decided the caller never gets it. */
  function answerGoesOut(req: IncomingMessage, request: InterceptedRequest, answer: InterceptedAnswer): boolean {
    if (options.interceptor?.after?.(request, answer) === 'reset') {
      req.socket.destroy();
      return false;
    }
    return true;
  }

  async function forwardPartially(
    req: IncomingMessage,
    request: InterceptedRequest,
    res: ServerResponse,
  ): Promise<void> {
    const service = options.service as 'kinesis' | 'firehose';
    const parsed = JSON.parse(request.body.toString('utf8')) as Record<string, unknown>;
    const entries = parsed[batch!.entries] as unknown[];
    const refused = entries.map(() => random() < (options.partialShare ?? 0.3));
    const kept = entries.filter((_, i) => !refused[i]);
    let upstream: unknown[] = [];
    if (kept.length > 0) {
      const answer = await send(req, Buffer.from(JSON.stringify({ ...parsed, [batch!.entries]: kept })));
      if (answer.status !== 200) {
        if (!answerGoesOut(req, request, answer)) return;
        res.writeHead(answer.status, answer.headers);
        res.end(answer.body);
        return;
      }
      const json = JSON.parse(answer.body.toString('utf8')) as Record<string, unknown>;
      upstream = (service === 'kinesis' ? json.Records : json.RequestResponses) as unknown[];
    }
    const { code, message } = PARTIAL_ENTRY_ERROR[service];
    let next = 0;
    const merged = refused.map((isRefused) =>
      isRefused ? { ErrorCode: code, ErrorMessage: message } : upstream[next++],
    );
    const failed = merged.filter((entry) => (entry as { ErrorCode?: string }).ErrorCode !== undefined).length;
    const answer =
      service === 'kinesis'
        ? { FailedRecordCount: failed, Records: merged }
        : { FailedPutCount: failed, Encrypted: false, RequestResponses: merged };
    if (!answerGoesOut(req, request, { status: 200, body: Buffer.from(JSON.stringify(answer)) })) return;
    sendJson(res, 200, answer);
  }

  async function forward(req: IncomingMessage, request: InterceptedRequest, res: ServerResponse): Promise<void> {
    const answer = await send(req, request.body);
    if (!answerGoesOut(req, request, answer)) return;
    res.writeHead(answer.status, answer.headers);
    res.end(answer.body);
  }

  function send(
    req: IncomingMessage,
    body: Buffer,
  ): Promise<{ status: number; headers: Record<string, string | string[]>; body: Buffer }> {
    return new Promise((resolve, reject) => {
      const headers: Record<string, string | string[] | undefined> = {
        ...req.headers,
        host: target.host,
        'content-length': String(body.length),
      };
      delete headers[INVOCATION_HEADER];
      const upstream = httpRequest(
        { host: target.hostname, port: target.port, path: req.url, method: req.method, headers },
        (answer) => {
          void readBody(answer).then((data) => {
            const outHeaders: Record<string, string | string[]> = {};
            for (const [name, value] of Object.entries(answer.headers)) {
              if (value !== undefined && name !== 'content-length' && name !== 'transfer-encoding') {
                outHeaders[name] = value;
              }
            }
            outHeaders['content-length'] = String(data.length);
            resolve({ status: answer.statusCode ?? 502, headers: outHeaders, body: data });
          }, reject);
        },
      );
      upstream.on('error', reject);
      upstream.end(body);
    });
  }

  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  let stopped: Promise<void> | undefined;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    injected,
    requests,
    setEnabled: (value) => {
      enabled = value;
    },
    stop: () => {
      stopped ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return stopped;
    },
  };
}

function sendJson(res: ServerResponse, status: number, payload: unknown, errorType?: string): void {
  const body = Buffer.from(JSON.stringify(payload));
  res.writeHead(status, {
    'content-type': 'application/x-amz-json-1.1',
    'content-length': String(body.length),
    ...(errorType ? { 'x-amzn-errortype': errorType } : {}),
  });
  res.end(body);
}

async function readBody(stream: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/**
 * One interceptor from several: every `before` and `after` runs (observers see every request even when another
 * interceptor resets it), and the request or answer is reset when any of them says so.
 */
export function composeInterceptors(...interceptors: readonly ProxyInterceptor[]): ProxyInterceptor {
  const decide = (decisions: InterceptDecision[]): InterceptDecision =>
    decisions.includes('reset') ? 'reset' : 'pass';
  return {
    before: (request) => decide(interceptors.map((i) => i.before?.(request) ?? 'pass')),
    after: (request, answer) => decide(interceptors.map((i) => i.after?.(request, answer) ?? 'pass')),
  };
}

/** Fault settings per service, as `faultProxiesFor` takes them. */
export type ServiceFaults = Partial<Record<FaultedService, Omit<FaultProxyOptions, 'service' | 'target'>>>;

/**
 * The local pipeline's `faults.interpose` hook that puts a seeded fault proxy in front of each service named in
 * `faults`: the pipeline knows nothing of fault injection, the rig hands it in.
 */
export function faultProxiesFor(
  faults: ServiceFaults,
): (service: FaultedService, target: string) => Promise<FaultProxy | undefined> {
  return async (service, target) => {
    const options = faults[service];
    return options ? startFaultProxy({ ...options, service, target }) : undefined;
  };
}
