import { prepareRecord, type PreparedRecord } from '../../lambda/emulator/parse-event';
import { InvalidEventError } from '../../lambda/shared/errors';
import { readSource, type CtrSource, type MalformedPiece, type ReadSourceOptions } from '../ctr-sources/read-ctrs';

/** Records per emulator event: what one PutRecords request takes, so an event is at most one request. */
export const RECORDS_PER_EVENT = 500;

/**
 * JSON bytes per emulator event. A synchronous invocation's payload is at most 6 MB; 5 MiB of records leaves room
 * for the array around them.
 */
export const EVENT_BYTES = 5 * 1024 * 1024;

export type EmulatorEventItem =
  | {
      readonly kind: 'event';
      /** The sources its records come from, in order. */
      readonly sources: readonly string[];
      readonly records: readonly Record<string, unknown>[];
    }
  | { readonly kind: 'malformed'; readonly piece: MalformedPiece };

/**
 * The records of the sources as emulator events (arrays of CTRs, each within RECORDS_PER_EVENT and EVENT_BYTES; one
 * event may span sources, since an export is often many small objects), read with the streaming reader. A record the
 * emulator would refuse (not an object, no usable ContactId, over 1 MiB) is reported as a malformed piece with its
 * position instead of failing its whole event; everything else is the emulator's and the checker's to judge.
 */
export async function* emulatorEvents(
  sources: readonly CtrSource[],
  options: ReadSourceOptions = {},
): AsyncGenerator<EmulatorEventItem> {
  let records: Record<string, unknown>[] = [];
  let from: string[] = [];
  let bytes = 0;
  for (const source of sources) {
    for await (const item of readSource(source, options)) {
      if (item.kind === 'malformed') {
        yield { kind: 'malformed', piece: { source: item.source, position: item.position, reason: item.reason } };
        continue;
      }
      const prepared = prepareOrRefuse(item.value);
      if (prepared.reason !== undefined) {
        yield { kind: 'malformed', piece: { source: item.source, position: item.position, reason: prepared.reason } };
        continue;
      }
      const size = prepared.record.data.byteLength;
      if (records.length === RECORDS_PER_EVENT || bytes + size > EVENT_BYTES) {
        yield { kind: 'event', sources: from, records };
        records = [];
        from = [];
        bytes = 0;
      }
      records.push(item.value);
      if (from.at(-1) !== source.name) from.push(source.name);
      bytes += size;
    }
  }
  if (records.length > 0) yield { kind: 'event', sources: from, records };
}

/**
 * The record as the emulator would put it on the stream (its own check and serialisation, prepareRecord), or why
 * Kinesis could not take it.
 */
export function prepareOrRefuse(record: unknown): { record: PreparedRecord; reason?: never } | { reason: string } {
  try {
    return { record: prepareRecord(record, 0) };
  } catch (error) {
    if (!(error instanceof InvalidEventError)) throw error;
    // The message names the record's index in an event, which means nothing here: its position says where it is.
    const reason = error.message.replace(/^record \d+ \((ContactId [^)]*)\): /, '$1: ').replace(/^record \d+: /, '');
    return { reason };
  }
}
