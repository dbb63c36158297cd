import type { Envelope } from '../../lambda/shared/envelope';
import type { InterceptedAnswer, InterceptedRequest, ProxyInterceptor } from '../faults/fault-proxy';

/**
 * Every CTR copy Firehose stored, as the proxy in front of it saw them, and why some fingerprints were stored more
 * than once. The checker is at-least-once by design in one way only: the SAME Kinesis record (same eventID) can be
 * delivered again when the invocation that delivered it crashed, when Firehose applied a delivery whose answer the
 * client never got (a timeout), or when the failure path could not mark it delivered. Two DIFFERENT records with the
 * same content must never both be stored: that is the dedup's promise, broken only if the checker released the
 * claim of content already stored.
 */
export interface DuplicateExplanation {
  /** CTR copies Firehose stored, per fingerprint. */
  readonly storedCopies: ReadonlyMap<string, number>;
  /** Extra copies of a record that was already stored (same sequence number): the at-least-once edge. */
  readonly sameRecordRedeliveries: number;
  /** Of the copies stored, those stored by invocations that then crashed: each may be stored again. */
  readonly deliveredBeforeCrash: number;
  /** Of the copies stored, those stored in an attempt the client saw fail: each is likely stored again. */
  readonly ambiguousDeliveries: number;
  /** Extra copies from other records with the same content, per fingerprint: the dedup let them through. */
  readonly crossRecordCopies: ReadonlyMap<string, number>;
  /**
   * Fingerprints whose claim was given up after the content was stored: released (the checker's failure path, the
   * redrive) or taken over by another record (a stale claim its holder never marked delivered).
   */
  readonly released: ReadonlySet<string>;
}

export interface DeliveryLedgerOptions {
  /** Whether an invocation crashed (CrashInjector.isDead). */
  readonly isDead: (invocation: string) => boolean;
  /** @default PutRecordBatch */
  readonly deliveryOperation?: string;
  /** The dedup store's release call. @default DeleteItem */
  readonly releaseOperation?: string;
  /** The dedup store's claim call. @default PutItem */
  readonly claimOperation?: string;
}

interface StoredCopy {
  readonly fingerprint: string;
  readonly sequenceNumber: string;
}

/**
 * Observes the traffic of the checker's two services through the fault proxies, and its Firehose client's failed
 * attempts, to explain every raw-file duplicate by what actually happened.
 */
export class DeliveryLedger {
  /** For the Firehose proxy: records every delivery attempt sent, and every applied one. */
  readonly deliveryObserver: ProxyInterceptor;
  /** For the DynamoDB proxy: records every applied release of a claim. */
  readonly dedupStoreObserver: ProxyInterceptor;

  /** fingerprint → sequence number → copies stored. */
  private readonly copies = new Map<string, Map<string, number>>();
  private readonly byInvocation = new Map<string, number>();
  private readonly byAttempt = new Map<string, number>();
  private readonly failedAttempts = new Set<string>();
  private readonly released = new Set<string>();
  /** Fingerprints some delivery attempt carried, whether or not Firehose has applied (or will apply) it. */
  private readonly sent = new Set<string>();

  constructor(private readonly options: DeliveryLedgerOptions) {
    const deliveryOperation = options.deliveryOperation ?? 'PutRecordBatch';
    const releaseOperation = options.releaseOperation ?? 'DeleteItem';
    const claimOperation = options.claimOperation ?? 'PutItem';
    this.deliveryObserver = {
      before: (request) => {
        if (request.operation === deliveryOperation)
          for (const copy of ctrCopies(request)) this.sent.add(copy.fingerprint);
        return 'pass';
      },
      after: (request, answer) => {
        if (request.operation === deliveryOperation) this.recordDelivery(request, answer);
        return 'pass';
      },
    };
    this.dedupStoreObserver = {
      after: (request, answer) => {
        if (request.operation === releaseOperation && answer.status === 200) this.recordRelease(request);
        if (request.operation === claimOperation && answer.status === 200) this.recordTakeOver(request, answer);
        return 'pass';
      },
    };
  }

  /** The checker's Firehose client reports each HTTP attempt that failed on its side (sdk-clients.ts). */
  attemptFailed(attemptId: string): void {
    this.failedAttempts.add(attemptId);
  }

