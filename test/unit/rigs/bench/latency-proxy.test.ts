import { createServer, request } from 'node:http';
import { startLatencyProxy } from '../../../../rigs/bench/latency-proxy';
import { listenOnLoopback } from '../../../../local-aws/servers';

function post(endpoint: string, body: string): Promise<{ status: number; body: string; ms: number }> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const outgoing = request(
      `${endpoint}/path`,
      { method: 'POST', headers: { 'x-amz-target': 'Test.Echo' } },
      (answer) => {
        const chunks: Buffer[] = [];
        answer.on('data', (chunk: Buffer) => chunks.push(chunk));
        answer.on('end', () =>
          resolve({ status: answer.statusCode ?? 0, body: Buffer.concat(chunks).toString(), ms: Date.now() - started }),
        );
      },
    );
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}

describe('startLatencyProxy', () => {
  it('forwards the request whole, answers with the target’s answer, and only after the delay', async () => {
    // Arrange: a target that echoes the method, path, a header and the body
    const target = await listenOnLoopback(
      'echo',
      createServer((req, res) => {
        const chunks: Buffer[] = [];
        req.on('data', (chunk: Buffer) => chunks.push(chunk));
        req.on('end', () => {
          res.writeHead(201, { 'content-type': 'text/plain' });
          res.end(
            `${req.method} ${req.url} ${String(req.headers['x-amz-target'])} ${Buffer.concat(chunks).toString()}`,
          );
        });
      }),
    );
    const proxy = await startLatencyProxy('slow', target.endpoint, 40);

    // Act
    const answer = await post(proxy.endpoint, 'hello');

    // Assert
    expect(answer.status).toBe(201);
    expect(answer.body).toBe('POST /path Test.Echo hello');
    expect(answer.ms).toBeGreaterThanOrEqual(39);
    await proxy.stop();
    await target.stop();
  });
});
