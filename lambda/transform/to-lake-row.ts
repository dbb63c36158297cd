import { assertCtr, isIsoTimestamp, type Ctr } from '../shared/ctr';
import type { AcceptedEnvelope } from '../shared/envelope';
import { InvalidRecordError } from '../shared/errors';
import { contentFingerprint } from '../shared/fingerprint';
import { toRowTimestamp, type LakeRow, type PartitionKeys } from '../shared/row-schema';

export interface LakeRowWithPartition {
  readonly row: LakeRow;
  readonly partitionKeys: PartitionKeys;
}

/**
 * Maps an accepted envelope to the lake's row (row-schema.ts) and its partition. The envelope's `raw` text is the
 * source of truth: it is parsed and validated again (a second line of defence behind the checker), its fingerprint
 * must match the envelope's, and it is stored unchanged in `raw_ctr`.
 *
 * Scalar columns are best effort: a nested field of the wrong type (say a string Queue.Duration) becomes null
 * rather than failing the record, since the full CTR is kept in raw_ctr. Only what makes a CTR unusable (see
 * assertCtr) throws InvalidRecordError.
 */
export function toLakeRow(envelope: AcceptedEnvelope): LakeRowWithPartition {
  let parsed: unknown;
  try {
    parsed = JSON.parse(envelope.raw);
  } catch (cause) {
    throw new InvalidRecordError('INVALID_JSON', `raw CTR of ${envelope.raw.length} characters is not valid JSON`, {
      cause,
    });
  }
  assertCtr(parsed);
  let fingerprint: string;
  try {
    fingerprint = contentFingerprint(parsed);
  } catch (cause) {
    throw new InvalidRecordError('INVALID_FIELD', 'raw CTR has no RFC 8785 canonical form', { cause });
  }
  if (fingerprint !== envelope.fingerprint) {
    throw new InvalidRecordError('INVALID_ENVELOPE', 'envelope fingerprint does not match its raw CTR');
  }
  return { row: rowOf(parsed, envelope), partitionKeys: partitionOf(parsed.InitiationTimestamp) };
}

function rowOf(ctr: Ctr, envelope: AcceptedEnvelope): LakeRow {
  const queue = objectOrEmpty(ctr.Queue);
  const agent = objectOrEmpty(ctr.Agent);
  // Keys in ROW_COLUMNS order, so rows read naturally; the row type makes a missing or extra column a compile error.
  return {
    contact_id: ctr.ContactId,
    fingerprint: envelope.fingerprint,
    channel: text(ctr.Channel),
    initiation_method: text(ctr.InitiationMethod),
    initiation_timestamp: timestamp(ctr.InitiationTimestamp),
    connected_to_system_timestamp: timestamp(ctr.ConnectedToSystemTimestamp),
    disconnect_timestamp: timestamp(ctr.DisconnectTimestamp),
    last_update_timestamp: timestamp(ctr.LastUpdateTimestamp),
    disconnect_reason: text(ctr.DisconnectReason),
    queue_name: text(queue.Name),
    queue_arn: text(queue.ARN),
    queue_duration: integer(queue.Duration),
    queue_enqueue_timestamp: timestamp(queue.EnqueueTimestamp),
    queue_dequeue_timestamp: timestamp(queue.DequeueTimestamp),
    agent_username: text(agent.Username),
    agent_arn: text(agent.ARN),
    agent_connected_timestamp: timestamp(agent.ConnectedToAgentTimestamp),
    agent_interaction_duration: integer(agent.AgentInteractionDuration),
    agent_customer_hold_duration: integer(agent.CustomerHoldDuration),
    agent_after_contact_work_duration: integer(agent.AfterContactWorkDuration),
    agent_number_of_holds: integer(agent.NumberOfHolds),
    customer_endpoint: text(objectOrEmpty(ctr.CustomerEndpoint).Address),
    system_endpoint: text(objectOrEmpty(ctr.SystemEndpoint).Address),
    previous_contact_id: text(ctr.PreviousContactId),
    next_contact_id: text(ctr.NextContactId),
    initial_contact_id: text(ctr.InitialContactId),
    instance_arn: text(ctr.InstanceARN),
    aws_account_id: text(ctr.AWSAccountId),
    attributes: stringMap(ctr.Attributes),
    raw_ctr: envelope.raw,
  };
}

/** year/month/day of the contact's InitiationTimestamp in UTC, zero-padded: the lake's Hive partition. */
export function partitionOf(initiationTimestamp: string): PartitionKeys {
  const iso = new Date(Date.parse(initiationTimestamp)).toISOString();
  return { year: iso.slice(0, 4), month: iso.slice(5, 7), day: iso.slice(8, 10) };
}

function objectOrEmpty(value: unknown): Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

function text(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

function timestamp(value: unknown): string | null {
  return isIsoTimestamp(value) ? toRowTimestamp(value) : null;
}

/** Int columns are 32-bit: anything else (a fraction, a string, a huge number) is left to raw_ctr. */
function integer(value: unknown): number | null {
  return typeof value === 'number' && Number.isInteger(value) && Math.abs(value) <= 2 ** 31 - 1 ? value : null;
}

/** Attributes as the map<string,string> column: strings kept, anything else as its JSON text. */
function stringMap(value: unknown): Record<string, string> {
  const map: Record<string, string> = {};
  for (const [key, v] of Object.entries(objectOrEmpty(value))) map[key] = typeof v === 'string' ? v : JSON.stringify(v);
  return map;
}
