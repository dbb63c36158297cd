import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { listenOnLoopback, type LocalServer } from '../servers';
import { sendAwsJson } from '../servers/aws-json-response';
import type { DeliveryStream } from './delivery-stream';
import { FirehoseApiError, parsePutRequest, putResponse } from './firehose-protocol';

export interface LocalFirehoseOptions {
  /** The delivery streams this server hosts, by name. */
  readonly streams: ReadonlyMap<string, DeliveryStream>;
  /** Sees every accepted record (after the stream stored it), e.g. to count what the checker delivered. */
  readonly onAccepted?: (streamName: string, records: readonly Buffer[]) => void;
}

/**
 * A local Amazon Data Firehose endpoint on 127.0.0.1: the checker's unchanged FirehoseClient reaches it through
 * AWS_ENDPOINT_URL_FIREHOSE. It answers PutRecordBatch and PutRecord and hands the records to a DeliveryStream.
 */
export function startLocalFirehose(options: LocalFirehoseOptions): Promise<LocalServer> {
  const server = createServer((req, res) => {
    void handle(req, res, options).catch((error: unknown) => {
      sendAwsJson(res, 500, {
        __type: 'InternalFailure',
        message: error instanceof Error ? error.message : String(error),
      });
    });
  });
  return listenOnLoopback('local-firehose', server);
}

async function handle(req: IncomingMessage, res: ServerResponse, options: LocalFirehoseOptions): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  try {
    const target = req.headers['x-amz-target'];
    const request = parsePutRequest(Array.isArray(target) ? target[0] : target, Buffer.concat(chunks).toString('utf8'));
    const stream = options.streams.get(request.deliveryStreamName);
    if (!stream) {
      throw new FirehoseApiError('ResourceNotFoundException', `Firehose ${request.deliveryStreamName} not found.`);
    }
    const ids = stream.put(request.records);
    options.onAccepted?.(request.deliveryStreamName, request.records);
    sendAwsJson(res, 200, putResponse(request.operation, ids));
  } catch (error) {
    if (!(error instanceof FirehoseApiError)) throw error;
    sendAwsJson(res, error.status, { __type: error.type, message: error.message }, error.type);
  }
}
