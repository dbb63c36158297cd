import type { KinesisClient } from '@aws-sdk/client-kinesis';
import { mapWithConcurrency } from '../../lambda/checker/concurrency';
import { decodeRecord } from '../../lambda/checker/decode-record';
import type { DedupStore } from '../../lambda/checker/ports';
import { compareSequenceNumbers, eventIdOf } from '../../lambda/checker/sequence-number';
import { KinesisRecordPublisher } from '../../lambda/emulator/adapters/kinesis-publisher';
import { sendCtrs, type SendOptions } from '../../lambda/emulator/send-ctrs';
import { isTransientAwsError, retryWithBackoff } from '../../lambda/shared/backoff';
import type { DedupKeyStrategy } from '../../lambda/shared/fingerprint';
import type { FailureMessage, FailureQueue } from './failure-queue';
import { parseOnFailureMessage, streamNameOf, type KinesisBatchInfo } from './on-failure-message';
import { readRange, type RangeRecord } from './stream-range';

/**
 * The redrive: brings the records Lambda gave up (the on-failure messages' stream ranges) back through the checker.
 * Per message: read the range from the stream while it is still retained; release the dedup claims the given-up
 * records still hold themselves (their eventIDs, `shardId:sequenceNumber`, only where not marked delivered), so
 * their replays are not refused by their own claims; put the records back on the stream with their partition keys;
 * delete the message. What the stream no longer holds is reported as lost, with its count. Used by `npm run
 * redrive` on a deployment's queue and by the soak on a local lake's on-failure directory.
 *
 * What it does to dedup: a replayed record is a new Kinesis record (new eventID) carrying the same CTR. A given-up
 * record whose CTR is in Firehose (marked delivered) keeps its claim, so its replay is a stored duplicate; one that
 * was not delivered, or delivered by an invocation that crashed before marking it, has its claim released, and its
 * replay is delivered: once, or a second time in that crash case (docs/CONTRACTS.md, duplicates).
 */
export interface RedriveOptions {
  readonly queue: FailureQueue;
  readonly kinesis: KinesisClient;
  /** The dedup table's release (DynamoDbDedupStore). */
  readonly claims: Pick<DedupStore, 'release'>;
  /** The checker's key strategy: which key each record's claim is under. */
  readonly keyStrategy: DedupKeyStrategy;
  /** Read and count only: no release, no put, no delete. */
  readonly dryRun?: boolean;
  /** The re-put's retries (PutRecords within its limits, refused entries resent with backoff). */
  readonly send?: SendOptions;
  /** Called after each message, for progress. */
  readonly onRange?: (range: RangeReport) => void;
}

export type RangeStatus =
  /** Every record of the range is back on the stream; the message is deleted. */
  | 'redriven'
  /** What the stream still held is back on it, the rest is lost; the message is deleted. */
  | 'partly-lost'
  /** The stream no longer holds any of it; the message is deleted. */
  | 'lost'
  /** Something failed on the way (the stream, the table, the put): the message is kept for another run. */
  | 'failed'
  /** Not a Kinesis on-failure message: kept, for a person to look at. */
  | 'unreadable'
  /** --dry-run: counted only; the message is kept. */
  | 'dry-run';

export interface RangeReport {
  readonly messageId: string;
  readonly status: RangeStatus;
  readonly streamName?: string;
  readonly shardId?: string;
  readonly startSequenceNumber?: string;
  readonly endSequenceNumber?: string;
  /** Records in the range, as the message says (undefined when it does not). */
  readonly records?: number;
  /** Records the stream still holds. */
  readonly found: number;
  /** Records put back on the stream (dry run: that would be). */
  readonly reput: number;
  /** Claims of the given-up records released (dry run: CTR records whose claim would be tried). */
  readonly released: number;
  /** Records of the range the stream no longer holds, or 'unknown' when the message does not say its size. */
  readonly lost: number | 'unknown';
  readonly deleted: boolean;
  /** What went wrong, for `failed`, `unreadable` and `lost`. */
  readonly problem?: string;
}

