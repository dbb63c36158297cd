import { createHash } from 'node:crypto';
import { assertCtr } from '../../lambda/shared/ctr';
import { contentFingerprint, dedupKey, type DedupKeyStrategy } from '../../lambda/shared/fingerprint';

/** The run's counts, as the local services observed them. */
export interface OutcomeCounts {
  /** Records read from the stream. */
  readonly in: number;
  /** Records the checker dropped because an earlier record of the same batch had the same dedup key. */
  readonly inBatchDuplicates: number;
  /** Records the checker dropped because the key was already claimed (an earlier batch or an earlier run). */
  readonly storedDuplicates: number;
  /** CTR envelopes the checker put on Firehose. */
  readonly delivered: number;
  /** Quarantine envelopes the checker put on Firehose. */
  readonly quarantinedByChecker: number;
  /** Records the event source gave up on after its retries (sent to the on-failure destination). */
  readonly failed: number;
}

interface Seen {
  /** Dedup key as the checker computes it (or a hash of the bytes when they are not a CTR). */
  readonly key: string;
  /** Whether a record with a lower sequence number in the same invocation had the same key. */
  readonly twinEarlierInBatch: boolean;
}

/**
 * Derives the checker's decisions from what the local services saw, without reading the handler's internals:
 * every stream record is either delivered or quarantined (an envelope with its sequence number reached Firehose),
 * abandoned by the event source, or dropped by the checker as a duplicate. A dropped record is an in-batch
 * duplicate when an earlier record of its last invocation had the same dedup key (the checker removes those before
 * claiming), else a stored duplicate (its claim found the key taken).
 */
export class OutcomeTally {
  private readonly seen = new Map<string, Seen>();
  private readonly delivered = new Set<string>();
  private readonly quarantined = new Set<string>();
  private readonly abandoned = new Set<string>();
  private deliveredEnvelopes = 0;

  constructor(private readonly strategy: DedupKeyStrategy) {}

  /** One checker invocation: its records' sequence numbers and data, in batch order. Later invocations win. */
  observeInvocation(records: readonly { readonly sequenceNumber: string; readonly data: Buffer }[]): void {
    const keysSoFar = new Set<string>();
    for (const record of records) {
      const key = this.keyOf(record.data);
      this.seen.set(record.sequenceNumber, { key, twinEarlierInBatch: keysSoFar.has(key) });
      keysSoFar.add(key);
    }
  }

  /** One record accepted by the local Firehose (an Envelope, JSON). */
  observeEnvelope(data: Buffer): void {
    let envelope: { kind?: unknown; sequenceNumber?: unknown };
    try {
      envelope = JSON.parse(data.toString('utf8')) as typeof envelope;
    } catch {
      return; // not an envelope: the transform will fail it, and the lake's error prefix shows it
    }
    if (typeof envelope.sequenceNumber !== 'string') return;
    if (envelope.kind === 'ctr') {
      this.deliveredEnvelopes += 1;
      this.delivered.add(envelope.sequenceNumber);
    } else if (envelope.kind === 'quarantine') {
      this.quarantined.add(envelope.sequenceNumber);
    }
  }

  observeAbandoned(sequenceNumbers: readonly string[]): void {
    for (const sequenceNumber of sequenceNumbers) this.abandoned.add(sequenceNumber);
  }

  /** Records seen so far (for progress). */
  get recordsSeen(): number {
    return this.seen.size;
  }

  counts(): OutcomeCounts {
    let inBatchDuplicates = 0;
    let storedDuplicates = 0;
    for (const [sequenceNumber, seen] of this.seen) {
      if (this.delivered.has(sequenceNumber) || this.quarantined.has(sequenceNumber)) continue;
      if (this.abandoned.has(sequenceNumber)) continue;
      if (seen.twinEarlierInBatch) inBatchDuplicates += 1;
      else storedDuplicates += 1;
    }
    return {
      in: this.seen.size,
      inBatchDuplicates,
      storedDuplicates,
      delivered: this.deliveredEnvelopes,
      quarantinedByChecker: this.quarantined.size,
      failed: [...this.abandoned].filter((s) => !this.delivered.has(s) && !this.quarantined.has(s)).length,
    };
  }

  private keyOf(data: Buffer): string {
    try {
      const ctr: unknown = JSON.parse(data.toString('utf8'));
      assertCtr(ctr);
      return dedupKey(ctr, contentFingerprint(ctr), this.strategy);
    } catch {
      return `bytes:${createHash('sha256').update(data).digest('hex')}`;
    }
  }
}
