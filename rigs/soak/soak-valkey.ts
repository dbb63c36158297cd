import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createValkeyConnection, type ValkeyConnection } from '../../lambda/checker/adapters/valkey-client';
import {
  CLAIM_SCRIPT,
  RELEASE_SCRIPT,
  VALKEY_KEY_PREFIX,
  type ValkeyScriptClient,
} from '../../lambda/checker/adapters/valkey-dedup-store';
import { startRedisServer, type RedisServer } from '../../local-aws/servers/redis-server';
import { currentInvocationId } from '../faults/invocation-tag';
import { startTcpFaultProxy, type TcpFaultKind, type TcpFaultProxy } from '../faults/tcp-fault-proxy';

export interface SoakValkeyOptions {
  readonly faultRate: number;
  readonly seed: number;
  /** The checker's command timeout; `stall` faults hold answers twice as long. */
  readonly commandTimeoutMs: number;
  /** Whether an invocation crashed: a dead process sends nothing, so its commands are refused here. */
  readonly isDead: (invocation: string) => boolean;
  /**
   * Told of every claim the checker dropped (RELEASE answered 1) or took over from another record's undelivered
   * claim (CLAIM applied over it), for the duplicate ledger.
   */
  readonly onReleased: (key: string) => void;
}

/** The Valkey side of a soak: redis-server with its append-only file, the TCP fault proxy, the checker's client. */
export interface SoakValkey {
  /** The proxy's `redis://` endpoint, which the checker's client is connected to. */
  readonly endpoint: string;
  readonly connection: ValkeyConnection;
  readonly injected: Readonly<Record<TcpFaultKind, number>>;
  readonly restarts: number;
  /** Stops and starts the server on its port and files, as a failover would: connections drop, scripts are gone. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * redis-server on a temporary directory with an append-only file fsynced every write (the claims survive the
 * restart, as ElastiCache Serverless' replicas keep them through a failover), behind the TCP fault proxy (resets
 * before and after a command is applied, answers held back past the client's timeout), and the checker's real
 * auto-pipelining client, seen through a wrapper that shuts out crashed invocations and reports releases.
 */
export async function startSoakValkey(options: SoakValkeyOptions): Promise<SoakValkey> {
  const dir = await mkdtemp(join(tmpdir(), 'ctr-lake-soak-valkey-'));
  let server: RedisServer | undefined;
  let proxy: TcpFaultProxy | undefined;
  try {
    server = await startRedisServer({ dir });
    proxy = await startTcpFaultProxy({
      targetPort: server.port,
      faultRate: options.faultRate,
      seed: options.seed,
      stallMs: 2 * options.commandTimeoutMs,
    });
  } catch (error) {
    await server?.stop();
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
  const running = server;
  const faults = proxy;
  const real = createValkeyConnection(
    { mode: 'local', host: '127.0.0.1', port: faults.port },
    {
      commandTimeoutMs: options.commandTimeoutMs,
      credentials: () => Promise.reject(new Error('a local server takes no IAM token')),
      region: async () => 'us-east-1',
    },
  );
  let restarts = 0;
  return {
    endpoint: faults.endpoint,
    connection: { ...real, client: observed(real.client, options) },
    injected: faults.injected,
    get restarts() {
      return restarts;
    },
    restart: async () => {
      await running.restart();
      restarts += 1;
    },
    stop: async () => {
      real.close();
      await faults.stop();
      await running.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

function observed(client: ValkeyScriptClient, options: SoakValkeyOptions): ValkeyScriptClient {
  const send = async (script: 'claim' | 'release' | 'other', run: () => Promise<unknown>, args: string[]) => {
    const invocation = currentInvocationId();
    if (invocation !== undefined && options.isDead(invocation)) throw new Error(`invocation ${invocation} is dead`);
    const answer = await run();
    const key = (args[0] ?? '').slice(VALKEY_KEY_PREFIX.length);
    if (script === 'release' && Number(answer) === 1) options.onReleased(key);
    if (script === 'claim' && Array.isArray(answer)) {
      // {applied, claimedBy, expiresAt, leaseUntil, deliveredAt} of the claim replaced (CLAIM_SCRIPT); ARGV[1] the eventID.
      const [applied, claimedBy, , , deliveredAt] = answer as unknown[];
      if (Number(applied) === 1 && typeof claimedBy === 'string' && claimedBy !== args[1] && deliveredAt === null) {
        options.onReleased(key);
      }
    }
    return answer;
  };
  return {
    evalsha: (sha, numKeys, ...args) =>
      send(SHAS.get(sha) ?? 'other', () => client.evalsha(sha, numKeys, ...args), args),
    eval: (script, numKeys, ...args) =>
      send(SHAS.get(sha1(script)) ?? 'other', () => client.eval(script, numKeys, ...args), args),
  };
}

function sha1(text: string): string {
  return createHash('sha1').update(text).digest('hex');
}

const SHAS = new Map<string, 'claim' | 'release'>([
  [sha1(CLAIM_SCRIPT), 'claim'],
  [sha1(RELEASE_SCRIPT), 'release'],
]);
