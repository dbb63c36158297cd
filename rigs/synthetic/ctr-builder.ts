/**
 * Builds synthetic Amazon Connect contact trace records in the shape Connect writes them: every top-level field
 * present (null when it has no value), keys sorted alphabetically at every level, whole-second UTC timestamps and
 * durations that agree with those timestamps. The samples, the test factories and the synthetic stream generator
 * all build their records here, so a change to the record shape is made once.
 *
 * Everything is made up: account 111122223333, invented instance/queue/agent UUIDs and phone numbers in the
 * fictional 555-01xx range.
 */

export const SAMPLE_ACCOUNT_ID = '111122223333';
export const SAMPLE_REGION = 'us-east-1';
export const SAMPLE_INSTANCE_ID = '4c6f0d2e-8a31-4b57-9e1c-7d2a5b8f3e60';
export const CTR_FORMAT_VERSION = '2017-03-10';

export type CtrChannel = 'VOICE' | 'CHAT' | 'TASK';

export interface QueueSpec {
  readonly id: string;
  readonly name: string;
}

export interface AgentSpec {
  readonly id: string;
  readonly username: string;
  readonly routingProfile: { readonly id: string; readonly name: string };
  /** Agent hierarchy, top level first (at most 5 levels). */
  readonly hierarchy?: ReadonlyArray<{ readonly id: string; readonly name: string }>;
}

export interface CtrSpec {
  readonly contactId: string;
  readonly channel: CtrChannel;
  /** INBOUND, OUTBOUND, TRANSFER, API, ... */
  readonly initiationMethod: string;
  /** ISO-8601 UTC; rounded down to whole seconds as Connect writes it. */
  readonly initiationTimestamp: string;
  readonly instanceId?: string;
  readonly accountId?: string;
  readonly region?: string;
  /** The customer's phone number (voice) or null. */
  readonly customerAddress?: string | null;
  /** The number dialled (inbound voice) or null. */
  readonly systemAddress?: string | null;
  /** Seconds in the contact flow before the contact is queued (or before it ends when never queued). */
  readonly flowSeconds?: number;
  /** The queue the contact waited in, or null for a contact that never queued. */
  readonly queue?: QueueSpec | null;
  /** Seconds in the queue before an agent took it (or before the customer gave up). */
  readonly queueSeconds?: number;
  /** The agent who handled it; null for abandoned and self-service contacts. */
  readonly agent?: AgentSpec | null;
  /** Seconds the agent interacted with the customer, holds excluded. */
  readonly talkSeconds?: number;
  /** One entry per hold, its length in seconds. */
  readonly holds?: readonly number[];
  /** After-contact work, seconds. */
  readonly acwSeconds?: number;
  readonly disconnectReason?: string | null;
  readonly attributes?: Readonly<Record<string, string>>;
  readonly previousContactId?: string | null;
  readonly nextContactId?: string | null;
  readonly initialContactId?: string | null;
  /** Seconds between the end of the contact (ACW included) and this version of its record. */
  readonly lastUpdateDelaySeconds?: number;
  /** Task contacts: their ContactDetails name/value pairs. */
  readonly contactDetails?: Readonly<Record<string, string>>;
}

