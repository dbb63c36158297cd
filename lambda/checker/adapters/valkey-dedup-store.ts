import { createHash } from 'node:crypto';
import { abortableSleep, computeBackoffMs } from '../../shared/backoff';
import { DedupStoreError } from '../../shared/errors';
import type { ClaimHolder, ClaimRequest, ClaimResult, DedupStore, DeliveredClaim } from '../ports';

/**
 * Every claim lives in one hash `ctr-dedup:<dedup key>` (fields claimedBy, claimedAt, expiresAt, leaseUntil and,
 * once marked, deliveredAt). The prefix is also the ElastiCache user's key pattern (`~ctr-dedup:*`).
 */
export const VALKEY_KEY_PREFIX = 'ctr-dedup:';

/**
 * The claim condition of docs/CONTRACTS.md, word for word the DynamoDB adapter's CLAIM_CONDITION (+ its take-over
 * branch), evaluated inside the server in one script: absent; expired by the request's clock (`expiresAt < now`; the
 * key's native expiry removes it anyway, by the server's clock); or not delivered and claimed by this eventID, or
 * stale (lease ran out; a claim without a lease is never stale), or the named `takeOverFrom`. Applied: the hash is
 * replaced and expires at the end of second `expiresAt`. Answers {applied, the claim met or replaced}.
 * KEYS[1] the claim; ARGV eventId, claimedAt, expiresAt, leaseUntil, now (s), now (ms), takeOverFrom or '', expiry (ms).
 */
export const CLAIM_SCRIPT = `local old = redis.call('HMGET', KEYS[1], 'claimedBy', 'expiresAt', 'leaseUntil', 'deliveredAt')
local by, exp, lease, delivered = old[1], old[2], old[3], old[4]
local free = (not by)
  or (exp and tonumber(exp) < tonumber(ARGV[5]))
  or ((not delivered) and (by == ARGV[1]
    or (lease and tonumber(lease) < tonumber(ARGV[6]))
    or (ARGV[7] ~= '' and by == ARGV[7])))
if not free then return {0, by, exp, lease, delivered} end
redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], 'claimedBy', ARGV[1], 'claimedAt', ARGV[2], 'expiresAt', ARGV[3], 'leaseUntil', ARGV[4])
redis.call('PEXPIREAT', KEYS[1], ARGV[8])
return {1, by, exp, lease, delivered}`;

/**
 * A delivered mark: the whole claim with deliveredAt, unconditional (as the DynamoDB adapter's BatchWriteItem put),
 * because "this CTR is in Firehose" stays true whoever holds the key.
 * KEYS[1] the claim; ARGV eventId, claimedAt, expiresAt, leaseUntil, deliveredAt, expiry (ms).
 */
export const MARK_SCRIPT = `redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], 'claimedBy', ARGV[1], 'claimedAt', ARGV[2], 'expiresAt', ARGV[3], 'leaseUntil', ARGV[4], 'deliveredAt', ARGV[5])
redis.call('PEXPIREAT', KEYS[1], ARGV[6])
return 1`;

/** Drops the claim only if this eventID holds it and never delivered it. KEYS[1] the claim; ARGV eventId. */
export const RELEASE_SCRIPT = `local old = redis.call('HMGET', KEYS[1], 'claimedBy', 'deliveredAt')
if old[1] == ARGV[1] and not old[2] then
  redis.call('DEL', KEYS[1])
  return 1
end
return 0`;

/** Rounds of marks while some fail (a dropped connection, say), the first included, as the DynamoDB adapter does. */
const MARK_ATTEMPTS = 4;

/**
 * The two commands the store sends: ioredis' `Redis` and `Cluster` both fit. With `enableAutoPipelining`, every
 * command issued in one tick goes in one write (per cluster node): the checker's concurrent claims of a batch are one
 * round trip.
 */
export interface ValkeyScriptClient {
  evalsha(sha: string, numKeys: number, ...args: string[]): Promise<unknown>;
  eval(script: string, numKeys: number, ...args: string[]): Promise<unknown>;
}

/**
 * DedupStore on Valkey/Redis (ElastiCache Serverless for Valkey in AWS, redis-server locally), with exactly the
 * contract of DynamoDbDedupStore: each operation is ONE Lua script, atomic on the server (a script runs alone, so the
 * condition and the write can not interleave with another client's), never a read then a write. Scripts go by
 * EVALSHA; a server that does not have the script (NOSCRIPT: new node, restart, failover) gets it by EVAL, which
 * also caches it. The user is allowed only these commands and keys under VALKEY_KEY_PREFIX.
 *
 * Client: ioredis (pure JavaScript, no native binary: nothing platform-specific to bundle and a small cold start;
 * auto-pipelining, which turns the core's concurrent per-record calls into one round trip; Cluster mode with TLS and
 * an AUTH password, which ElastiCache Serverless needs). iovalkey is a fork of it with the same API and a smaller
 * user base; @valkey/valkey-glide is a Rust core with a native binary per platform (bundling and a heavier cold
 * start in Lambda). See docs/CONTRACTS.md.
 */
export class ValkeyDedupStore implements DedupStore {
  private readonly shas: Readonly<Record<'claim' | 'mark' | 'release', string>>;

