import type { Server } from 'node:http';

/** How long the bench's own servers keep an idle keep-alive connection open, as AWS endpoints do for a while. */
export const IDLE_CONNECTION_MS = 120_000;

/**
 * Node's HTTP server closes a keep-alive connection after 5 idle seconds. A client that reuses the connection at
 * that moment gets a reset (ECONNRESET, which the SDK reports as a TimeoutError and retries), and the bench would
 * count that retry against the design whose requests pause longest (Powertools' parallel mode sends no Firehose
 * request while it redelivers). AWS endpoints keep idle connections far longer, so the bench's servers do too.
 */
export function keepIdleConnections(server: Server): void {
  server.keepAliveTimeout = IDLE_CONNECTION_MS;
  // Must exceed keepAliveTimeout, or a request arriving on an idle socket can be cut off while its headers arrive.
  server.headersTimeout = IDLE_CONNECTION_MS + 1000;
}