export interface RedriveReport {
  readonly queue: string;
  readonly dryRun: boolean;
  readonly ranges: readonly RangeReport[];
  readonly totals: {
    readonly messages: number;
    readonly reput: number;
    readonly released: number;
    /** Records lost for good (ranges whose size is unknown not included: see lostUnknownRanges). */
    readonly lost: number;
    readonly lostUnknownRanges: number;
    /** Messages kept in the queue (failed, unreadable, dry run). */
    readonly kept: number;
  };
}

export async function redrive(options: RedriveOptions): Promise<RedriveReport> {
  const ranges: RangeReport[] = [];
  try {
    for (let page = await options.queue.next(); page.length > 0; page = await options.queue.next()) {
      for (const message of page) {
        const range = await redriveMessage(message, options);
        ranges.push(range);
        options.onRange?.(range);
      }
    }
  } finally {
    await options.queue.close();
  }
  const sum = (pick: (range: RangeReport) => number): number => ranges.reduce((total, r) => total + pick(r), 0);
  return {
    queue: options.queue.description,
    dryRun: options.dryRun ?? false,
    ranges,
    totals: {
      messages: ranges.length,
      reput: sum((r) => (r.status === 'dry-run' ? 0 : r.reput)),
      released: sum((r) => (r.status === 'dry-run' ? 0 : r.released)),
      lost: sum((r) => (typeof r.lost === 'number' ? r.lost : 0)),
      lostUnknownRanges: ranges.filter((r) => r.lost === 'unknown').length,
      kept: ranges.filter((r) => !r.deleted).length,
    },
  };
}

async function redriveMessage(message: FailureMessage, options: RedriveOptions): Promise<RangeReport> {
  const { queue, dryRun } = options;
  let info: KinesisBatchInfo;
  let streamName: string;
  try {
    info = parseOnFailureMessage(message.body);
    streamName = streamNameOf(info.streamArn);
  } catch (error) {
    await queue.keep(message);
    return {
      ...EMPTY,
      messageId: message.id,
      status: 'unreadable',
      lost: 'unknown',
      deleted: false,
      problem: messageOf(error),
    };
  }
  const base = {
    ...EMPTY,
    messageId: message.id,
    streamName,
    shardId: info.shardId,
    startSequenceNumber: info.startSequenceNumber,
    endSequenceNumber: info.endSequenceNumber,
    ...(info.batchSize === undefined ? {} : { records: info.batchSize }),
  };
  const kept = async (report: Omit<RangeReport, 'deleted'>): Promise<RangeReport> => {
    await queue.keep(message);
    return { ...report, deleted: false };
  };

  let read;
  try {
    read = await readRange(options.kinesis, streamName, info.shardId, info.startSequenceNumber, info.endSequenceNumber);
  } catch (error) {
    return kept({ ...base, status: 'failed', lost: 0, problem: `reading the range failed: ${messageOf(error)}` });
  }
  if (read.kind === 'gone') {
    const gone = {
      ...base,
      status: 'lost' as const,
      lost: info.batchSize ?? ('unknown' as const),
      problem: read.reason,
    };
    return dryRun ? kept({ ...gone, status: 'dry-run' }) : done(message, gone, queue);
  }

  const records = read.records;
  const lost = lostCount(info, records);
  const claims = claimsOf(records, info.shardId, options.keyStrategy);
  if (dryRun) {
    return kept({
      ...base,
      status: 'dry-run',
      found: records.length,
      reput: records.length,
      released: claims.length,
      lost,
    });
  }

  let released = 0;
  try {
    const results = await mapWithConcurrency(claims, RELEASE_CONCURRENCY, ({ key, eventId }) =>
      releaseWithRetries(options.claims, key, eventId, options.send),
    );
    released = results.filter(Boolean).length;
  } catch (error) {
    return kept({
      ...base,
      status: 'failed',
      found: records.length,
      released,
      lost,
      problem: `releasing claims failed: ${messageOf(error)}`,
    });
  }

  const sent = await sendCtrs(
    records.map((record, index) => ({ index, contactId: record.partitionKey, data: record.data })),
    new KinesisRecordPublisher(options.kinesis, streamName),
    options.send,
  );
  const counted = { ...base, found: records.length, reput: sent.sent, released, lost };
  if (sent.failed > 0) {
    const first = sent.failures[0];
    return kept({
      ...counted,
      status: 'failed',
      problem: `${sent.failed} of ${records.length} records not put back (${first?.errorCode ?? ''}: ${first?.errorMessage ?? ''})`,
    });
  }
  const status = lost === 0 ? 'redriven' : records.length > 0 ? 'partly-lost' : 'lost';
  return done(message, { ...counted, status, ...(lost === 0 ? {} : { problem: lostProblem(lost) }) }, queue);
}