  constructor(private readonly client: ValkeyScriptClient) {
    this.shas = { claim: sha1(CLAIM_SCRIPT), mark: sha1(MARK_SCRIPT), release: sha1(RELEASE_SCRIPT) };
  }

  async claim(request: ClaimRequest): Promise<ClaimResult> {
    try {
      const reply = await this.run('claim', CLAIM_SCRIPT, request.key, request.signal, [
        request.eventId,
        request.now.toISOString(),
        String(request.expiresAt),
        String(request.leaseUntil),
        String(Math.floor(request.now.getTime() / 1000)),
        String(request.now.getTime()),
        request.takeOverFrom ?? '',
        String(expiryMs(request.expiresAt)),
      ]);
      const [applied, ...fields] = replyArray(reply, 5);
      const met = holderOf(fields);
      if (Number(applied) === 1) return met === undefined ? { outcome: 'owned' } : { outcome: 'owned', replaced: met };
      return { outcome: 'held', holder: met };
    } catch (error) {
      throw new DedupStoreError(`claim of ${request.key} failed`, { cause: error });
    }
  }

  async markDelivered(claims: readonly DeliveredClaim[], now: Date, signal?: AbortSignal): Promise<readonly string[]> {
    let pending = [...claims];
    for (let attempt = 0; attempt < MARK_ATTEMPTS && pending.length > 0 && !signal?.aborted; attempt++) {
      if (attempt > 0) await abortableSleep(computeBackoffMs(attempt - 1), signal);
      // All in one tick: one pipelined round trip.
      const outcomes = await Promise.allSettled(
        pending.map((claim) =>
          this.run('mark', MARK_SCRIPT, claim.key, signal, [
            claim.eventId,
            claim.claimedAt.toISOString(),
            String(claim.expiresAt),
            String(claim.leaseUntil),
            now.toISOString(),
            String(expiryMs(claim.expiresAt)),
          ]),
        ),
      );
      pending = pending.filter((_, i) => outcomes[i]?.status === 'rejected');
    }
    return pending.map((claim) => claim.key);
  }

  async release(key: string, eventId: string, signal?: AbortSignal): Promise<boolean> {
    try {
      return Number(await this.run('release', RELEASE_SCRIPT, key, signal, [eventId])) === 1;
    } catch (error) {
      throw new DedupStoreError(`releasing ${key} failed`, { cause: error });
    }
  }

  /** EVALSHA, or EVAL when the server lacks the script (NOSCRIPT: the script did not run, so sending it is safe). */
  private async run(
    name: keyof ValkeyDedupStore['shas'],
    script: string,
    key: string,
    signal: AbortSignal | undefined,
    args: readonly string[],
  ): Promise<unknown> {
    signal?.throwIfAborted();
    const redisKey = VALKEY_KEY_PREFIX + key;
    try {
      return await abortable(this.client.evalsha(this.shas[name], 1, redisKey, ...args), signal);
    } catch (error) {
      if (!isNoScript(error)) throw error;
      signal?.throwIfAborted();
      return abortable(this.client.eval(script, 1, redisKey, ...args), signal);
    }
  }
}

/**
 * The key's native expiry: the last millisecond of second `expiresAt`, so that the server drops the claim exactly
 * when DynamoDB's condition `expiresAt < now` (whole seconds) starts to count it as absent.
 */
export function expiryMs(expiresAt: number): number {
  return expiresAt * 1000 + 999;
}

function sha1(text: string): string {
  return createHash('sha1').update(text).digest('hex');
}

/** The commands waiting on each signal: one abort listener per signal, however many commands a batch has in flight. */
const waiting = new WeakMap<AbortSignal, Set<(reason: unknown) => void>>();

/**
 * Stops waiting when the signal aborts. The command itself stays on the connection (the protocol has no cancel), so
 * the server may still apply it: the same ambiguity as an aborted DynamoDB request, which the core handles.
 */
function abortable<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (signal === undefined) return promise;
  let rejects = waiting.get(signal);
  if (rejects === undefined) {
    const all = new Set<(reason: unknown) => void>();
    signal.addEventListener('abort', () => all.forEach((reject) => reject(signal.reason)), { once: true });
    waiting.set(signal, all);
    rejects = all;
  }
  const waiters = rejects;
  return new Promise<T>((resolve, reject) => {
    waiters.add(reject);
    promise.then(
      (value) => {
        waiters.delete(reject);
        resolve(value);
      },
      (error: unknown) => {
        waiters.delete(reject);
        reject(error);
      },
    );
  });
}

function isNoScript(error: unknown): boolean {
  return error instanceof Error && error.message.startsWith('NOSCRIPT');
}

function replyArray(reply: unknown, length: number): unknown[] {
  if (!Array.isArray(reply) || reply.length !== length) {
    throw new Error(`unexpected script reply: ${JSON.stringify(reply)}`);
  }
  return reply;
}

/** The claim a script met or replaced, from its HMGET fields (null when absent). */
function holderOf([claimedBy, expiresAt, leaseUntil, deliveredAt]: readonly unknown[]): ClaimHolder | undefined {
  if (typeof claimedBy !== 'string') return undefined;
  return {
    claimedBy,
    expiresAt: Number(expiresAt ?? 0),
    ...(leaseUntil === null || leaseUntil === undefined ? {} : { leaseUntil: Number(leaseUntil) }),
    delivered: deliveredAt !== null && deliveredAt !== undefined,
  };
}