  explain(): DuplicateExplanation {
    const storedCopies = new Map<string, number>();
    const crossRecordCopies = new Map<string, number>();
    let sameRecordRedeliveries = 0;
    for (const [fingerprint, bySequence] of this.copies) {
      let total = 0;
      for (const count of bySequence.values()) {
        total += count;
        sameRecordRedeliveries += count - 1;
      }
      storedCopies.set(fingerprint, total);
      if (bySequence.size > 1) crossRecordCopies.set(fingerprint, bySequence.size - 1);
    }
    const sum = (entries: Iterable<[string, number]>, keep: (key: string) => boolean): number =>
      [...entries].reduce((total, [key, n]) => total + (keep(key) ? n : 0), 0);
    return {
      storedCopies,
      sameRecordRedeliveries,
      deliveredBeforeCrash: sum(this.byInvocation, (invocation) => this.options.isDead(invocation)),
      ambiguousDeliveries: sum(this.byAttempt, (attempt) => this.failedAttempts.has(attempt)),
      crossRecordCopies,
      released: new Set(this.released),
    };
  }

  private recordDelivery(request: InterceptedRequest, answer: InterceptedAnswer): void {
    const stored = acceptedCtrCopies(request, answer);
    if (stored.length === 0) return;
    for (const { fingerprint, sequenceNumber } of stored) {
      this.sent.add(fingerprint);
      const bySequence = this.copies.get(fingerprint) ?? new Map<string, number>();
      bySequence.set(sequenceNumber, (bySequence.get(sequenceNumber) ?? 0) + 1);
      this.copies.set(fingerprint, bySequence);
    }
    if (request.invocation !== undefined) {
      this.byInvocation.set(request.invocation, (this.byInvocation.get(request.invocation) ?? 0) + stored.length);
    }
    if (request.attempt !== undefined) this.byAttempt.set(request.attempt, stored.length);
  }

  /** A claim applied over another record's undelivered claim (ReturnValues ALL_OLD) after the content was stored. */
  private recordTakeOver(request: InterceptedRequest, answer: InterceptedAnswer): void {
    type Item = { fingerprint?: { S?: string }; claimedBy?: { S?: string }; deliveredAt?: unknown };
    const claimed = (JSON.parse(request.body.toString('utf8')) as { Item?: Item }).Item;
    const replaced = (JSON.parse(answer.body.toString('utf8') || '{}') as { Attributes?: Item }).Attributes;
    const key = claimed?.fingerprint?.S;
    if (key === undefined || replaced === undefined || replaced.deliveredAt !== undefined) return;
    if (replaced.claimedBy?.S !== claimed?.claimedBy?.S) this.claimReleased(key);
  }

  /**
   * A claim the checker dropped after the content was stored (a release on its failure path, or a take-over), seen by
   * the proxy for DynamoDB and by the client for Valkey.
   */
  claimReleased(key: string): void {
    // Under the `content` key strategy the claim's key is the fingerprint itself. Sent, not only applied: on a loaded
    // machine the checker's Firehose call can time out and its claim be released before Firehose has applied the
    // (still running) delivery, which then stores the content after the release.
    if (this.sent.has(key)) this.released.add(key);
  }

  private recordRelease(request: InterceptedRequest): void {
    const key = (JSON.parse(request.body.toString('utf8')) as { Key?: { fingerprint?: { S?: string } } }).Key
      ?.fingerprint?.S;
    if (key !== undefined) this.claimReleased(key);
  }
}

/** The CTR envelopes of an applied PutRecordBatch that Firehose accepted. */
function acceptedCtrCopies(request: InterceptedRequest, answer: InterceptedAnswer): StoredCopy[] {
  if (answer.status !== 200) return [];
  const got = JSON.parse(answer.body.toString('utf8')) as { RequestResponses?: Array<{ ErrorCode?: string }> };
  return ctrCopies(request).filter(({ index }) => {
    const entry = got.RequestResponses?.[index];
    return entry !== undefined && !entry.ErrorCode;
  });
}

/** The CTR envelopes a PutRecordBatch carries, with their place in the request. */
function ctrCopies(request: InterceptedRequest): Array<StoredCopy & { readonly index: number }> {
  const sent = JSON.parse(request.body.toString('utf8')) as { Records?: Array<{ Data?: string }> };
  const copies: Array<StoredCopy & { readonly index: number }> = [];
  (sent.Records ?? []).forEach((record, index) => {
    const envelope = JSON.parse(Buffer.from(record.Data ?? '', 'base64').toString('utf8')) as Partial<Envelope>;
    if (envelope.kind === 'ctr' && envelope.fingerprint && envelope.sequenceNumber) {
      copies.push({ fingerprint: envelope.fingerprint, sequenceNumber: envelope.sequenceNumber, index });
    }
  });
  return copies;
}
