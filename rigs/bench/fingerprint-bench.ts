import { createHash } from 'node:crypto';
import { decodeRecord } from '../../lambda/checker/decode-record';
import type { StreamRecord } from '../../lambda/checker/ports';
import { assertCtr } from '../../lambda/shared/ctr';
import { contentFingerprintOfJson } from '../../lambda/shared/fingerprint';
import { median, nowMs } from './stats';

export interface FingerprintFigures {
  /**
   * Microseconds per record: UTF-8 decode, JSON.parse, CTR validation, the RFC 8785 canonical form (a check that the
   * text already is it, on the fast path, or a serialisation), SHA-256.
   */
  readonly usPerRecord: number;
  /** The floor any checker pays: UTF-8 decode, JSON.parse and SHA-256 of the raw bytes. */
  readonly floorUsPerRecord: number;
  readonly ratio: number;
  /** The checker's whole per-record decode (decode-record.ts), base64 and the envelope's size check included. */
  readonly decodeUsPerRecord: number;
  readonly records: number;
  readonly rounds: number;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** What the checker computes per CTR to know its fingerprint (decode-record.ts, steps up to the fingerprint). */
function ourFingerprint(bytes: Uint8Array): string {
  const text = utf8.decode(bytes);
  const parsed: unknown = JSON.parse(text);
  assertCtr(parsed);
  return contentFingerprintOfJson(bytes, text, parsed);
}

/** The least a checker can do: it must parse the record to know it is a CTR, and hash something. */
function floorFingerprint(bytes: Uint8Array): string {
  JSON.parse(utf8.decode(bytes));
  return createHash('sha256').update(bytes).digest('hex');
}

/**
 * Times one pass over every record and returns microseconds per record. The fingerprints are folded into a
 * checksum that is returned, so the engine cannot drop the work as dead code.
 */
function pass<T>(items: readonly T[], work: (item: T) => string): { us: number; sink: number } {
  let sink = 0;
  const start = nowMs();
  for (const item of items) sink += work(item).charCodeAt(0);
  return { us: ((nowMs() - start) * 1000) / items.length, sink };
}

/**
 * Fingerprint CPU over a realistic CTR mix. The designs alternate round by round, so that a slow spell of the
 * shared machine hits all of them alike; one warm-up round first lets the JIT compile every path.
 */
export function measureFingerprintCpu(ctrs: readonly Uint8Array[], rounds = 7): FingerprintFigures {
  if (ctrs.length === 0) throw new RangeError('no CTRs to fingerprint');
  const streamRecords: StreamRecord[] = ctrs.map((bytes, i) => ({
    eventId: `shardId-000000000000:${i}`,
    sequenceNumber: String(i),
    data: Buffer.from(bytes).toString('base64'),
  }));
  const decode = (record: StreamRecord): string => {
    const decoded = decodeRecord(record, 'content');
    return decoded.kind === 'ctr' ? decoded.fingerprint : decoded.reason;
  };

  const ours: number[] = [];
  const floor: number[] = [];
  const decodes: number[] = [];
  let checksum = 0;
  for (let round = 0; round <= rounds; round++) {
    const a = pass(ctrs, ourFingerprint);
    const b = pass(ctrs, floorFingerprint);
    const c = pass(streamRecords, decode);
    checksum += a.sink + b.sink + c.sink;
    if (round === 0) continue;
    ours.push(a.us);
    floor.push(b.us);
    decodes.push(c.us);
  }
  if (checksum === 0) throw new Error('no fingerprint was computed');
  const usPerRecord = median(ours);
  const floorUsPerRecord = median(floor);
  return {
    usPerRecord,
    floorUsPerRecord,
    ratio: usPerRecord / floorUsPerRecord,
    decodeUsPerRecord: median(decodes),
    records: ctrs.length,
    rounds,
  };
}
