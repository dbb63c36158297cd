/**
 * The slice of the Firehose API (JSON 1.1, `X-Amz-Target: Firehose_20150804.<Operation>`) that the checker uses,
 * with the service's documented limits so that a checker bug which AWS would refuse is refused locally too.
 */
export const TARGET_PREFIX = 'Firehose_20150804.';
export const MAX_BATCH_RECORDS = 500;
export const MAX_BATCH_BYTES = 4 * 1024 * 1024;
export const MAX_RECORD_BYTES = 1000 * 1024;

export class FirehoseApiError extends Error {
  constructor(
    readonly type:
      'ResourceNotFoundException' | 'InvalidArgumentException' | 'UnknownOperationException' | 'SerializationException',
    message: string,
    readonly status = 400,
  ) {
    super(message);
    this.name = type;
  }
}

/** A parsed put request: the delivery stream and the records' bytes. */
export interface PutRequest {
  readonly operation: 'PutRecord' | 'PutRecordBatch';
  readonly deliveryStreamName: string;
  readonly records: readonly Buffer[];
}

export function parsePutRequest(target: string | undefined, body: string): PutRequest {
  const operation = target?.startsWith(TARGET_PREFIX) ? target.slice(TARGET_PREFIX.length) : target;
  if (operation !== 'PutRecord' && operation !== 'PutRecordBatch') {
    throw new FirehoseApiError(
      'UnknownOperationException',
      `the local Firehose does not implement ${operation ?? 'this request'}`,
    );
  }
  let input: { DeliveryStreamName?: unknown; Record?: { Data?: unknown }; Records?: { Data?: unknown }[] };
  try {
    input = JSON.parse(body) as typeof input;
  } catch {
    throw new FirehoseApiError('SerializationException', 'the request body is not JSON');
  }
  if (typeof input.DeliveryStreamName !== 'string') {
    throw new FirehoseApiError('InvalidArgumentException', 'DeliveryStreamName is required');
  }
  const entries = operation === 'PutRecord' ? [input.Record] : input.Records;
  if (!Array.isArray(entries) || entries.length === 0) {
    throw new FirehoseApiError('InvalidArgumentException', `${operation} needs at least one record`);
  }
  if (entries.length > MAX_BATCH_RECORDS) {
    throw new FirehoseApiError(
      'InvalidArgumentException',
      `${entries.length} records exceed the limit of ${MAX_BATCH_RECORDS}`,
    );
  }
  const records = entries.map((entry, index) => {
    if (typeof entry?.Data !== 'string') {
      throw new FirehoseApiError('InvalidArgumentException', `record ${index} has no Data`);
    }
    const data = Buffer.from(entry.Data, 'base64');
    if (data.length > MAX_RECORD_BYTES) {
      throw new FirehoseApiError(
        'InvalidArgumentException',
        `record ${index} is ${data.length} bytes, over ${MAX_RECORD_BYTES}`,
      );
    }
    return data;
  });
  const total = records.reduce((sum, data) => sum + data.length, 0);
  if (total > MAX_BATCH_BYTES) {
    throw new FirehoseApiError('InvalidArgumentException', `the batch is ${total} bytes, over ${MAX_BATCH_BYTES}`);
  }
  return { operation, deliveryStreamName: input.DeliveryStreamName, records };
}

export function putResponse(operation: PutRequest['operation'], recordIds: readonly string[]): unknown {
  if (operation === 'PutRecord') return { RecordId: recordIds[0], Encrypted: false };
  return { FailedPutCount: 0, Encrypted: false, RequestResponses: recordIds.map((RecordId) => ({ RecordId })) };
}
