import type { PartitionKeys } from '../../lambda/shared/row-schema';
import { partitionOf } from '../../lambda/transform/to-lake-row';
import { LakeWriter } from '../../local-aws/lake/lake-writer';

/**
 * A local lake written row by row, each row in the UTC partition the transform would put it in: for tests of the
 * named queries, the query command and the report.
 */
export interface Contact {
  readonly id: string;
  /** InitiationTimestamp, ISO-8601 UTC. */
  readonly at: string;
  readonly initial?: string;
  readonly channel?: string;
  readonly queued?: boolean;
  readonly answered?: boolean;
  /** Talk time of an answered contact, seconds. */
  readonly talkSeconds?: number;
  /** @default `f-<id>`: give two rows one fingerprint to store a duplicate. */
  readonly fingerprint?: string;
}

const rowTime = (iso: string): string => new Date(iso).toISOString().replace('T', ' ').replace('Z', '');

function rowOf(contact: Contact): string {
  return JSON.stringify({
    contact_id: contact.id,
    fingerprint: contact.fingerprint ?? `f-${contact.id}`,
    channel: contact.channel ?? 'VOICE',
    initiation_timestamp: rowTime(contact.at),
    last_update_timestamp: rowTime(contact.at),
    initial_contact_id: contact.initial ?? null,
    queue_name: contact.queued ? 'Support' : null,
    queue_enqueue_timestamp: contact.queued ? rowTime(contact.at) : null,
    agent_connected_timestamp: contact.answered ? rowTime(contact.at) : null,
    agent_interaction_duration: contact.talkSeconds ?? null,
  });
}

export async function writeLake(lake: string, contacts: readonly Contact[]): Promise<void> {
  const writer = new LakeWriter({ lakeDir: lake, format: 'parquet', streamName: 'lake' });
  const byPartition = new Map<string, { keys: PartitionKeys; rows: string[] }>();
  for (const contact of contacts) {
    const keys = partitionOf(contact.at);
    const key = `${keys.year}-${keys.month}-${keys.day}`;
    const entry = byPartition.get(key) ?? { keys, rows: [] };
    entry.rows.push(rowOf(contact));
    byPartition.set(key, entry);
  }
  for (const { keys, rows } of byPartition.values()) {
    await writer.writeRows(keys, [Buffer.from(`${rows.join('\n')}\n`)], new Date());
  }
  await writer.close();
}