/** A JSON value as found in a CTR. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

const DEFAULT_FLOW_SECONDS = 25;
const DEFAULT_QUEUE_SECONDS = 40;
const DEFAULT_TALK_SECONDS = 240;
const DEFAULT_ACW_SECONDS = 30;
const DEFAULT_LAST_UPDATE_DELAY_SECONDS = 65;

/** `2026-03-02T09:15:00Z`: whole-second UTC, as Connect writes CTR timestamps. */
export function ctrTimestamp(epochMs: number): string {
  return new Date(Math.floor(epochMs / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

export function instanceArn(spec: Pick<CtrSpec, 'instanceId' | 'accountId' | 'region'> = {}): string {
  const region = spec.region ?? SAMPLE_REGION;
  const account = spec.accountId ?? SAMPLE_ACCOUNT_ID;
  return `arn:aws:connect:${region}:${account}:instance/${spec.instanceId ?? SAMPLE_INSTANCE_ID}`;
}

/**
 * Builds one CTR from a spec. Timings follow Connect's model: the contact starts in a flow, waits in a queue,
 * talks to an agent (with holds), then the agent does after-contact work; LastUpdateTimestamp comes after all of it.
 */
export function buildCtr(spec: CtrSpec): JsonObject {
  const start = Date.parse(spec.initiationTimestamp);
  if (Number.isNaN(start)) throw new RangeError(`invalid initiationTimestamp ${spec.initiationTimestamp}`);
  const arn = instanceArn(spec);
  const at = (seconds: number): string => ctrTimestamp(start + seconds * 1000);

  const flowSeconds = spec.flowSeconds ?? DEFAULT_FLOW_SECONDS;
  const queue = spec.queue ?? null;
  const agent = spec.agent ?? null;
  const queueSeconds = queue ? (spec.queueSeconds ?? DEFAULT_QUEUE_SECONDS) : 0;
  const holds = agent ? (spec.holds ?? []) : [];
  const holdSeconds = holds.reduce((sum, h) => sum + h, 0);
  const talkSeconds = agent ? (spec.talkSeconds ?? DEFAULT_TALK_SECONDS) : 0;
  const acwSeconds = agent ? (spec.acwSeconds ?? DEFAULT_ACW_SECONDS) : 0;

  const enqueueAt = flowSeconds;
  const dequeueAt = enqueueAt + queueSeconds;
  const agentAt = dequeueAt;
  const disconnectAt = queue ? dequeueAt + talkSeconds + holdSeconds : flowSeconds;
  const acwEndAt = disconnectAt + acwSeconds;
  const lastUpdateAt = acwEndAt + (spec.lastUpdateDelaySeconds ?? DEFAULT_LAST_UPDATE_DELAY_SECONDS);
  const isVoice = spec.channel === 'VOICE';
  const recordingLocation = `connect-${SAMPLE_ACCOUNT_ID}-recordings/connect/sample/CallRecordings/${at(agentAt).slice(0, 10).replaceAll('-', '/')}/${spec.contactId}_${at(agentAt).replaceAll(/[-:]/g, '').slice(0, 13)}_UTC.wav`;
  const hasRecording = isVoice && agent !== null;

  const ctr: JsonObject = {
    AWSAccountId: spec.accountId ?? SAMPLE_ACCOUNT_ID,
    AWSContactTraceRecordFormatVersion: CTR_FORMAT_VERSION,
    Agent: agent
      ? {
          ARN: `${arn}/agent/${agent.id}`,
          AfterContactWorkDuration: acwSeconds,
          AfterContactWorkEndTimestamp: at(acwEndAt),
          AfterContactWorkStartTimestamp: at(disconnectAt),
          AgentInteractionDuration: talkSeconds,
          ConnectedToAgentTimestamp: at(agentAt),
          CustomerHoldDuration: holdSeconds,
          HierarchyGroups: hierarchyGroups(arn, agent),
          LongestHoldDuration: holds.length ? Math.max(...holds) : 0,
          NumberOfHolds: holds.length,
          RoutingProfile: { ARN: `${arn}/routing-profile/${agent.routingProfile.id}`, Name: agent.routingProfile.name },
          Username: agent.username,
        }
      : null,
    AgentConnectionAttempts: agent ? 1 : 0,
    AnsweringMachineDetectionStatus: null,
    Attributes: { ...(spec.attributes ?? {}) },
    Campaign: { CampaignId: null },
    Channel: spec.channel,
    ConnectedToSystemTimestamp: at(0),
    ContactDetails: { ...(spec.contactDetails ?? {}) },
    ContactId: spec.contactId,
    CustomerEndpoint: endpoint(spec.customerAddress ?? null),
    DisconnectReason: spec.disconnectReason ?? null,
    DisconnectTimestamp: at(disconnectAt),
    InitialContactId: spec.initialContactId ?? null,
    InitiationMethod: spec.initiationMethod,
    InitiationTimestamp: at(0),
    InstanceARN: arn,
    LastUpdateTimestamp: at(lastUpdateAt),
    MediaStreams: spec.channel === 'TASK' ? [] : [{ Type: isVoice ? 'AUDIO' : 'CHAT' }],
    NextContactId: spec.nextContactId ?? null,
    PreviousContactId: spec.previousContactId ?? null,
    Queue: queue
      ? {
          ARN: `${arn}/queue/${queue.id}`,
          DequeueTimestamp: at(dequeueAt),
          Duration: queueSeconds,
          EnqueueTimestamp: at(enqueueAt),
          Name: queue.name,
        }
      : null,
    Recording: hasRecording
      ? { DeletionReason: null, Location: recordingLocation, Status: 'AVAILABLE', Type: 'AUDIO' }
      : null,
    Recordings: hasRecording
      ? [
          {
            DeletionReason: null,
            FragmentStartNumber: null,
            FragmentStopNumber: null,
            Location: recordingLocation,
            MediaStreamType: 'AUDIO',
            ParticipantType: null,
            StartTimestamp: null,
            Status: 'AVAILABLE',
            StopTimestamp: null,
            StorageType: 'S3',
          },
        ]
      : null,
    References: [],
    ScheduledTimestamp: null,
    SystemEndpoint: endpoint(spec.systemAddress ?? null),
    TransferCompletedTimestamp: null,
    TransferredToEndpoint: null,
    VoiceIdResult: null,
  };
  return sortKeysDeep(ctr);
}

function endpoint(address: string | null): JsonValue {
  return address === null ? null : { Address: address, Type: 'TELEPHONE_NUMBER' };
}

function hierarchyGroups(arn: string, agent: AgentSpec): JsonValue {
  const levels = agent.hierarchy ?? [];
  if (levels.length === 0) return null;
  const groups: JsonObject = {};
  for (let level = 1; level <= 5; level++) {
    const group = levels[level - 1];
    groups[`Level${level}`] = group ? { ARN: `${arn}/agent-group/${group.id}`, GroupName: group.name } : null;
  }
  return groups;
}

/**
 * Sorts object keys at every level by UTF-16 code unit, the order Connect writes and RFC 8785 uses, so that a
 * record's compact JSON is already its canonical form.
 */
export function sortKeysDeep<T extends JsonValue>(value: T): T {
  if (Array.isArray(value)) return value.map((v) => sortKeysDeep(v)) as T;
  if (value === null || typeof value !== 'object') return value;
  const sorted: JsonObject = {};
  for (const key of Object.keys(value).sort()) sorted[key] = sortKeysDeep(value[key] as JsonValue);
  return sorted as T;
}

/**
 * A later version of the same contact, as Connect delivers when attributes change after the contact ended
 * (UpdateContactAttributes): same ContactId, LastUpdateTimestamp moved on, the new attributes merged in.
 */
export function nextVersion(
  ctr: JsonObject,
  change: { readonly secondsLater: number; readonly attributes?: Readonly<Record<string, string>> },
): JsonObject {
  const last = Date.parse(String(ctr.LastUpdateTimestamp));
  if (Number.isNaN(last)) throw new RangeError('the CTR has no LastUpdateTimestamp to move on from');
  if (!(change.secondsLater >= 1)) throw new RangeError('a new version must be at least one second later');
  const attributes =
    ctr.Attributes !== null && typeof ctr.Attributes === 'object' && !Array.isArray(ctr.Attributes)
      ? ctr.Attributes
      : {};
  return sortKeysDeep({
    ...ctr,
    Attributes: { ...attributes, ...(change.attributes ?? {}) },
    LastUpdateTimestamp: ctrTimestamp(last + change.secondsLater * 1000),
  });
}
