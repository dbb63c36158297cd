/**
 * What Lambda sends to a Kinesis event source mapping's on-failure destination when it gives records up: the
 * batch's coordinates on the stream, not its data (`KinesisBatchInfo`), inside the invocation record. The local event
 * source writes the same shape under `<lake>/on-failure/kinesis/` (local-aws/pipeline/on-failure.ts).
 */
export interface KinesisBatchInfo {
  readonly shardId: string;
  readonly startSequenceNumber: string;
  readonly endSequenceNumber: string;
  readonly streamArn: string;
  /** Records in the range, when the message says (Lambda's does). */
  readonly batchSize?: number;
  readonly approximateArrivalOfFirstRecord?: string;
  readonly approximateArrivalOfLastRecord?: string;
}

/** A message that is not a Kinesis on-failure record, with what is wrong. */
export class OnFailureMessageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OnFailureMessageError';
  }
}

const SEQUENCE_NUMBER = /^\d{1,128}$/;

/** Reads a message body; throws OnFailureMessageError naming the first thing missing. */
export function parseOnFailureMessage(body: string): KinesisBatchInfo {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    throw new OnFailureMessageError(`not JSON (${body.length} characters)`);
  }
  const info = (parsed as { KinesisBatchInfo?: unknown } | null)?.KinesisBatchInfo;
  if (typeof info !== 'object' || info === null) {
    throw new OnFailureMessageError('no KinesisBatchInfo: not a Kinesis on-failure record');
  }
  const field = (name: string): string => {
    const value = (info as Record<string, unknown>)[name];
    if (typeof value !== 'string' || value.length === 0) {
      throw new OnFailureMessageError(`KinesisBatchInfo.${name} is missing`);
    }
    return value;
  };
  const [shardId, start, end, streamArn] = [
    field('shardId'),
    field('startSequenceNumber'),
    field('endSequenceNumber'),
    field('streamArn'),
  ];
  if (!SEQUENCE_NUMBER.test(start) || !SEQUENCE_NUMBER.test(end) || BigInt(start) > BigInt(end)) {
    throw new OnFailureMessageError(`KinesisBatchInfo holds no sequence range (${start} to ${end})`);
  }
  streamNameOf(streamArn);
  const optional = info as { batchSize?: unknown; approximateArrivalOfFirstRecord?: unknown };
  const last = (info as { approximateArrivalOfLastRecord?: unknown }).approximateArrivalOfLastRecord;
  return {
    shardId,
    startSequenceNumber: start,
    endSequenceNumber: end,
    streamArn,
    ...(Number.isInteger(optional.batchSize) ? { batchSize: optional.batchSize as number } : {}),
    ...(typeof optional.approximateArrivalOfFirstRecord === 'string'
      ? { approximateArrivalOfFirstRecord: optional.approximateArrivalOfFirstRecord }
      : {}),
    ...(typeof last === 'string' ? { approximateArrivalOfLastRecord: last } : {}),
  };
}

/** The stream name of a Kinesis stream ARN (`arn:aws:kinesis:REGION:ACCOUNT:stream/NAME`). */
export function streamNameOf(streamArn: string): string {
  const match = /^arn:[^:]+:kinesis:[^:]*:[^:]*:stream\/(.+)$/.exec(streamArn);
  if (!match?.[1]) throw new OnFailureMessageError(`streamArn ${streamArn} is not a Kinesis stream ARN`);
  return match[1];
}
