import type { Envelope } from '../../lambda/shared/envelope';
import { DedupStoreError } from '../../lambda/shared/errors';
import type {
  CheckerTelemetry,
  ClaimOutcome,
  ClaimRequest,
  DedupStore,
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
  readonly deliveredAt?: string;
}

/** A dedup table in memory: the claim condition of docs/CONTRACTS.md, evaluated atomically per call. */
export class InMemoryDedupStore implements DedupStore {
  readonly items = new Map<string, StoredClaim>();
  /** Every call, in order: the request cost the checker paid. */
  readonly calls: Array<{ readonly op: 'claim' | 'markDelivered' | 'release'; readonly key: string }> = [];
  /** Makes a call throw (a throttle, say) before it takes effect. */
  failWhen: (op: 'claim' | 'markDelivered' | 'release', key: string) => boolean = () => false;

  async claim(request: ClaimRequest): Promise<ClaimOutcome> {
    this.record('claim', request.key);
    const now = Math.floor(request.now.getTime() / 1000);
    const item = this.items.get(request.key);
    const free =
      item === undefined ||
      item.expiresAt < now ||
      (item.claimedBy === request.eventId && item.deliveredAt === undefined);
    if (!free) return 'duplicate';
    this.items.set(request.key, { claimedBy: request.eventId, expiresAt: request.expiresAt });
    return 'owned';
  }

  async markDelivered(key: string, eventId: string, now: Date): Promise<void> {
    this.record('markDelivered', key);
    const item = this.items.get(key);
    if (item?.claimedBy === eventId) this.items.set(key, { ...item, deliveredAt: now.toISOString() });
  }

  async release(key: string, eventId: string): Promise<void> {
    this.record('release', key);
    if (this.items.get(key)?.claimedBy === eventId) this.items.delete(key);
  }

  private record(op: 'claim' | 'markDelivered' | 'release', key: string): void {
    this.calls.push({ op, key });
    if (this.failWhen(op, key)) {
      throw new DedupStoreError(`${op} of ${key} failed`, {
        cause: new Error('ProvisionedThroughputExceededException'),
      });
    }
  }
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

  async deliver(records: readonly Envelope[]): Promise<DeliveryReport> {
    this.calls.push(records);
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

export interface EventSourceMappingRun {
  readonly invocations: number;
  /** Batch sizes in invocation order. */
  readonly batches: readonly number[];
}

/**
 * Lambda's Kinesis event source mapping with ReportBatchItemFailures, for one shard: hand out batches of up to
 * `batchSize` records in order; when an invocation reports failures, the next batch starts again at the lowest
 * reported sequence number; when it throws (a crash), the same batch comes again. `maxInvocations` bounds a run that
 * would never finish.
 */
export async function runLikeEventSourceMapping<T>(
  records: readonly T[],
  options: {
    readonly batchSize: number | ((invocation: number) => number);
    readonly sequenceNumberOf: (record: T) => string;
    readonly invoke: (batch: readonly T[]) => Promise<{ batchItemFailures: ReadonlyArray<{ itemIdentifier: string }> }>;
    readonly maxInvocations?: number;
  },
): Promise<EventSourceMappingRun> {
  const maxInvocations = options.maxInvocations ?? 10_000;
  const batches: number[] = [];
  let position = 0;
  while (position < records.length) {
    if (batches.length >= maxInvocations) throw new Error(`no progress after ${maxInvocations} invocations`);
    const size = typeof options.batchSize === 'number' ? options.batchSize : options.batchSize(batches.length);
    const batch = records.slice(position, position + Math.max(1, size));
    batches.push(batch.length);
    let failures: ReadonlyArray<{ itemIdentifier: string }>;
    try {
      failures = (await options.invoke(batch)).batchItemFailures;
    } catch {
      continue;
    }
    if (failures.length === 0) {
      position += batch.length;
      continue;
    }
    const lowest = failures
      .map((f) => BigInt(f.itemIdentifier))
      .reduce((a, b) => (a < b ? a : b))
      .toString();
    const index = batch.findIndex((record) => options.sequenceNumberOf(record) === lowest);
    if (index < 0) throw new Error(`reported failure ${lowest} is not in the batch`);
    position += index;
  }
  return { invocations: batches.length, batches };
}
