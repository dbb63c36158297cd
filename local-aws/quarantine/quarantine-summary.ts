import { readSource, type CtrSource, type Position } from '../ctr-sources/read-ctrs';
import { originalDigest, type QuarantinedRecord } from './quarantined-record';

/** Where a quarantined record came from: the samples file and position that held it, or else its error object. */
export interface QuarantineSource {
  readonly source: string;
  readonly position: Position;
  readonly contactId?: string;
}

export interface QuarantineReasonCount {
  readonly reason: string;
  readonly count: number;
  /** The first few records quarantined for this reason. */
  readonly sources: readonly QuarantineSource[];
  /** The checker's or transform's detail for the first of them (never the record's content). */
  readonly detail: string;
}

export interface QuarantineSummary {
  readonly records: number;
  /** Most frequent reason first. */
  readonly byReason: readonly QuarantineReasonCount[];
}

/** Sources listed per reason. */
export const SOURCES_PER_REASON = 3;

/**
 * Counts quarantined records by reason. With the samples that were sent, each counted record is traced back to the
 * file and position it came from: the samples are read again (a second pass, constant memory) and a record whose
 * JSON as the emulator serialises it has the same bytes as a quarantined record's original is that record.
 */
export async function summarizeQuarantine(
  records: readonly QuarantinedRecord[],
  samples: readonly CtrSource[] = [],
): Promise<QuarantineSummary> {
  const groups = new Map<string, { records: QuarantinedRecord[] }>();
  for (const record of records) {
    const group = groups.get(record.reason) ?? { records: [] };
    group.records.push(record);
    groups.set(record.reason, group);
  }
  const shown = [...groups.values()].flatMap((group) => group.records.slice(0, SOURCES_PER_REASON));
  const found = await locate(new Set(shown.map((record) => originalDigest(record.original))), samples);
  const byReason = [...groups.entries()]
    .map(([reason, group]) => ({
      reason,
      count: group.records.length,
      detail: group.records[0]!.detail,
      sources: group.records.slice(0, SOURCES_PER_REASON).map((record): QuarantineSource => {
        const origin = found.get(originalDigest(record.original)) ?? {
          source: record.object,
          position: record.position,
        };
        return { ...origin, ...(record.contactId !== undefined ? { contactId: record.contactId } : {}) };
      }),
    }))
    .sort((a, b) => b.count - a.count || (a.reason < b.reason ? -1 : 1));
  return { records: records.length, byReason };
}

async function locate(
  digests: ReadonlySet<string>,
  samples: readonly CtrSource[],
): Promise<Map<string, { source: string; position: Position }>> {
  const found = new Map<string, { source: string; position: Position }>();
  if (digests.size === 0) return found;
  for (const sample of samples) {
    for await (const item of readSource(sample)) {
      if (item.kind !== 'record') continue;
      const digest = originalDigest(Buffer.from(JSON.stringify(item.value), 'utf8'));
      if (digests.has(digest) && !found.has(digest))
        found.set(digest, { source: item.source, position: item.position });
      if (found.size === digests.size) return found;
    }
  }
  return found;
}
