import type { Envelope } from '../../lambda/shared/envelope';
import { DedupStoreError } from '../../lambda/shared/errors';
import type {
  CheckerTelemetry,
  ClaimHolder,
  ClaimRequest,
  ClaimResult,
  DedupStore,
  DeliveredClaim,
  DeliveryOutcome,
  DeliveryReport,
  LogFields,
  RecordSink,
} from '../../lambda/checker/ports';

/**
 * In-memory stand-ins for the checker's ports, with the same semantics as the DynamoDB and Firehose adapters, for
 * core tests and the property test. Each can be told to fail, so tests reach every failure path.
 */

interface StoredClaim {
  readonly claimedBy: string;
  readonly expiresAt: number;
  readonly leaseUntil?: number;
  readonly deliveredAt?: string;
}

export type StoreOperation = 'claim' | 'markDelivered' | 'release';

/**
 * A dedup table in memory: the conditions of docs/CONTRACTS.md (lambda/checker/adapters/dynamodb-dedup-store.ts),
 * evaluated atomically per call, with the item met or replaced returned as DynamoDB's ALL_OLD does.
 */
export class InMemoryDedupStore implements DedupStore {
  readonly items = new Map<string, StoredClaim>();
  /** Every call (a mark per key), in order: the request cost the checker paid. */
  readonly calls: Array<{ readonly op: StoreOperation; readonly key: string }> = [];
  /** Makes a call throw (a throttle, say) before it takes effect. */
  failWhen: (op: StoreOperation, key: string) => boolean = () => false;
  /** Makes a claim throw AFTER it took effect: DynamoDB applied it, the answer was lost. */
  loseAnswerWhen: (key: string) => boolean = () => false;

  async claim(request: ClaimRequest): Promise<ClaimResult> {
    this.record('claim', request.key);
    const now = Math.floor(request.now.getTime() / 1000);
    const item = this.items.get(request.key);
    const free =
      item === undefined ||
      item.expiresAt < now ||
      (item.deliveredAt === undefined &&
        (item.claimedBy === request.eventId ||
          (item.leaseUntil !== undefined && item.leaseUntil < request.now.getTime()) ||
          item.claimedBy === request.takeOverFrom));
    if (!free) return { outcome: 'held', holder: holderOf(item) };
    this.items.set(request.key, {
      claimedBy: request.eventId,
      expiresAt: request.expiresAt,
      leaseUntil: request.leaseUntil,
    });
    if (this.loseAnswerWhen(request.key)) {
      throw new DedupStoreError(`claim of ${request.key} failed`, { cause: new Error('TimeoutError') });
    }
    const replaced = holderOf(item);
    return replaced === undefined ? { outcome: 'owned' } : { outcome: 'owned', replaced };
  }

  async markDelivered(claims: readonly DeliveredClaim[], now: Date): Promise<readonly string[]> {
    const failed: string[] = [];
    for (const claim of claims) {
      try {
        this.record('markDelivered', claim.key);
      } catch {
        failed.push(claim.key);
        continue;
      }
      this.items.set(claim.key, {
        claimedBy: claim.eventId,
        expiresAt: claim.expiresAt,
        leaseUntil: claim.leaseUntil,
        deliveredAt: now.toISOString(),
      });
    }
    return failed;
  }

  async release(key: string, eventId: string): Promise<boolean> {
    this.record('release', key);
    const item = this.items.get(key);
    if (item?.claimedBy !== eventId || item.deliveredAt !== undefined) return false;
    this.items.delete(key);
    return true;
  }

  private record(op: StoreOperation, key: string): void {
    this.calls.push({ op, key });
    if (this.failWhen(op, key)) {
      throw new DedupStoreError(`${op} of ${key} failed`, {
        cause: new Error('ProvisionedThroughputExceededException'),
      });
    }
  }
}

function holderOf(item: StoredClaim | undefined): ClaimHolder | undefined {
  if (item === undefined) return undefined;
  return {
    claimedBy: item.claimedBy,
    expiresAt: item.expiresAt,
    ...(item.leaseUntil === undefined ? {} : { leaseUntil: item.leaseUntil }),
    delivered: item.deliveredAt !== undefined,
  };
}

/**
 * A Firehose stand-in: keeps what it accepted, refuses the envelopes `failWhen` picks (a throttle: not stored), and
 * stores but reports as failed those `ambiguousWhen` picks (a call that timed out after Firehose stored it).
 */
export class InMemorySink implements RecordSink {
  readonly delivered: Envelope[] = [];
  readonly calls: Array<readonly Envelope[]> = [];
  failWhen: (envelope: Envelope) => boolean = () => false;
  ambiguousWhen: (envelope: Envelope) => boolean = () => false;
  /** Awaited at the start of every call: a slow Firehose, held until the test lets it answer. */
  before: () => Promise<void> = async () => undefined;

  async deliver(records: readonly Envelope[]): Promise<DeliveryReport> {
    this.calls.push(records);
    await this.before();
    const outcomes = records.map((envelope): DeliveryOutcome => {
      if (this.failWhen(envelope)) return { delivered: false, reason: 'ServiceUnavailableException: injected' };
      if (this.ambiguousWhen(envelope)) {
        this.delivered.push(envelope);
        return { delivered: false, reason: 'TimeoutError: injected after the record was stored' };
      }
      this.delivered.push(envelope);
      return { delivered: true };
    });
    return { outcomes, retries: 0 };
  }
}

