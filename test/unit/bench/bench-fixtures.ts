import type { KinesisStreamEvent } from 'aws-lambda';
import type { Ctr } from '../../../lambda/shared/ctr';
import { contentFingerprint } from '../../../lambda/shared/fingerprint';
import { startFirehoseCountingSink, type FirehoseCountingSink } from '../../../local/bench/firehose-counting-sink';
import { startDynalite, type LocalServer } from '../../../local/servers';
import { aChatCtr, aLaterVersion, anAbandonedCtr, aVoiceCtr, kinesisEvent } from '../../support/ctr-factory';

/**
 * A small stream with both kinds of duplicate, for the designs' correctness tests: three batches (three checker
 * invocations), 10 records, 6 distinct CTRs (one of them a later version of another: a different record), 2
 * duplicates inside a batch and 2 across batches.
 */
export interface DuplicatedStream {
  readonly batches: readonly KinesisStreamEvent[];
  readonly uniqueFingerprints: ReadonlySet<string>;
  readonly inputRecords: number;
  readonly inBatchDuplicates: number;
  readonly crossBatchDuplicates: number;
}

export function aDuplicatedStream(): DuplicatedStream {
  const a = aVoiceCtr();
  const b = anAbandonedCtr();
  const c = aChatCtr();
  const d = aVoiceCtr();
  const e = aLaterVersion(a);
  const f = anAbandonedCtr();
  const batchesOfCtrs: Ctr[][] = [
    [a, b, a, c],
    [d, b, e, e],
    [c, f],
  ];
  let firstIndex = 0;
  const batches = batchesOfCtrs.map((ctrs) => {
    const event = kinesisEvent(ctrs, { firstIndex });
    firstIndex += ctrs.length;
    return event;
  });
  return {
    batches,
    uniqueFingerprints: new Set([a, b, c, d, e, f].map((ctr) => contentFingerprint(ctr))),
    inputRecords: 10,
    inBatchDuplicates: 2,
    crossBatchDuplicates: 2,
  };
}

/** dynalite and the counting Firehose sink, started once per test file. */
export async function startBenchServers(): Promise<{
  dynalite: LocalServer;
  sink: FirehoseCountingSink;
  stop(): Promise<void>;
}> {
  const dynalite = await startDynalite();
  const sink = await startFirehoseCountingSink();
  return { dynalite, sink, stop: async () => void (await Promise.all([dynalite.stop(), sink.stop()])) };
}

let tableCounter = 0;
/** A fresh table name per test, so tests never see each other's claims. */
export function aTableName(prefix: string): string {
  tableCounter += 1;
  return `${prefix}-${tableCounter}`;
}