/** Releases in flight at once: a range of 10,000 records is released in seconds, within a table's burst. */
const RELEASE_CONCURRENCY = 8;
/** Calls per release, the first included: a big redrive may be throttled, and a client's retry quota run out. */
const RELEASE_ATTEMPTS = 6;

/**
 * One release, retried with jittered backoff while it fails for a transient reason (throttling, 5xx, a timeout),
 * beyond the SDK's own retries: one throttled key must not send a whole range back to the queue.
 */
async function releaseWithRetries(
  claims: Pick<DedupStore, 'release'>,
  key: string,
  eventId: string,
  backoff: SendOptions = {},
): Promise<boolean> {
  const { value } = await retryWithBackoff(
    () => claims.release(key, eventId),
    () => true,
    {
      ...(backoff.sleep ? { sleep: backoff.sleep } : {}),
      ...(backoff.baseMs === undefined ? {} : { baseMs: backoff.baseMs }),
      ...(backoff.maxMs === undefined ? {} : { maxMs: backoff.maxMs }),
      maxAttempts: RELEASE_ATTEMPTS,
      isRetryableError: (error) => isTransientAwsError(error instanceof Error ? (error.cause ?? error) : error),
    },
  );
  return value;
}

/** Deletes a message whose range is dealt with; a failed delete is reported, not thrown (the range is re-put). */
async function done(
  message: FailureMessage,
  report: Omit<RangeReport, 'deleted'>,
  queue: FailureQueue,
): Promise<RangeReport> {
  try {
    await queue.remove(message);
    return { ...report, deleted: true };
  } catch (error) {
    return {
      ...report,
      deleted: false,
      problem: `${report.problem ? `${report.problem}; ` : ''}the message could not be deleted: ${messageOf(error)}`,
    };
  }
}

/** The claims the range's CTR records may still hold: each under its own eventID. */
function claimsOf(
  records: readonly RangeRecord[],
  shardId: string,
  keyStrategy: DedupKeyStrategy,
): Array<{ key: string; eventId: string }> {
  return records.flatMap((record) => {
    const eventId = eventIdOf({ shardId, sequenceNumber: record.sequenceNumber });
    const decoded = decodeRecord(
      { eventId, sequenceNumber: record.sequenceNumber, data: Buffer.from(record.data).toString('base64') },
      keyStrategy,
    );
    // Quarantined records hold no claim: the checker never claims what it cannot store.
    return decoded.kind === 'ctr' ? [{ key: decoded.key, eventId }] : [];
  });
}

/** Records of the range the stream no longer has: by the message's count, else by whether its ends are missing. */
function lostCount(info: KinesisBatchInfo, records: readonly RangeRecord[]): number | 'unknown' {
  if (info.batchSize !== undefined) return Math.max(0, info.batchSize - records.length);
  const [first, last] = [records[0], records[records.length - 1]];
  const whole =
    first !== undefined &&
    last !== undefined &&
    compareSequenceNumbers(first.sequenceNumber, info.startSequenceNumber) === 0 &&
    compareSequenceNumbers(last.sequenceNumber, info.endSequenceNumber) === 0;
  return whole ? 0 : 'unknown';
}

function lostProblem(lost: number | 'unknown'): string {
  return lost === 'unknown'
    ? 'records of this range are LOST: the stream no longer holds them (past its retention)'
    : `${lost} record${lost === 1 ? '' : 's'} LOST: the stream no longer holds ${lost === 1 ? 'it' : 'them'} (past its retention)`;
}

const EMPTY = { found: 0, reput: 0, released: 0 } as const;

function messageOf(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? ` (cause: ${error.cause.name}: ${error.cause.message})` : '';
  return `${error.name}: ${error.message}${cause}`;
}