/** Telemetry that remembers metric totals and log lines, so tests can assert on them. */
export class RecordingTelemetry implements CheckerTelemetry {
  readonly metrics = new Map<string, number>();
  readonly logs: Array<{ readonly level: string; readonly message: string; readonly fields: LogFields }> = [];

  count(metric: string, value: number): void {
    this.metrics.set(metric, (this.metrics.get(metric) ?? 0) + value);
  }

  log(level: 'debug' | 'info' | 'warn' | 'error', message: string, fields: LogFields = {}): void {
    this.logs.push({ level, message, fields });
  }

  metric(name: string): number {
    return this.metrics.get(name) ?? 0;
  }
}

/** The fingerprints (or quarantine reasons) of what a sink received, in order. */
export function fingerprintsOf(envelopes: readonly Envelope[]): string[] {
  return envelopes.map((e) => (e.kind === 'ctr' ? e.fingerprint : `quarantine:${e.reason}`));
}

export interface EventSourceMappingRun<T = unknown> {
  readonly invocations: number;
  /** Batch sizes in invocation order. */
  readonly batches: readonly number[];
  /** Records given up after `maxRetryAttempts` (what Lambda sends to the on-failure destination). */
  readonly givenUp: readonly T[];
}

interface MappingOptions<T> {
  readonly batchSize: number | ((invocation: number) => number);
  readonly sequenceNumberOf: (record: T) => string;
  readonly invoke: (
    batch: readonly T[],
    shard: number,
  ) => Promise<{ batchItemFailures: ReadonlyArray<{ itemIdentifier: string }> }>;
  /**
   * Retries of a failing batch before its records from the failure point on are given up, like the mapping's
   * MaximumRetryAttempts (the count restarts when a partial failure moves the checkpoint). @default never given up
   */
  readonly maxRetryAttempts?: number;
  readonly maxInvocations?: number;
}

/**
 * Lambda's Kinesis event source mapping with ReportBatchItemFailures, for one shard: hand out batches of up to
 * `batchSize` records in order; when an invocation reports failures, the next batch starts again at the lowest
 * reported sequence number; when it throws (a crash), the same batch comes again. `maxInvocations` bounds a run that
 * would never finish.
 */
export function runLikeEventSourceMapping<T>(
  records: readonly T[],
  options: MappingOptions<T>,
): Promise<EventSourceMappingRun<T>> {
  return runShardsLikeEventSourceMapping([records], options);
}

/**
 * The same over several shards: one batch per shard at a time, the shards taking turns (one invocation each per
 * round), so that a shard's invocations interleave with the others' as concurrent shards' do.
 */
export async function runShardsLikeEventSourceMapping<T>(
  shards: ReadonlyArray<readonly T[]>,
  options: MappingOptions<T>,
): Promise<EventSourceMappingRun<T>> {
  const maxInvocations = options.maxInvocations ?? 10_000;
  const maxRetries = options.maxRetryAttempts ?? Number.POSITIVE_INFINITY;
  const batches: number[] = [];
  const givenUp: T[] = [];
  const position = shards.map(() => 0);
  const retries = shards.map(() => 0);
  while (shards.some((records, shard) => (position[shard] ?? 0) < records.length)) {
    for (const [shard, records] of shards.entries()) {
      const at = position[shard] ?? 0;
      if (at >= records.length) continue;
      if (batches.length >= maxInvocations) throw new Error(`no progress after ${maxInvocations} invocations`);
      const size = typeof options.batchSize === 'number' ? options.batchSize : options.batchSize(batches.length);
      const batch = records.slice(at, at + Math.max(1, size));
      batches.push(batch.length);
      let failures: ReadonlyArray<{ itemIdentifier: string }> | 'crashed';
      try {
        failures = (await options.invoke(batch, shard)).batchItemFailures;
      } catch {
        failures = 'crashed';
      }
      if (failures !== 'crashed' && failures.length === 0) {
        position[shard] = at + batch.length;
        retries[shard] = 0;
        continue;
      }
      const failedFrom = failures === 'crashed' ? 0 : indexOfLowest(batch, failures, options.sequenceNumberOf);
      position[shard] = at + failedFrom;
      retries[shard] = failedFrom > 0 ? 1 : (retries[shard] ?? 0) + 1;
      if ((retries[shard] ?? 0) > maxRetries) {
        givenUp.push(...batch.slice(failedFrom));
        position[shard] = at + batch.length;
        retries[shard] = 0;
      }
    }
  }
  return { invocations: batches.length, batches, givenUp };
}

function indexOfLowest<T>(
  batch: readonly T[],
  failures: ReadonlyArray<{ itemIdentifier: string }>,
  sequenceNumberOf: (record: T) => string,
): number {
  const lowest = failures
    .map((f) => BigInt(f.itemIdentifier))
    .reduce((a, b) => (a < b ? a : b))
    .toString();
  const index = batch.findIndex((record) => sequenceNumberOf(record) === lowest);
  if (index < 0) throw new Error(`reported failure ${lowest} is not in the batch`);
  return index;
}
