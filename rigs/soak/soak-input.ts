import { isIsoTimestamp } from '../../lambda/shared/ctr';
import type { QuarantineReason } from '../../lambda/shared/errors';
import { contentFingerprint } from '../../lambda/shared/fingerprint';
import type { JsonObject } from '../synthetic/ctr-builder';
import { iterateCtrs } from '../synthetic/ctr-generator';
import { iterateDeliveries, type DeliveryKind } from '../synthetic/delivery-stream';
import { mulberry32 } from '../synthetic/prng';

/** One record the soak puts on the stream. */
export interface SoakRecord {
  readonly data: Buffer;
  /** Kinesis partition key: the ContactId, as Connect uses, except for copies sent to another shard on purpose. */
  readonly partitionKey: string;
  readonly kind: DeliveryKind | 'bad';
  /** Deliveries with the same source carry the same CTR (see delivery-stream.ts); -1 for bad records. */
  readonly sourceIndex: number;
}

/** What the lake must hold for one distinct CTR. */
export interface ExpectedCtr {
  readonly contactId: string;
  /** LastUpdateTimestamp in epoch ms, null when absent or not ISO-8601 (the view sorts those last). */
  readonly lastUpdateMs: number | null;
}

/**
 * The exact expectation, built from the input alone, never from what the pipeline did: every distinct valid CTR by
 * fingerprint (RFC 8785, `contentFingerprint`), and every bad record by its bytes with the reason it must carry.
 */
export interface Expectation {
  readonly ctrs: Map<string, ExpectedCtr>;
  /** base64 of the record's bytes → the quarantine reason the error prefix must show. */
  readonly quarantines: Map<string, QuarantineReason>;
}

export interface SoakInputOptions {
  readonly records: number;
  readonly dupRate: number;
  readonly badRate: number;
  readonly seed: number;
}

/**
 * Share of copies put with another partition key, so they land (by Kinesis's MD5 hash of the key) on another shard
 * than their original: redeliveries across shards, as a re-publishing producer may send them.
 */
const CROSS_SHARD_SHARE = 0.5;

/**
 * Streams the soak's input: `records` records of realistic synthetic CTRs (several versions per contact for some,
 * transfers) with exact redeliveries and key-reordered copies at `dupRate` (inside a batch and across batches, since
 * a copy lands up to 50 originals after its source, and across shards for half of them), interleaved with bad
 * records at `badRate`, each of a known quarantine reason. Fills `expectation` as it goes, so a run of any size
 * never holds the whole input.
 */
export function* iterateSoakInput(options: SoakInputOptions, expectation: Expectation): Generator<SoakRecord> {
  const random = mulberry32(options.seed ^ 0x50a4);
  // Bad records are made from a real CTR, broken on purpose: remember the last one generated.
  let lastOriginal: JsonObject | undefined;
  const remembered = function* (ctrs: Iterable<JsonObject>): Generator<JsonObject> {
    for (const ctr of ctrs) {
      lastOriginal = ctr;
      yield ctr;
    }
  };
  const ctrs = remembered(iterateCtrs({ seed: options.seed, contacts: options.records }));
  const deliveries = iterateDeliveries(ctrs, { seed: options.seed + 1, duplicateRate: options.dupRate });
  let produced = 0;
  let bad = 0;
  for (const delivery of deliveries) {
    if (produced >= options.records) return;
    if (random() < options.badRate && lastOriginal !== undefined) {
      const record = badRecord(lastOriginal, bad++);
      expectation.quarantines.set(record.data.toString('base64'), record.reason);
      yield { data: record.data, partitionKey: `bad-${bad}`, kind: 'bad', sourceIndex: -1 };
      produced += 1;
      if (produced >= options.records) return;
    }
    const ctr = JSON.parse(delivery.text) as JsonObject;
    const fingerprint = contentFingerprint(ctr);
    if (!expectation.ctrs.has(fingerprint)) {
      const last = ctr.LastUpdateTimestamp;
      expectation.ctrs.set(fingerprint, {
        contactId: delivery.contactId,
        lastUpdateMs: isIsoTimestamp(last) ? Date.parse(last) : null,
      });
    }
    const crossShard = delivery.kind !== 'original' && random() < CROSS_SHARD_SHARE;
    yield {
      data: Buffer.from(delivery.text, 'utf8'),
      partitionKey: crossShard ? `${delivery.contactId}/redelivered` : delivery.contactId,
      kind: delivery.kind,
      sourceIndex: delivery.sourceIndex,
    };
    produced += 1;
  }
}

/** The kinds of bad input the soak mixes in, each with the reason the checker must quarantine it for. */
const BAD_KINDS: ReadonlyArray<{ reason: QuarantineReason; make: (ctr: JsonObject, n: number) => Buffer }> = [
  { reason: 'INVALID_JSON', make: (ctr) => Buffer.from(JSON.stringify(ctr).slice(0, 200), 'utf8') },
  { reason: 'NOT_AN_OBJECT', make: (ctr) => Buffer.from(JSON.stringify([ctr]), 'utf8') },
  { reason: 'MISSING_CONTACT_ID', make: (ctr) => json({ ...ctr, ContactId: undefined }) },
  { reason: 'MISSING_CONTACT_ID', make: (ctr, n) => json({ ...ctr, ContactId: n }) },
  { reason: 'INVALID_FIELD', make: (ctr) => json({ ...ctr, InitiationTimestamp: '03/02/2026 09:15' }) },
  { reason: 'INVALID_FIELD', make: (ctr) => json({ ...ctr, InitiationTimestamp: undefined }) },
  {
    reason: 'NOT_UTF8',
    make: (ctr) => Buffer.concat([Buffer.from(JSON.stringify(ctr).slice(0, 100), 'utf8'), Buffer.from([0xff, 0xfe])]),
  },
];

function badRecord(ctr: JsonObject, n: number): { data: Buffer; reason: QuarantineReason } {
  const kind = BAD_KINDS[n % BAD_KINDS.length]!;
  // The counter, first so that even a truncated copy keeps it, makes every bad record's bytes distinct: each one
  // is accounted for on its own.
  return { data: kind.make({ SoakBadRecord: n, ...ctr }, n), reason: kind.reason };
}

function json(value: Record<string, unknown>): Buffer {
  return Buffer.from(JSON.stringify(value), 'utf8');
}

export function emptyExpectation(): Expectation {
  return { ctrs: new Map(), quarantines: new Map() };
}
