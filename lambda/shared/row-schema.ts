/**
 * The lake's row format, defined once. The transform writes rows with exactly these columns, the Glue table is
 * declared from this list, and the local runner gives DuckDB the same column types: one source of truth.
 *
 * Timestamps are written as `YYYY-MM-DD HH:MM:SS.sss` (UTC), the form that Hive/OpenX JSON SerDes, Firehose's
 * Parquet conversion and DuckDB all parse as a timestamp.
 */
export type ColumnType = 'string' | 'int' | 'bigint' | 'timestamp' | 'map<string,string>';

export interface ColumnDefinition {
  readonly name: string;
  readonly type: ColumnType;
  readonly comment: string;
}

export const ROW_COLUMNS = [
  { name: 'contact_id', type: 'string', comment: 'ContactId' },
  { name: 'fingerprint', type: 'string', comment: 'SHA-256 of the RFC 8785 canonical CTR' },
  { name: 'channel', type: 'string', comment: 'VOICE, CHAT, TASK, EMAIL' },
  { name: 'initiation_method', type: 'string', comment: 'INBOUND, OUTBOUND, TRANSFER, ...' },
  { name: 'initiation_timestamp', type: 'timestamp', comment: 'InitiationTimestamp (UTC)' },
  { name: 'connected_to_system_timestamp', type: 'timestamp', comment: 'ConnectedToSystemTimestamp (UTC)' },
  { name: 'disconnect_timestamp', type: 'timestamp', comment: 'DisconnectTimestamp (UTC)' },
  { name: 'last_update_timestamp', type: 'timestamp', comment: 'LastUpdateTimestamp (UTC): the version key' },
  { name: 'disconnect_reason', type: 'string', comment: 'DisconnectReason' },
  { name: 'queue_name', type: 'string', comment: 'Queue.Name' },
  { name: 'queue_arn', type: 'string', comment: 'Queue.ARN' },
  { name: 'queue_duration', type: 'int', comment: 'Queue.Duration (seconds)' },
  { name: 'queue_enqueue_timestamp', type: 'timestamp', comment: 'Queue.EnqueueTimestamp (UTC)' },
  { name: 'queue_dequeue_timestamp', type: 'timestamp', comment: 'Queue.DequeueTimestamp (UTC)' },
  { name: 'agent_username', type: 'string', comment: 'Agent.Username' },
  { name: 'agent_arn', type: 'string', comment: 'Agent.ARN' },
  { name: 'agent_connected_timestamp', type: 'timestamp', comment: 'Agent.ConnectedToAgentTimestamp (UTC)' },
  { name: 'agent_interaction_duration', type: 'int', comment: 'Agent.AgentInteractionDuration (seconds)' },
  { name: 'agent_customer_hold_duration', type: 'int', comment: 'Agent.CustomerHoldDuration (seconds)' },
  { name: 'agent_after_contact_work_duration', type: 'int', comment: 'Agent.AfterContactWorkDuration (seconds)' },
  { name: 'agent_number_of_holds', type: 'int', comment: 'Agent.NumberOfHolds' },
  {
    name: 'customer_endpoint',
    type: 'string',
    comment: 'CustomerEndpoint.Address: a pseudonym (hmac:...) unless ctrLake:piiMode is keep; null in drop',
  },
  { name: 'system_endpoint', type: 'string', comment: 'SystemEndpoint.Address, as customer_endpoint' },
  { name: 'previous_contact_id', type: 'string', comment: 'PreviousContactId' },
  { name: 'next_contact_id', type: 'string', comment: 'NextContactId' },
  { name: 'initial_contact_id', type: 'string', comment: 'InitialContactId: the first contact of a call' },
  { name: 'instance_arn', type: 'string', comment: 'InstanceARN' },
  { name: 'aws_account_id', type: 'string', comment: 'AWSAccountId' },
  {
    name: 'attributes',
    type: 'map<string,string>',
    comment: 'contact attributes; those named in ctrLake:piiAttributeKeys as customer_endpoint',
  },
  {
    name: 'raw_ctr',
    type: 'string',
    comment: 'the CTR as received, so nothing is lost, with its personal values pseudonymised or dropped',
  },
  {
    name: 'pii_key_version',
    type: 'int',
    comment: 'version of the key the pseudonyms of this row were made with; null unless piiMode is pseudonymise',
  },
] as const satisfies readonly ColumnDefinition[];

/** Partition columns, derived from InitiationTimestamp (UTC) and returned by the transform as partition keys. */
export const PARTITION_KEYS = [
  { name: 'year', type: 'string', comment: 'yyyy of InitiationTimestamp (UTC)' },
  { name: 'month', type: 'string', comment: 'MM of InitiationTimestamp (UTC)' },
  { name: 'day', type: 'string', comment: 'dd of InitiationTimestamp (UTC)' },
] as const satisfies readonly ColumnDefinition[];

/** The first year the `ctr` table's partition projection covers when `ctrLake:projectionStartYear` is not set. */
export const DEFAULT_PROJECTION_START_YEAR = 2017;

/**
 * The `year` partitions Athena reads: the `ctr` table projects `year` from the start year to NOW (the current UTC
 * year, at query time), so a row partitioned outside these years is written but never read.
 */
export interface ProjectedYears {
  readonly first: number;
  readonly last: number;
}

export function projectedYears(startYear: number, now: Date): ProjectedYears {
  return { first: startYear, last: now.getUTCFullYear() };
}

export type ColumnName = (typeof ROW_COLUMNS)[number]['name'];

type ValueOf<T extends ColumnType> = T extends 'string'
  ? string | null
  : T extends 'int' | 'bigint'
    ? number | null
    : T extends 'timestamp'
      ? string | null
      : Record<string, string>;

/** One lake row, typed from ROW_COLUMNS so the row and the table cannot drift apart. */
export type LakeRow = { [C in (typeof ROW_COLUMNS)[number] as C['name']]: ValueOf<C['type']> };

export type PartitionKeys = { [K in (typeof PARTITION_KEYS)[number]['name']]: string };

/** Lake prefixes, shared by the Firehose construct, the Glue table location and the local lake. */
export const LAKE_DATA_PREFIX = 'ctr/';
export const LAKE_ERROR_PREFIX = 'errors/';

/** Formats an ISO-8601 timestamp the way the row stores it: `YYYY-MM-DD HH:MM:SS.sss` in UTC. */
export function toRowTimestamp(iso: string | null | undefined): string | null {
  if (iso === null || iso === undefined) return null;
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return null;
  return new Date(ms).toISOString().replace('T', ' ').replace('Z', '');
}
