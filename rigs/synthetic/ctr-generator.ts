import { SAMPLE_AGENTS, SAMPLE_QUEUES, SAMPLE_SYSTEM_NUMBER, samplePhoneNumber } from './catalog';
import {
  buildCtr,
  nextVersion,
  type AgentSpec,
  type CtrChannel,
  type CtrSpec,
  type JsonObject,
  type QueueSpec,
} from './ctr-builder';
import { mulberry32, pick, pickWeighted, randomInt, randomUuid, type Random } from './prng';

/**
 * A seeded generator of realistic synthetic CTRs for the soak test and the bench: voice calls, chats and tasks
 * spread over a day range, answered or abandoned in queue, with holds, transfers (two linked legs) and contact
 * attributes, and some contacts delivered in several versions (a later LastUpdateTimestamp, more attributes), as
 * Connect does when attributes change after the contact ended. The same options always give the same records.
 *
 * `deliveryStream` (delivery-stream.ts) then turns the records into what a stream would carry: redeliveries and
 * key-reordered copies at an exact duplicate rate.
 */
export interface GeneratorOptions {
  readonly seed: number;
  /** Contacts to start (a transferred call adds a second leg, a new version adds a record). */
  readonly contacts: number;
  /** First day, `YYYY-MM-DD` (UTC). @default '2026-03-02' */
  readonly startDate?: string;
  /** Days the contacts are spread over. @default 7 */
  readonly days?: number;
  /** Relative weights of the channels. @default VOICE 70, CHAT 20, TASK 10 */
  readonly channelWeights?: Readonly<Record<CtrChannel, number>>;
  /** Share of voice and chat contacts abandoned in queue. @default 0.12 */
  readonly abandonRate?: number;
  /** Share of answered voice calls transferred to a second agent. @default 0.08 */
  readonly transferRate?: number;
  /** Share of contacts delivered again as a later version. @default 0.1 */
  readonly newVersionRate?: number;
}

export const DEFAULT_START_DATE = '2026-03-02';

const VOICE_QUEUES: readonly QueueSpec[] = [SAMPLE_QUEUES.billing, SAMPLE_QUEUES.techSupport, SAMPLE_QUEUES.sales];
const VOICE_AGENTS: readonly AgentSpec[] = [SAMPLE_AGENTS.maria, SAMPLE_AGENTS.sam, SAMPLE_AGENTS.priya];
const CHAT_AGENTS: readonly AgentSpec[] = [SAMPLE_AGENTS.li, SAMPLE_AGENTS.priya];
const TASK_AGENTS: readonly AgentSpec[] = [SAMPLE_AGENTS.priya, SAMPLE_AGENTS.li];
const CALL_REASONS = [
  'billing_dispute',
  'payment_arrangement',
  'router_setup',
  'internet_outage',
  'upgrade_plan',
  'cancel_service',
];
const CHAT_TOPICS = ['order_status', 'delivery_delay', 'password_reset', 'refund_status'];
const TASK_TYPES = ['refund_follow_up', 'callback_request', 'address_change'];
const LANGUAGES = ['en-US', 'en-US', 'en-US', 'es-US'];
const TIERS = ['bronze', 'silver', 'gold'];
const WRAP_UP_CODES = ['resolved', 'escalated', 'follow_up', 'no_action'];

/** Every record of the generated contacts, contact by contact in initiation order (versions follow their contact). */
export function generateCtrs(options: GeneratorOptions): JsonObject[] {
  return Array.from(iterateCtrs(options));
}

/** The same records as generateCtrs, one at a time, so a soak run of millions never holds them all. */
export function* iterateCtrs(options: GeneratorOptions): Generator<JsonObject> {
  const random = mulberry32(options.seed);
  const start = Date.parse(`${options.startDate ?? DEFAULT_START_DATE}T00:00:00Z`);
  if (Number.isNaN(start)) throw new RangeError(`startDate must be YYYY-MM-DD, received ${options.startDate}`);
  const days = options.days ?? 7;
  if (!(days > 0)) throw new RangeError(`days must be positive, received ${days}`);
  if (!Number.isInteger(options.contacts) || options.contacts < 0) {
    throw new RangeError(`contacts must be a non-negative integer, received ${options.contacts}`);
  }
  const spanMs = days * 86_400_000;

  for (let k = 0; k < options.contacts; k++) {
    // Evenly spread with jitter inside each slot: increasing initiation times, no clumps.
    const initiatedAt = start + Math.floor(((k + random()) / options.contacts) * spanMs);
    for (const ctr of contactRecords(random, initiatedAt, options)) {
      yield ctr;
      yield* laterVersions(random, ctr, options.newVersionRate ?? 0.1);
    }
  }
}

