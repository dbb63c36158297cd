import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Envelope } from '../../lambda/shared/envelope';
import { listenOnLoopback } from '../../local-aws/servers';

/**
 * The least of Firehose that the checker needs: PutRecordBatch over the JSON 1.1 protocol
 * (`X-Amz-Target: Firehose_20150804.PutRecordBatch`), answered like the service (`FailedPutCount`,
 * `RequestResponses[i]` with a RecordId or an ErrorCode). It keeps what it accepted and counts every HTTP request,
 * and tests can make entries or whole calls fail.
 */
export interface FirehoseCaptureServer {
  readonly endpoint: string;
  /** Envelopes accepted, in arrival order. */
  readonly accepted: Envelope[];
  /** PutRecordBatch HTTP requests received, SDK retries included. */
  readonly requests: () => number;
  /** Fails one entry with the returned error code (undefined accepts it). `call` counts requests from 1. */
  failEntry: (envelope: Envelope, call: number) => string | undefined;
  /** Fails a whole request with a 503 ServiceUnavailableException. */
  failCall: (call: number) => boolean;
  stop(): Promise<void>;
}

const TARGET = 'Firehose_20150804.PutRecordBatch';

export async function startFirehoseCaptureServer(): Promise<FirehoseCaptureServer> {
  let calls = 0;
  const capture: Omit<FirehoseCaptureServer, 'endpoint' | 'stop'> = {
    accepted: [],
    requests: () => calls,
    failEntry: () => undefined,
    failCall: () => false,
  };

  const answer = (res: ServerResponse, status: number, body: unknown): void => {
    const text = JSON.stringify(body);
    res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1', 'content-length': Buffer.byteLength(text) });
    res.end(text);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    if (req.headers['x-amz-target'] !== TARGET) {
      answer(res, 400, { __type: 'UnknownOperationException', message: `${String(req.headers['x-amz-target'])}` });
      return;
    }
    const call = ++calls;
    if (capture.failCall(call)) {
      answer(res, 503, { __type: 'ServiceUnavailableException', message: 'Slow down.' });
      return;
    }
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { Records?: Array<{ Data: string }> };
    const responses = (body.Records ?? []).map((record, i) => {
      const envelope = JSON.parse(Buffer.from(record.Data, 'base64').toString('utf8')) as Envelope;
      const errorCode = capture.failEntry(envelope, call);
      if (errorCode) return { ErrorCode: errorCode, ErrorMessage: 'injected by the test' };
      capture.accepted.push(envelope);
      return { RecordId: `${call}-${i}` };
    });
    answer(res, 200, {
      FailedPutCount: responses.filter((r) => 'ErrorCode' in r).length,
      Encrypted: false,
      RequestResponses: responses,
    });
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => answer(res, 500, { __type: 'InternalFailure', message: String(error) }));
  });
  const local = await listenOnLoopback('firehose-capture', server);
  return Object.assign(capture, { endpoint: local.endpoint, stop: local.stop });
}
