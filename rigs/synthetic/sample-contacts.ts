import { buildCtr, type CtrSpec, type JsonObject } from './ctr-builder';
import { SAMPLE_AGENTS, SAMPLE_QUEUES, SAMPLE_SYSTEM_NUMBER, samplePhoneNumber } from './catalog';

/**
 * The hand-picked contacts behind `samples/`: one of each kind the lake must handle (an inbound call with an agent,
 * a call abandoned in queue, a chat, a task, a call transferred between two agents) and the three contacts that
 * `samples/duplicated-ctrs.json` duplicates. `write-samples.ts` renders them to files and a test keeps the files
 * and these specs in step.
 */

export const inboundVoiceSpec: CtrSpec = {
  contactId: '1a6c89a8-ca66-4ea3-b44c-d1a3c513b462',
  channel: 'VOICE',
  initiationMethod: 'INBOUND',
  initiationTimestamp: '2026-03-02T09:14:07Z',
  customerAddress: samplePhoneNumber(42),
  systemAddress: SAMPLE_SYSTEM_NUMBER,
  flowSeconds: 32,
  queue: SAMPLE_QUEUES.billing,
  queueSeconds: 74,
  agent: SAMPLE_AGENTS.maria,
  talkSeconds: 312,
  holds: [45, 20],
  acwSeconds: 48,
  disconnectReason: 'CUSTOMER_DISCONNECT',
  attributes: { callReason: 'billing_dispute', customerTier: 'gold', language: 'en-US' },
};

export const abandonedInQueueSpec: CtrSpec = {
  contactId: '9e5b3a72-0694-4a5e-83ac-a464339170f3',
  channel: 'VOICE',
  initiationMethod: 'INBOUND',
  initiationTimestamp: '2026-03-02T10:02:51Z',
  customerAddress: samplePhoneNumber(17),
  systemAddress: SAMPLE_SYSTEM_NUMBER,
  flowSeconds: 28,
  queue: SAMPLE_QUEUES.techSupport,
  queueSeconds: 183,
  agent: null,
  disconnectReason: 'CUSTOMER_DISCONNECT',
  attributes: { callReason: 'internet_outage', language: 'en-US' },
};

export const chatSpec: CtrSpec = {
  contactId: 'dcc325f7-281d-48a2-b728-08c1b347a464',
  channel: 'CHAT',
  // Chats are started by the StartChatContact API.
  initiationMethod: 'API',
  initiationTimestamp: '2026-03-03T14:40:19Z',
  customerAddress: null,
  systemAddress: null,
  flowSeconds: 12,
  queue: SAMPLE_QUEUES.chatSupport,
  queueSeconds: 21,
  agent: SAMPLE_AGENTS.li,
  talkSeconds: 540,
  acwSeconds: 60,
  disconnectReason: 'CUSTOMER_DISCONNECT',
  attributes: { chatTopic: 'order_status', language: 'en-US' },
};

export const taskSpec: CtrSpec = {
  contactId: '4f38ca81-393b-4139-a49f-c96676f72a41',
  channel: 'TASK',
  initiationMethod: 'API',
  initiationTimestamp: '2026-03-03T15:05:00Z',
  customerAddress: null,
  systemAddress: null,
  flowSeconds: 3,
  queue: SAMPLE_QUEUES.backOffice,
  queueSeconds: 900,
  agent: SAMPLE_AGENTS.priya,
  talkSeconds: 420,
  acwSeconds: 15,
  disconnectReason: 'AGENT_DISCONNECT',
  attributes: { taskType: 'refund_follow_up' },
  contactDetails: { Description: 'Refund request follow-up', Priority: 'normal' },
};

const TRANSFER_FIRST_LEG = 'e493cb2f-c793-4e11-ba1c-662a0a4f5456';
const TRANSFER_SECOND_LEG = '2d896946-e3b1-4432-8ce9-f19083e61f5d';

/**
 * A call that a Sales agent transferred to Billing: two contact records linked by NextContactId (first leg) and
 * PreviousContactId/InitialContactId (second leg). The second leg starts when the first one disconnects.
 */
