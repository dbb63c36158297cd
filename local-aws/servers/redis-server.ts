import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { createConnection } from 'node:net';
import { delimiter, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort, type LocalServer } from './local-server';

/** The server programs that speak the protocol, in the order they are looked for on the PATH. */
const SERVER_PROGRAMS = ['valkey-server', 'redis-server'] as const;

/** The one line a person needs when no server is installed. */
export const REDIS_INSTALL_HINT =
  'the Valkey dedup store needs redis-server (or valkey-server) on the PATH: install it with ' +
  '`sudo apt-get install redis-server` (Debian/Ubuntu) or `brew install valkey` (macOS)';

export class RedisServerNotInstalledError extends Error {
  constructor() {
    super(REDIS_INSTALL_HINT);
    this.name = 'RedisServerNotInstalledError';
  }
}

/** The path of the first Valkey or Redis server program on the PATH, if any. */
export function findRedisServer(path: string = process.env.PATH ?? ''): string | undefined {
  for (const program of SERVER_PROGRAMS) {
    for (const dir of path.split(delimiter)) {
      const candidate = join(dir, program);
      if (dir && existsSync(candidate)) return candidate;
    }
  }
  return undefined;
}

export interface RedisServerOptions {
  /**
   * Directory the server keeps its append-only file in, so its keys survive a restart (the lake's state
   * directory). @default in memory only
   */
  readonly dir?: string;
  /** How long to wait for the server to answer PING. @default 30 000 ms */
  readonly startTimeoutMs?: number;
}

/** A local Valkey/Redis server: `endpoint` is `redis://127.0.0.1:<port>`; `restart()` keeps port and data. */
export interface RedisServer extends LocalServer {
  readonly port: number;
  /** Stops the process and starts it again on the same port and directory, as a failover would. */
  restart(): Promise<void>;
}

/**
 * Starts Debian's redis-server (or valkey-server) on 127.0.0.1 on a free port, with no RDB snapshots, and with an
 * append-only file fsynced every write when `dir` is given (dedup claims must not be lost by a restart of the
 * local server; ElastiCache Serverless replicates them across zones instead). Throws RedisServerNotInstalledError
 * when neither program is installed.
 */
export async function startRedisServer(options: RedisServerOptions = {}): Promise<RedisServer> {
  const program = findRedisServer();
  if (!program) throw new RedisServerNotInstalledError();
  if (options.dir) await mkdir(options.dir, { recursive: true });
  const port = await freePort();
  const args = [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--save',
    '',
    '--daemonize',
    'no',
    ...(options.dir
      ? ['--dir', options.dir, '--appendonly', 'yes', '--appendfsync', 'always']
      : ['--appendonly', 'no']),
  ];

  let child: ChildProcess | undefined;
  let stopped: Promise<void> | undefined;
  const stopChild = async (): Promise<void> => {
    const running = child;
    if (!running || running.exitCode !== null || running.signalCode !== null) return;
    const exited = once(running, 'exit');
    running.kill('SIGTERM');
    await exited;
  };
  const launch = async (): Promise<void> => {
    const started = spawn(program, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    child = started;
    let output = '';
    started.stdout?.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-2000)));
    started.stderr?.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-2000)));
    const deadline = Date.now() + (options.startTimeoutMs ?? 30_000);
    for (;;) {
      if (started.exitCode !== null) {
        throw new Error(`${program} exited with code ${started.exitCode} before answering: ${output.slice(-500)}`);
      }
      if (await answersPing(port)) return;
      if (Date.now() > deadline) throw new Error(`${program} did not answer on port ${port} within the start timeout`);
      await sleep(50);
    }
  };

  try {
    await launch();
  } catch (error) {
    await stopChild();
    throw error;
  }
  return {
    name: program.endsWith('valkey-server') ? 'valkey-server' : 'redis-server',
    endpoint: `redis://127.0.0.1:${port}`,
    port,
    restart: async () => {
      await stopChild();
      await launch();
    },
    stop: () => {
      stopped ??= stopChild();
      return stopped;
    },
  };
}

/** One PING over a fresh connection: true on `+PONG`. */
function answersPing(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    let answer = '';
    const done = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1000, () => done(false));
    socket.on('error', () => done(false));
    socket.on('connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk) => {
      answer += chunk.toString();
      if (answer.includes('\r\n')) done(answer.startsWith('+PONG'));
    });
  });
}
