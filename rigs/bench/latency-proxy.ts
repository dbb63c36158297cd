import { Agent, createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { listenOnLoopback, type LocalServer } from '../../local-aws/servers/local-server';
import { keepIdleConnections } from './keep-alive';

/**
 * An HTTP proxy that holds every request for a fixed time before forwarding it to a local server: a network round
 * trip, which loopback does not have. On loopback a design's speed is bounded by the emulator's CPU; on AWS it is
 * bounded by round trips, which a design that issues its requests one after the other pays in full and one that
 * overlaps them does not. The delay is an assumption the bench states next to the figures it affects.
 */
export async function startLatencyProxy(name: string, target: string, delayMs: number): Promise<LocalServer> {
  const { hostname, port } = new URL(target);
  const agent = new Agent({ keepAlive: true, maxSockets: 256 });
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      void (async () => {
        await sleep(delayMs);
        const forward = httpRequest(
          { host: hostname, port, method: request.method, path: request.url, headers: request.headers, agent },
          (answer) => {
            response.writeHead(answer.statusCode ?? 502, answer.headers);
            answer.pipe(response);
          },
        );
        forward.on('error', (error) => {
          response.writeHead(502, { 'content-type': 'text/plain' });
          response.end(String(error));
        });
        forward.end(Buffer.concat(chunks));
      })();
    });
  });
  keepIdleConnections(server);
  const local = await listenOnLoopback(name, server);
  return {
    ...local,
    stop: async () => {
      agent.destroy();
      await local.stop();
    },
  };
}
