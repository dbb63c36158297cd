import { ValkeyDedupStore } from '../../../lambda/checker/adapters/valkey-dedup-store';
import type { ClaimRequest } from '../../../lambda/checker/ports';
import { findRedisServer } from '../../../local-aws/servers/redis-server';
import { runAsInvocation } from '../../../rigs/faults/invocation-tag';
import { startSoakValkey, type SoakValkey } from '../../../rigs/soak/soak-valkey';
import { describeIfInstalled } from '../../support/debian-package';

const NOW = new Date();

function aClaim(key: string, eventId: string, overrides: Partial<ClaimRequest> = {}): ClaimRequest {
  return {
    key,
    eventId,
    now: NOW,
    expiresAt: Math.floor(NOW.getTime() / 1000) + 3600,
    leaseUntil: NOW.getTime() + 60_000,
    ...overrides,
  };
}

describeIfInstalled('redis-server', findRedisServer() !== undefined)('the soak’s Valkey side', () => {
  let valkey: SoakValkey;
  const dead = new Set<string>();
  const released: string[] = [];

  beforeAll(async () => {
    valkey = await startSoakValkey({
      faultRate: 0,
      seed: 1,
      commandTimeoutMs: 1000,
      isDead: (invocation) => dead.has(invocation),
      onReleased: (key) => released.push(key),
    });
  });

  afterAll(() => valkey?.stop());

  it('shuts a crashed invocation out of the server, as a dead process sends nothing', async () => {
    // Arrange
    const store = new ValkeyDedupStore(valkey.connection.client);
    dead.add('invocation-dead');

    // Act
    const live = await runAsInvocation('invocation-live', () => store.claim(aClaim('live', 'e-1')));
    const fromDead = runAsInvocation('invocation-dead', () => store.claim(aClaim('dead', 'e-1')));

    // Assert
    expect(live.outcome).toBe('owned');
    await expect(fromDead).rejects.toMatchObject({ cause: { message: 'invocation invocation-dead is dead' } });
  });

  it('tells the ledger of each claim dropped by a release or taken over from another record', async () => {
    // Arrange
    const store = new ValkeyDedupStore(valkey.connection.client);
    released.length = 0;
    await store.claim(aClaim('released', 'e-1'));
    await store.claim(aClaim('taken', 'e-1', { leaseUntil: NOW.getTime() - 1 }));

    // Act
    await store.release('released', 'e-1');
    await store.claim(aClaim('taken', 'e-2'));
    await store.claim(aClaim('taken', 'e-2'));

    // Assert: a redelivery of the same record re-owning its own claim is not a take-over
    expect(released).toEqual(['released', 'taken']);
  });

  it('keeps the claims through a restart of the server, and runs the scripts again once it is back', async () => {
    // Arrange
    const store = new ValkeyDedupStore(valkey.connection.client);
    await store.claim(aClaim('kept', 'e-1'));
    await store.markDelivered([{ ...aClaim('kept', 'e-1'), claimedAt: NOW }], NOW);

    // Act
    await valkey.restart();
    let after;
    for (let attempt = 0; after === undefined; attempt++) {
      // Commands sent while the client reconnects may fail: the checker's failure path retries them the same way.
      after = await store.claim(aClaim('kept', 'e-2')).catch((error: unknown) => {
        if (attempt >= 20) throw error;
        return undefined;
      });
    }

    // Assert
    expect(valkey.restarts).toBe(1);
    expect(after).toMatchObject({ outcome: 'held', holder: { claimedBy: 'e-1', delivered: true } });
  });
});
