import { types } from 'node:util';
import { assertCtr, isIsoTimestamp, partitionOf, type Ctr } from '../shared/ctr';
import type { AcceptedEnvelope } from '../shared/envelope';
import { InvalidRecordError } from '../shared/errors';
import { contentFingerprint, contentFingerprintAtAnyDepth } from '../shared/fingerprint';
import {
  DEFAULT_PROJECTION_START_YEAR,
  projectedYears,
  toRowTimestamp,
  type LakeRow,
  type PartitionKeys,
  type ProjectedYears,
} from '../shared/row-schema';

/** The partition decision lives with the CTR's validation (lambda/shared/ctr.ts), shared with the checker. */
export { partitionOf };
import { jsonText } from './json-text';

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
 * assertCtr, which includes an InitiationTimestamp with no year/month/day partition, or one whose year Athena's
 * partition projection does not cover: `projected`, see partitionOf) throws InvalidRecordError.
 *
 * Nothing here recurses over the CTR's content: it may be nested as deep as its size allows (the checker accepts
 * about 500,000 levels in 1 MiB) and must still become a row.
 */
export function toLakeRow(
  envelope: AcceptedEnvelope,
  projected: ProjectedYears = projectedYears(DEFAULT_PROJECTION_START_YEAR, new Date()),
): LakeRowWithPartition {
  let parsed: unknown;
  try {
    parsed = JSON.parse(envelope.raw);
  } catch (cause) {
    throw new InvalidRecordError('INVALID_JSON', `raw CTR of ${envelope.raw.length} characters is not valid JSON`, {
      cause,
    });
  }
  assertCtr(parsed);
  if (fingerprintOf(parsed) !== envelope.fingerprint) {
    throw new InvalidRecordError('INVALID_ENVELOPE', 'envelope fingerprint does not match its raw CTR');
  }
  return { row: rowOf(parsed, envelope), partitionKeys: partitionOf(parsed.InitiationTimestamp, projected) };
}

function rowOf(ctr: Ctr, envelope: AcceptedEnvelope): LakeRow {
  const queue = objectOrEmpty(ctr.Queue);
  const agent = objectOrEmpty(ctr.Agent);
  const personal = personalColumnsOf(ctr);
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
    customer_endpoint: personal.customer_endpoint,
    system_endpoint: personal.system_endpoint,
    previous_contact_id: text(ctr.PreviousContactId),
    next_contact_id: text(ctr.NextContactId),
    initial_contact_id: text(ctr.InitialContactId),
    instance_arn: text(ctr.InstanceARN),
    aws_account_id: text(ctr.AWSAccountId),
    attributes: personal.attributes,
    raw_ctr: envelope.raw,
    pii_key_version: null, // set when pseudonymising (pii/protect-row.ts)
  };
}

/**
 * The columns that can hold personal data, projected from a CTR. The PII protection (pii/protect-row.ts) projects
 * them again from the protected raw CTR, so they are defined once, here.
 */
export function personalColumnsOf(ctr: Ctr): Pick<LakeRow, 'customer_endpoint' | 'system_endpoint' | 'attributes'> {
  return {
    customer_endpoint: text(objectOrEmpty(ctr.CustomerEndpoint).Address),
    system_endpoint: text(objectOrEmpty(ctr.SystemEndpoint).Address),
    attributes: stringMap(ctr.Attributes),
  };
}

/**
 * The fingerprint the checker computed. Its fast path recurses, so a CTR nested near the checker's call-stack limit
 * can overflow here, where the stack is used differently: the iterative path then gives the same value.
 */
function fingerprintOf(ctr: Ctr): string {
  try {
    return contentFingerprint(ctr);
  } catch (error) {
    if (!isRangeError(error)) throw noCanonicalForm(error);
  }
  try {
    return contentFingerprintAtAnyDepth(ctr);
  } catch (error) {
    throw noCanonicalForm(error);
  }
}

/** An Error from this realm or another (Node's own, under a test runner's VM context). */
function isError(value: unknown): value is Error {
  return value instanceof Error || types.isNativeError(value);
}

/** What a stack overflow throws. */
function isRangeError(error: unknown): boolean {
  return isError(error) && error.name === 'RangeError';
}

function noCanonicalForm(cause: unknown): InvalidRecordError {
  // The canonicaliser's messages name the problem (a lone surrogate, say), never the content.
  const why = isError(cause) ? cause.message : String(cause);
  return new InvalidRecordError('INVALID_FIELD', `raw CTR has no RFC 8785 canonical form: ${why}`, { cause });
}

function objectOrEmpty(value: unknown): Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

function text(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

const FOUR_DIGIT_YEAR = /^\d{4}-/;

/** A timestamp column; null outside years 0000-9999 in UTC too, whose row form no SerDe reads as a timestamp. */
function timestamp(value: unknown): string | null {
  const row = isIsoTimestamp(value) ? toRowTimestamp(value) : null;
  return row !== null && FOUR_DIGIT_YEAR.test(row) ? row : null;
}

/** Int columns are 32-bit: anything else (a fraction, a string, a huge number) is left to raw_ctr. */
function integer(value: unknown): number | null {
  return typeof value === 'number' && Number.isInteger(value) && Math.abs(value) <= 2 ** 31 - 1 ? value : null;
}

/**
 * Attributes as the map<string,string> column: strings kept, anything else as its JSON text, written without
 * recursion (json-text.ts) since a value may be nested deeper than JSON.stringify can go. Object.fromEntries defines
 * every key as an own property, so an attribute named `__proto__` is kept, not swallowed by the prototype setter.
 */
function stringMap(value: unknown): Record<string, string> {
  return Object.fromEntries(
    Object.entries(objectOrEmpty(value)).map(([key, v]) => [key, typeof v === 'string' ? v : jsonText(v)]),
  );
}
