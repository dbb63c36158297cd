import type { RecordSink } from '../../lambda/checker/ports';
import type { RecordPublisher } from '../../lambda/emulator/record-publisher';
import { MAX_RECORDS_PER_REQUEST, sendCtrs, type SendOptions } from '../../lambda/emulator/send-ctrs';
import type { AcceptedEnvelope } from '../../lambda/shared/envelope';
import type { DedupKeyStrategy } from '../../lambda/shared/fingerprint';
import { contentFingerprint } from '../../lambda/shared/fingerprint';
import { prepareOrRefuse } from '../../local-aws/pipeline/emulator-events';
import { judgeRedrive, type QuarantinedRecord } from '../../local-aws/quarantine/quarantined-record';
import { lakeDayOf, type LakeFingerprints } from '../backfill/lake-fingerprints';

/** Where redriven records go: the stream (through the emulator's publisher) and the delivery stream. */
export interface RedriveTargets {
  readonly stream: RecordPublisher;
  /** The checker's own Firehose sink (PutRecordBatch within limits, refused entries retried). */
  readonly firehose: RecordSink;
  readonly lake: LakeFingerprints;
  readonly strategy: DedupKeyStrategy;
  readonly sendOptions?: SendOptions;
}

/** A quarantined record with its number in the listing (1 = the oldest), as `--show N` takes it. */
export interface NumberedRecord {
  readonly number: number;
  readonly record: QuarantinedRecord;
}

export interface RedriveEntry {
  readonly number: number;
  readonly object: string;
  readonly reason: string;
  readonly contactId: string | null;
  readonly why: string;
}

export interface RedriveReport {
  /** Sent back on the stream: the checker quarantined them and accepts them now. */
  readonly toStream: readonly RedriveEntry[];
  /** Put back on the delivery stream: the checker had accepted them; the transform failed or refused them. */
  readonly toFirehose: readonly RedriveEntry[];
  /** Not sent: the lake holds their CTR already (redriven before, or arrived again since). */
  readonly alreadyInLake: readonly RedriveEntry[];
  /** Left where they are, with the reason they would fail again. */
  readonly left: readonly RedriveEntry[];
  /** Sent, but the stream or delivery stream refused them after every retry. */
  readonly failed: readonly RedriveEntry[];
}

type Route =
  | { kind: 'stream'; entry: RedriveEntry; data: Uint8Array; contactId: string }
  | { kind: 'firehose'; entry: RedriveEntry; envelope: AcceptedEnvelope };

/**
 * Sends back the quarantined records worth sending (judgeRedrive: transient failures, and reasons the code of today
 * no longer has), each by the way that can still deliver it, after checking the lake does not hold its CTR already;
 * reports what it left and why. Records are sent in requests of at most 500, as they are read.
 */
export async function redriveQuarantine(
  records: AsyncIterable<NumberedRecord>,
  targets: RedriveTargets,
): Promise<RedriveReport> {
  const report = { toStream: [], toFirehose: [], alreadyInLake: [], left: [], failed: [] } as {
    [K in keyof RedriveReport]: RedriveEntry[];
  };
  let pending: Route[] = [];
  const flush = async (): Promise<void> => {
    const batch = pending;
    pending = [];
    await sendStream(
      batch.filter((r) => r.kind === 'stream'),
      targets,
      report,
    );
    await sendFirehose(
      batch.filter((r) => r.kind === 'firehose'),
      targets,
      report,
    );
  };
  for await (const { number, record } of records) {
    const verdict = judgeRedrive(record, targets.strategy);
    const entry = {
      number,
      object: record.object,
      reason: record.reason,
      contactId: record.contactId ?? null,
      why: verdict.why,
    };
    if (verdict.action === 'leave') {
      report.left.push(entry);
      continue;
    }
    const ctr = JSON.parse(record.original.toString('utf8')) as Record<string, unknown>;
    const day = lakeDayOf(ctr);
    if (day && (await targets.lake.holds(day, contentFingerprint(ctr)))) {
      report.alreadyInLake.push(entry);
      continue;
    }
    if (verdict.action === 'firehose') {
      pending.push({ kind: 'firehose', entry, envelope: record.envelope as AcceptedEnvelope });
    } else {
      const prepared = prepareOrRefuse(ctr);
      if (prepared.reason !== undefined) {
        report.left.push({ ...entry, why: `the stream cannot take it: ${prepared.reason}` });
        continue;
      }
      // The original bytes, not a re-serialisation: they are what the checker judged and will judge again.
      pending.push({ kind: 'stream', entry, data: record.original, contactId: prepared.record.contactId });
    }
    if (pending.length === MAX_RECORDS_PER_REQUEST) await flush();
  }
  await flush();
  return report;
}

async function sendStream(
  routes: readonly Route[],
  targets: RedriveTargets,
  report: { toStream: RedriveEntry[]; failed: RedriveEntry[] },
): Promise<void> {
  const stream = routes.filter((r): r is Extract<Route, { kind: 'stream' }> => r.kind === 'stream');
  if (stream.length === 0) return;
  const result = await sendCtrs(
    stream.map((route, index) => ({ index, contactId: route.contactId, data: route.data })),
    targets.stream,
    targets.sendOptions,
  );
  const failed = new Map(result.failures.map((failure) => [failure.index, failure]));
  stream.forEach((route, index) => {
    const failure = failed.get(index);
    if (failure) report.failed.push({ ...route.entry, why: `the stream refused it: ${failure.errorCode}` });
    else report.toStream.push(route.entry);
  });
}

async function sendFirehose(
  routes: readonly Route[],
  targets: RedriveTargets,
  report: { toFirehose: RedriveEntry[]; failed: RedriveEntry[] },
): Promise<void> {
  const firehose = routes.filter((r): r is Extract<Route, { kind: 'firehose' }> => r.kind === 'firehose');
  if (firehose.length === 0) return;
  const result = await targets.firehose.deliver(firehose.map((route) => route.envelope));
  firehose.forEach((route, index) => {
    const outcome = result.outcomes[index];
    if (outcome?.delivered) report.toFirehose.push(route.entry);
    else
      report.failed.push({ ...route.entry, why: `the delivery stream refused it: ${outcome?.reason ?? 'no answer'}` });
  });
}
