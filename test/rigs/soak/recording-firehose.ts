import { once } from 'node:events';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Envelope } from '../../../lambda/shared/envelope';

/** A Firehose endpoint that only stores what PutRecordBatch sends: enough to count deliveries exactly. */
export interface RecordingFirehose {
  readonly endpoint: string;
  /** Every envelope stored, in arrival order. */
  readonly envelopes: Envelope[];
  stop(): Promise<void>;
}

export interface RecordingFirehoseOptions {
  /** The first this-many requests are stored at once but answered only after `slowAnswerMs`. @default 0 */
  readonly slowAnswers?: number;
  readonly slowAnswerMs?: number;
}

export async function startRecordingFirehose(options: RecordingFirehoseOptions = {}): Promise<RecordingFirehose> {
  const envelopes: Envelope[] = [];
  let requests = 0;
  const server = createServer((req, res) => {
    requests += 1;
    const delayMs = requests <= (options.slowAnswers ?? 0) ? (options.slowAnswerMs ?? 0) : 0;
    void readJson(req).then(async (body) => {
      const records = (body as { Records?: Array<{ Data: string }> }).Records ?? [];
      for (const record of records) {
        envelopes.push(JSON.parse(Buffer.from(record.Data, 'base64').toString('utf8')) as Envelope);
      }
      const answer = JSON.stringify({
        FailedPutCount: 0,
        Encrypted: false,
        RequestResponses: records.map((_, i) => ({ RecordId: `record-${envelopes.length}-${i}` })),
      });
      await sleep(delayMs);
      if (res.destroyed) return;
      res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1', 'content-length': Buffer.byteLength(answer) });
      res.end(answer);
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    envelopes,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString('utf8'));
}
