import { judgeHolder } from '../../../lambda/checker/claim-holder';
import type { ClaimHolder } from '../../../lambda/checker/ports';

const NOW_MS = Date.parse('2026-03-04T09:00:00Z');
const ME = 'shardId-000000000001:49650000000000000000000000000000000000000000000000500';

function aHolder(overrides: Partial<ClaimHolder> = {}): ClaimHolder {
  return {
    claimedBy: 'shardId-000000000002:49650000000000000000000000000000000000000000000000100',
    expiresAt: NOW_MS / 1000 + 3600,
    leaseUntil: NOW_MS + 60_000,
    delivered: false,
    ...overrides,
  };
}

describe('judgeHolder', () => {
  it.each<[string, ClaimHolder | undefined, ReturnType<typeof judgeHolder>]>([
    ['a claim marked delivered', aHolder({ delivered: true }), 'duplicate'],
    ['a claim marked delivered whose lease ran out', aHolder({ delivered: true, leaseUntil: NOW_MS - 1 }), 'duplicate'],
    ['a claim written before leases (no leaseUntil)', aHolder({ leaseUntil: undefined }), 'duplicate'],
    ['a claim the store could not describe', undefined, 'duplicate'],
    ['another shard’s claim in progress', aHolder(), 'wait'],
    ['another shard’s claim whose lease ran out', aHolder({ leaseUntil: NOW_MS - 1 }), 'take-over'],
    [
      'an earlier record of this shard, not delivered (its invocation is over)',
      aHolder({ claimedBy: 'shardId-000000000001:49650000000000000000000000000000000000000000000000499' }),
      'take-over',
    ],
    [
      'a later record of this shard (compared as numbers, not strings)',
      aHolder({ claimedBy: 'shardId-000000000001:496500000000000000000000000000000000000000000000005000' }),
      'wait',
    ],
    ['a claimedBy that is not an eventID', aHolder({ claimedBy: 'someone' }), 'wait'],
    [
      'this very record’s undelivered claim (a race with its own earlier attempt)',
      aHolder({ claimedBy: ME }),
      'take-over',
    ],
  ])('%s → %s', (_name, holder, verdict) => {
    // Act / Assert
    expect(judgeHolder(holder, ME, NOW_MS)).toBe(verdict);
  });
});
