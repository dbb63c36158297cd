import { once } from 'node:events';
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { pairWithUpstream } from './tcp-pair';
import { seededRandom } from './seeded-random';

/**
 * What a TCP fault does to a chunk of the client's traffic: `reset` destroys the connection (both sides) instead of
 * forwarding it, so the command was never applied; `reset-after` forwards it, then destroys the connection before
 * the answer comes back, so the command WAS applied and the client cannot know; `stall` forwards it and holds the
 * server's answers back for `stallMs` (longer than the client's command timeout), so the client gives up on a
 * command the server applied.
 */
export type TcpFaultKind = 'reset' | 'reset-after' | 'stall';
export const TCP_FAULT_KINDS: readonly TcpFaultKind[] = ['reset', 'reset-after', 'stall'];

export interface TcpFaultProxyOptions {
  /** `host:port` of the real server. */
  readonly targetPort: number;
  readonly targetHost?: string;
  /** Probability that a chunk of client traffic is faulted. */
  readonly faultRate: number;
  readonly seed: number;
  /** @default all kinds */
  readonly kinds?: readonly TcpFaultKind[];
  /** @default 2 000 ms */
  readonly stallMs?: number;
}

export interface TcpFaultProxy {
  readonly port: number;
  /** e.g. `redis://127.0.0.1:<port>`. */
  readonly endpoint: string;
  readonly injected: Readonly<Record<TcpFaultKind, number>>;
  setEnabled(enabled: boolean): void;
  stop(): Promise<void>;
}

/**
 * A TCP proxy on 127.0.0.1 in front of a protocol server that is not HTTP (Valkey/Redis): the soak puts it between
 * the checker and the server to cut connections and hold commands back, with faults chosen by a seeded generator so
 * a failing run replays. A chunk is whatever one socket read returned: with a pipelining client, several commands.
 */
export async function startTcpFaultProxy(options: TcpFaultProxyOptions): Promise<TcpFaultProxy> {
  const random = seededRandom(options.seed);
  const kinds = options.kinds ?? TCP_FAULT_KINDS;
  const injected = Object.fromEntries(TCP_FAULT_KINDS.map((kind) => [kind, 0])) as Record<TcpFaultKind, number>;
  const sockets = new Set<Socket>();
  let enabled = true;

  const server = createServer((client) => {
    const upstream = pairWithUpstream(
      client,
      { host: options.targetHost ?? '127.0.0.1', port: options.targetPort },
      sockets,
    );
    const cut = (): void => {
      client.destroy();
      upstream.destroy();
    };
    client.on('data', (chunk) => {
      // Two draws per chunk, whatever happens, so the fault sequence depends on the seed and the traffic only.
      const roll = random();
      const pick = random();
      const kind = enabled && roll < options.faultRate ? kinds[Math.floor(pick * kinds.length)] : undefined;
      if (kind !== undefined) injected[kind] += 1;
      switch (kind) {
        case undefined:
          upstream.write(chunk);
          return;
        case 'reset':
          cut();
          return;
        case 'reset-after':
          upstream.write(chunk, () => setTimeout(cut, 5));
          return;
        case 'stall':
          upstream.write(chunk);
          upstream.pause();
          setTimeout(() => upstream.resume(), options.stallMs ?? 2000);
          return;
      }
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;

  let stopped: Promise<void> | undefined;
  return {
    port,
    endpoint: `redis://127.0.0.1:${port}`,
    injected,
    setEnabled: (value) => {
      enabled = value;
    },
    stop: () => {
      stopped ??= new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      });
      return stopped;
    },
  };
}
