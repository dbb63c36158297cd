import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import { keepIdleConnections } from './keep-alive';
import { listenOnLoopback, type LocalServer } from '../../local-aws/servers';

/**
 * A minimal Firehose endpoint for the checker runs: it answers PutRecord and PutRecordBatch (AWS JSON 1.1, as the
 * real FirehoseClient speaks it), accepts every record, and remembers what each delivery stream received. The
 * checker bench uses it instead of the local Firehose so that only the checker is measured: the local Firehose
 * runs the transform and writes Parquet on the same two cores.
 */
export interface DeliveredStream {
  /** Envelope fingerprints of accepted CTRs, with how many times each arrived. */
  readonly fingerprints: Map<string, number>;
  quarantined: number;
  records: number;
  requests: number;
}

export interface FirehoseCountingSink extends LocalServer {
  /** What a delivery stream received so far (an empty entry for a stream that received nothing). */
  stream(name: string): DeliveredStream;
}

const TARGET_PREFIX = 'Firehose_20150804.';

interface PutRequestBody {
  readonly DeliveryStreamName?: string;
  readonly Record?: { readonly Data?: string };
  readonly Records?: ReadonlyArray<{ readonly Data?: string }>;
}

export async function startFirehoseCountingSink(): Promise<FirehoseCountingSink> {
  const streams = new Map<string, DeliveredStream>();
  const stream = (name: string): DeliveredStream => {
    let entry = streams.get(name);
    if (!entry) {
      entry = { fingerprints: new Map(), quarantined: 0, records: 0, requests: 0 };
      streams.set(name, entry);
    }
    return entry;
  };
  const accept = (entry: DeliveredStream, data: string | undefined): void => {
    entry.records++;
    const envelope = JSON.parse(Buffer.from(data ?? '', 'base64').toString('utf8')) as {
      kind?: string;
      fingerprint?: string;
    };
    if (envelope.kind === 'ctr' && typeof envelope.fingerprint === 'string') {
      entry.fingerprints.set(envelope.fingerprint, (entry.fingerprints.get(envelope.fingerprint) ?? 0) + 1);
    } else {
      entry.quarantined++;
    }
  };

  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const operation = String(request.headers['x-amz-target'] ?? '').replace(TARGET_PREFIX, '');
      let body: unknown;
      try {
        const input = JSON.parse(Buffer.concat(chunks).toString('utf8')) as PutRequestBody;
        const entry = stream(input.DeliveryStreamName ?? '');
        entry.requests++;
        if (operation === 'PutRecordBatch') {
          const records = input.Records ?? [];
          for (const record of records) accept(entry, record.Data);
          body = {
            FailedPutCount: 0,
            Encrypted: false,
            RequestResponses: records.map(() => ({ RecordId: randomUUID() })),
          };
        } else if (operation === 'PutRecord') {
          accept(entry, input.Record?.Data);
          body = { RecordId: randomUUID(), Encrypted: false };
        } else {
          reply(response, 400, { __type: 'InvalidArgumentException', message: `unsupported operation ${operation}` });
          return;
        }
      } catch (error) {
        reply(response, 400, { __type: 'InvalidArgumentException', message: `unreadable request: ${String(error)}` });
        return;
      }
      reply(response, 200, body);
    });
  });
  keepIdleConnections(server);
  const local = await listenOnLoopback('firehose-counting-sink', server);
  return { ...local, stream };
}

function reply(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/x-amz-json-1.1',
    'content-length': Buffer.byteLength(text),
  });
  response.end(text);
}
