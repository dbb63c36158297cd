import { once } from 'node:events';
import type { Server } from 'node:http';
import { createServer, type AddressInfo } from 'node:net';

/** A service emulator listening on 127.0.0.1. `stop()` is idempotent so exit handlers can call it freely. */
export interface LocalServer {
  readonly name: string;
  /** e.g. `http://127.0.0.1:45678`: what AWS_ENDPOINT_URL_<SERVICE> or a client's `endpoint` is set to. */
  readonly endpoint: string;
  stop(): Promise<void>;
}

/** Listens on a free loopback port and wraps an in-process Node server as a LocalServer. */
export async function listenOnLoopback(name: string, server: Server): Promise<LocalServer> {
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  let stopped: Promise<void> | undefined;
  return {
    name,
    endpoint: `http://127.0.0.1:${port}`,
    stop: () => {
      stopped ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Keep-alive sockets from SDK clients would hold close() open forever.
        server.closeAllConnections();
      });
      return stopped;
    },
  };
}

/** Asks the OS for a free loopback port (for servers we spawn as child processes). */
export async function freePort(): Promise<number> {
  const probe = createServer();
  probe.listen(0, '127.0.0.1');
  await once(probe, 'listening');
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

/** Fake credentials and region for local servers, which accept any signature. */
/**
 * Request limits of the clients the stand-ins use themselves (the Kinesis poller of the event source, stream and table
 * set-up): they stand for AWS's own infrastructure, not for code under test, so only a hang should stop them, never
 * a local server that a loaded machine slows down (a soak's kinesalite beside its checker can take longer than the
 * handlers' 8 s Kinesis limit to answer GetRecords). Pass to createKinesisClient as its timeouts.
 */
export const LOCAL_INFRASTRUCTURE_TIMEOUTS = { connectionTimeoutMs: 60_000, requestTimeoutMs: 300_000 } as const;

export const LOCAL_CLIENT_CONFIG = {
  region: 'us-east-1',
  credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
} as const;