export function transferredCallSpecs(
  ids: { readonly first: string; readonly second: string } = { first: TRANSFER_FIRST_LEG, second: TRANSFER_SECOND_LEG },
): [CtrSpec, CtrSpec] {
  const first: CtrSpec = {
    contactId: ids.first,
    channel: 'VOICE',
    initiationMethod: 'INBOUND',
    initiationTimestamp: '2026-03-03T16:21:05Z',
    customerAddress: samplePhoneNumber(63),
    systemAddress: SAMPLE_SYSTEM_NUMBER,
    flowSeconds: 20,
    queue: SAMPLE_QUEUES.sales,
    queueSeconds: 35,
    agent: SAMPLE_AGENTS.sam,
    talkSeconds: 150,
    acwSeconds: 20,
    disconnectReason: null,
    nextContactId: ids.second,
    attributes: { callReason: 'upgrade_plan', language: 'en-US', transferTarget: 'Billing' },
  };
  const firstLeg = buildCtr(first);
  const second: CtrSpec = {
    contactId: ids.second,
    channel: 'VOICE',
    initiationMethod: 'TRANSFER',
    initiationTimestamp: String(firstLeg.DisconnectTimestamp),
    customerAddress: samplePhoneNumber(63),
    systemAddress: SAMPLE_SYSTEM_NUMBER,
    flowSeconds: 4,
    queue: SAMPLE_QUEUES.billing,
    queueSeconds: 48,
    agent: SAMPLE_AGENTS.maria,
    talkSeconds: 205,
    holds: [30],
    acwSeconds: 35,
    disconnectReason: 'CUSTOMER_DISCONNECT',
    previousContactId: ids.first,
    initialContactId: ids.first,
    attributes: { callReason: 'upgrade_plan', language: 'en-US', transferredFrom: 'Sales' },
  };
  return [first, second];
}

/** The three distinct contacts of `samples/duplicated-ctrs.json`: two days, voice and chat, one abandoned. */
export const duplicatedSampleSpecs: readonly CtrSpec[] = [
  {
    contactId: '69cdb858-d5d5-4343-8098-30d2e5fa38bd',
    channel: 'VOICE',
    initiationMethod: 'INBOUND',
    initiationTimestamp: '2026-03-04T08:47:33Z',
    customerAddress: samplePhoneNumber(28),
    systemAddress: SAMPLE_SYSTEM_NUMBER,
    flowSeconds: 41,
    queue: SAMPLE_QUEUES.techSupport,
    queueSeconds: 96,
    agent: SAMPLE_AGENTS.sam,
    talkSeconds: 467,
    holds: [60],
    acwSeconds: 52,
    disconnectReason: 'CUSTOMER_DISCONNECT',
    attributes: { callReason: 'router_setup', customerTier: 'silver', language: 'en-US' },
  },
  {
    contactId: '7337402d-ac78-4aab-8564-e27bef6065de',
    channel: 'CHAT',
    initiationMethod: 'API',
    initiationTimestamp: '2026-03-04T12:05:10Z',
    customerAddress: null,
    systemAddress: null,
    flowSeconds: 9,
    queue: SAMPLE_QUEUES.chatSupport,
    queueSeconds: 14,
    agent: SAMPLE_AGENTS.li,
    talkSeconds: 385,
    acwSeconds: 40,
    disconnectReason: 'AGENT_DISCONNECT',
    attributes: { chatTopic: 'delivery_delay', language: 'es-US' },
  },
  {
    contactId: '584523de-3992-4702-ac15-e31ff9808ea4',
    channel: 'VOICE',
    initiationMethod: 'INBOUND',
    initiationTimestamp: '2026-03-05T17:30:44Z',
    customerAddress: samplePhoneNumber(91),
    systemAddress: SAMPLE_SYSTEM_NUMBER,
    flowSeconds: 30,
    queue: SAMPLE_QUEUES.billing,
    queueSeconds: 95,
    agent: null,
    disconnectReason: 'CUSTOMER_DISCONNECT',
    attributes: { callReason: 'payment_arrangement', language: 'en-US' },
  },
];

/** Each duplicated contact twice in a row, as Connect's at-least-once delivery can produce. */
export function duplicatedSampleCtrs(): JsonObject[] {
  return duplicatedSampleSpecs.flatMap((spec) => [buildCtr(spec), buildCtr(spec)]);
}

/** `samples/ctrs/<name>.json` → its content (one CTR, or the legs of one call). */
export function singleSampleCtrs(): Record<string, JsonObject | JsonObject[]> {
  return {
    'inbound-voice-with-agent': buildCtr(inboundVoiceSpec),
    'abandoned-in-queue': buildCtr(abandonedInQueueSpec),
    chat: buildCtr(chatSpec),
    task: buildCtr(taskSpec),
    'transferred-call': transferredCallSpecs().map(buildCtr),
  };
}
