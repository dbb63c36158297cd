import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';

/**
 * Answers a request of an AWS JSON 1.1 protocol (Firehose, Secrets Manager): the payload as JSON, a request id, and
 * for an error the type the SDK turns into its exception class (`x-amzn-errortype`, also `__type` in the payload).
 */
export function sendAwsJson(res: ServerResponse, status: number, payload: unknown, errorType?: string): void {
  if (res.headersSent) return;
  const body = Buffer.from(JSON.stringify(payload));
  res.writeHead(status, {
    'content-type': 'application/x-amz-json-1.1',
    'content-length': String(body.length),
    'x-amzn-requestid': randomUUID(),
    ...(errorType ? { 'x-amzn-errortype': errorType } : {}),
  });
  res.end(body);
}