/** One contact's records: one CTR, or two linked legs for a transferred call. */
function contactRecords(random: Random, initiatedAt: number, options: GeneratorOptions): JsonObject[] {
  const channel = pickWeighted(random, options.channelWeights ?? { VOICE: 70, CHAT: 20, TASK: 10 });
  const spec = contactSpec(random, channel, initiatedAt, options.abandonRate ?? 0.12);
  const transferred = channel === 'VOICE' && spec.agent !== null && random() < (options.transferRate ?? 0.08);
  if (!transferred) return [buildCtr(spec)];

  const secondId = randomUuid(random);
  const first = buildCtr({
    ...spec,
    nextContactId: secondId,
    disconnectReason: null,
    attributes: { ...spec.attributes, transferTarget: SAMPLE_QUEUES.billing.name },
  });
  const second = buildCtr({
    ...contactSpec(random, 'VOICE', Date.parse(String(first.DisconnectTimestamp)), 0),
    contactId: secondId,
    initiationMethod: 'TRANSFER',
    customerAddress: spec.customerAddress ?? null,
    queue: SAMPLE_QUEUES.billing,
    flowSeconds: randomInt(random, 2, 8),
    previousContactId: spec.contactId,
    initialContactId: spec.contactId,
    attributes: { ...spec.attributes, transferredFrom: spec.queue?.name ?? 'unknown' },
  });
  return [first, second];
}

function contactSpec(random: Random, channel: CtrChannel, initiatedAt: number, abandonRate: number): CtrSpec {
  const abandoned = channel !== 'TASK' && random() < abandonRate;
  const holdCount =
    channel === 'VOICE' && !abandoned ? pickWeighted(random, { '0': 60, '1': 25, '2': 10, '3': 5 }) : '0';
  const common = {
    contactId: randomUuid(random),
    channel,
    initiationTimestamp: new Date(initiatedAt).toISOString(),
    flowSeconds: randomInt(random, 3, 60),
    // Queue waits are mostly short with a long tail: the square skews toward zero.
    queueSeconds: Math.floor(random() ** 2 * (abandoned ? 600 : 300)),
    talkSeconds: randomInt(random, 60, channel === 'CHAT' ? 1500 : 1200),
    holds: Array.from({ length: Number(holdCount) }, () => randomInt(random, 10, 180)),
    acwSeconds: randomInt(random, 0, 120),
    lastUpdateDelaySeconds: randomInt(random, 20, 300),
  };
  if (channel === 'VOICE') {
    return {
      ...common,
      initiationMethod: 'INBOUND',
      customerAddress: samplePhoneNumber(randomInt(random, 1, 99)),
      systemAddress: SAMPLE_SYSTEM_NUMBER,
      queue: pick(random, VOICE_QUEUES),
      agent: abandoned ? null : pick(random, VOICE_AGENTS),
      disconnectReason: abandoned
        ? 'CUSTOMER_DISCONNECT'
        : pickWeighted(random, {
            CUSTOMER_DISCONNECT: 60,
            AGENT_DISCONNECT: 30,
            TELECOM_PROBLEM: 3,
            CONTACT_FLOW_DISCONNECT: 7,
          }),
      attributes: {
        callReason: pick(random, CALL_REASONS),
        customerTier: pick(random, TIERS),
        language: pick(random, LANGUAGES),
      },
    };
  }
  if (channel === 'CHAT') {
    return {
      ...common,
      initiationMethod: 'API',
      queue: SAMPLE_QUEUES.chatSupport,
      agent: abandoned ? null : pick(random, CHAT_AGENTS),
      disconnectReason: abandoned
        ? 'CUSTOMER_DISCONNECT'
        : pickWeighted(random, { CUSTOMER_DISCONNECT: 55, AGENT_DISCONNECT: 45 }),
      attributes: { chatTopic: pick(random, CHAT_TOPICS), language: pick(random, LANGUAGES) },
    };
  }
  const taskType = pick(random, TASK_TYPES);
  return {
    ...common,
    initiationMethod: 'API',
    queue: SAMPLE_QUEUES.backOffice,
    queueSeconds: randomInt(random, 60, 7200),
    agent: pick(random, TASK_AGENTS),
    disconnectReason: pickWeighted(random, { AGENT_DISCONNECT: 85, EXPIRED: 5, API: 10 }),
    attributes: { taskType },
    contactDetails: { Description: taskType.replaceAll('_', ' '), Priority: pick(random, ['low', 'normal', 'high']) },
  };
}

/** Later versions of a contact: attributes updated after it ended (survey results, a wrap-up code). */
function* laterVersions(random: Random, ctr: JsonObject, rate: number): Generator<JsonObject> {
  let current = ctr;
  const updates: ReadonlyArray<() => Record<string, string>> = [
    () => ({ surveyScore: String(randomInt(random, 1, 5)) }),
    () => ({ wrapUpCode: pick(random, WRAP_UP_CODES) }),
  ];
  for (const update of updates) {
    if (random() >= rate) return;
    current = nextVersion(current, { secondsLater: randomInt(random, 60, 36 * 3600), attributes: update() });
    yield current;
  }
}

export {
  deliveryStream,
  iterateDeliveries,
  measuredDuplicateRate,
  reorderKeys,
  type Delivery,
  type DeliveryKind,
  type DeliveryOptions,
} from './delivery-stream';
