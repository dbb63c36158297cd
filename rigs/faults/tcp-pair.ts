import { createConnection, type Socket } from 'node:net';

/**
 * Connects an accepted client to the upstream server for a TCP proxy: both sockets are tracked in `sockets` (so the
 * proxy can close them all), their errors are swallowed (a cut connection is the point of a fault, not a crash), a
 * close on either side closes the other, and the server's bytes go back to the client as they come. The client's
 * bytes are the caller's to forward (delayed, dropped, cut): it returns the upstream socket to write them to.
 */
export function pairWithUpstream(client: Socket, target: { host: string; port: number }, sockets: Set<Socket>): Socket {
  const upstream = createConnection({ host: target.host, port: target.port });
  for (const socket of [client, upstream]) {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
  }
  const cut = (): void => {
    client.destroy();
    upstream.destroy();
  };
  client.on('close', cut);
  upstream.on('close', cut);
  upstream.on('data', (chunk) => client.write(chunk));
  return upstream;
}
