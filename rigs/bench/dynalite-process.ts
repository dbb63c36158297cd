import { fork } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import type { LocalServer } from '../../local-aws/servers/local-server';

/** Starts dynalite in a child process (through tsx, like `npm run bench` itself) and resolves once it listens. */
export async function startDynaliteProcess(): Promise<LocalServer> {
  const child = fork(join(__dirname, 'dynalite-entry.ts'), [], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  const exited = once(child, 'exit');
  let listening = false;
  const diedEarly = exited.then(([code]) => {
    if (!listening) throw new Error(`dynalite exited (code ${String(code)}) before listening`);
  });
  const [message] = (await Promise.race([once(child, 'message'), diedEarly])) as [{ endpoint: string }];
  listening = true;
  let stopped: Promise<void> | undefined;
  return {
    name: 'dynalite-process',
    endpoint: message.endpoint,
    stop: () => {
      stopped ??= (async () => {
        if (child.exitCode === null && child.signalCode === null) {
          child.kill('SIGTERM');
          await exited;
        }
      })();
      return stopped;
    },
  };
}
