import { once } from 'node:events';
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { pairWithUpstream } from '../faults/tcp-pair';
import type { LocalServer } from '../../local-aws/servers/local-server';

/**
 * The TCP twin of latency-proxy.ts, for a server that does not speak HTTP (Valkey/Redis): everything the client sends
 * is held for `delayMs` before it goes on to the server, in order, and the answers come straight back. One write of
 * the client pays the delay once, so a pipelined batch of commands pays one round trip, as it would on a network, and
 * one command after the other pays it each time. `writes` counts the client's writes that reached the proxy: the round
 * trips, as far as the network sees them (a large pipeline may arrive in more than one read).
 */
export interface TcpLatencyProxy extends LocalServer {
  readonly port: number;
  writes(): number;
}

export async function startTcpLatencyProxy(
  name: string,
  targetPort: number,
  delayMs: number,
): Promise<TcpLatencyProxy> {
  const sockets = new Set<Socket>();
  let writes = 0;
  const server = createServer((client) => {
    const upstream = pairWithUpstream(client, { host: '127.0.0.1', port: targetPort }, sockets);
    // Timers of equal delay fire in the order they were set: the server gets the client's bytes in order.
    client.on('data', (chunk) => {
      writes += 1;
      setTimeout(() => upstream.write(chunk), delayMs);
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    name,
    port,
    endpoint: `redis://127.0.0.1:${port}`,
    writes: () => writes,
    stop: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
