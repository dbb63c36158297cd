import { once } from 'node:events';
import { createServer } from 'node:http';
import { createServer as createHttp2Server, type ServerHttp2Session } from 'node:http2';
import type { AddressInfo } from 'node:net';
import { listenOnLoopback, type LocalServer } from '../../../local-aws/servers';

/**
 * Asserts that a call to a hung server failed the way the SDK reports an HTTP/1.1 request timeout, after the SDK's
 * own retries ($metadata.attempts). Requests reached the server, at most one per attempt: on a loaded machine an
 * attempt can time out before its request is on the wire or before the server has read it, so the exact count is
 * not asserted (the attempts are).
 */
export async function expectTimedOutAfterRetries(
  sent: Promise<unknown>,
  server: HungServer,
  options: { readonly attempts: number; readonly requestTimeoutMs: number },
): Promise<void> {
  await expect(sent).rejects.toMatchObject({
    name: 'TimeoutError',
    message: expect.stringContaining(`exceeded the configured ${options.requestTimeoutMs} ms requestTimeout`),
    $metadata: { attempts: options.attempts },
  });
  expect(server.requests()).toBeGreaterThanOrEqual(1);
  expect(server.requests()).toBeLessThanOrEqual(options.attempts);
}

/** A server on 127.0.0.1 that reads every request and never answers: what a hung AWS endpoint looks like. */
export interface HungServer extends LocalServer {
  /** Requests received so far (one per SDK attempt). */
  readonly requests: () => number;
}

/** HTTP/1.1, as DynamoDB, Firehose and kinesalite speak it. */
export async function startHungHttpServer(): Promise<HungServer> {
  let requests = 0;
  const server = createServer((request) => {
    requests++;
    request.resume();
  });
  const local = await listenOnLoopback('hung-http', server);
  return { ...local, requests: () => requests };
}

/** Cleartext HTTP/2 (prior knowledge), as the Kinesis client's default handler speaks it. */
export async function startHungHttp2Server(): Promise<HungServer> {
  let requests = 0;
  const sessions = new Set<ServerHttp2Session>();
  const server = createHttp2Server();
  server.on('session', (session) => {
    sessions.add(session);
    session.once('close', () => sessions.delete(session));
  });
  server.on('stream', (stream) => {
    requests++;
    stream.resume();
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  let stopped: Promise<void> | undefined;
  return {
    name: 'hung-http2',
    endpoint: `http://127.0.0.1:${port}`,
    requests: () => requests,
    stop: () => {
      stopped ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const session of sessions) session.destroy();
      });
      return stopped;
    },
  };
}
