import type { AgentSpec, QueueSpec } from './ctr-builder';

/**
 * The made-up contact centre every synthetic record lives in: a handful of queues, agents and routing profiles
 * with invented UUIDs, and phone numbers in the fictional 555-01xx range. Shared by the samples, the test
 * factories and the stream generator so that their records look like one instance.
 */

const CUSTOMER_CARE = { id: 'ef818f9e-8b30-4edf-9cee-feed77588c5c', name: 'Customer Care' };
const TEAM_NORTH = { id: '1ac3f8ee-7af2-4a4c-b185-dc7d24a85ec6', name: 'Team North' };
const TEAM_SOUTH = { id: '0aed9c6f-1770-4230-a409-0a8ce7dc0dd5', name: 'Team South' };

const VOICE_AGENTS = { id: '1f55b266-a21e-4281-a708-da9f4e05a2ec', name: 'Voice Agents' };
const CHAT_AGENTS = { id: '595d6898-72cf-4fca-adf4-afcd0963cee8', name: 'Chat Agents' };
const BLENDED = { id: '729e63f3-1492-49bc-b0a9-d02be6553946', name: 'Blended' };

export const SAMPLE_QUEUES = {
  billing: { id: '63954417-a404-47ba-b818-995eaa5e7e9a', name: 'Billing' },
  techSupport: { id: 'dec8aaa6-da94-4b74-86ad-1245d5ca7e4a', name: 'Technical Support' },
  sales: { id: '088ec49b-0343-4f14-8ff9-58df60204a6a', name: 'Sales' },
  chatSupport: { id: '4e55c7f2-0ae9-45ed-b898-5445a6bcc617', name: 'Chat Support' },
  backOffice: { id: '945ee06f-ee22-4f8a-acc1-dc9215aecb3a', name: 'Back Office Tasks' },
} as const satisfies Record<string, QueueSpec>;

export const SAMPLE_AGENTS = {
  maria: {
    id: 'c621e83e-0ff5-4e5c-917c-cde01fa6c2d8',
    username: 'maria.garcia',
    routingProfile: VOICE_AGENTS,
    hierarchy: [CUSTOMER_CARE, TEAM_NORTH],
  },
  sam: {
    id: '3b32215a-ed9a-422d-82b8-390014994220',
    username: 'sam.okafor',
    routingProfile: VOICE_AGENTS,
    hierarchy: [CUSTOMER_CARE, TEAM_SOUTH],
  },
  li: {
    id: '947a4d97-6c9b-4a89-b752-e9a251d81895',
    username: 'li.chen',
    routingProfile: CHAT_AGENTS,
    hierarchy: [CUSTOMER_CARE, TEAM_NORTH],
  },
  priya: {
    id: '78357d32-5b9d-4928-83c7-9f853d91f74b',
    username: 'priya.raman',
    routingProfile: BLENDED,
    hierarchy: [CUSTOMER_CARE, TEAM_SOUTH],
  },
} as const satisfies Record<string, AgentSpec>;

/**
 * The contact centre's own number (what inbound callers dial). Numbers are E.164 in the North American range set
 * aside for fiction (555-0100 to 555-0199), so samples never carry a real subscriber's number.
 */
export const SAMPLE_SYSTEM_NUMBER = '+12065550100';

/** A fictional customer number: `+1206555 01xx`, xx in 01..99 (00 is the contact centre). */
export function samplePhoneNumber(n: number): string {
  if (!Number.isInteger(n) || n < 1 || n > 99) throw new RangeError(`phone number index must be 1-99, received ${n}`);
  return `+120655501${String(n).padStart(2, '0')}`;
}
