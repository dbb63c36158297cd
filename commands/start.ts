import './shared/sdk-node-warning';
import { runCli } from './start/run-start';

/**
 * `npm start`: the whole pipeline on this machine. Ctrl-C (SIGINT) or SIGTERM stops the local servers and removes a
 * temporary lake before exiting.
 */
let stop: (() => Promise<void>) | undefined;
for (const [signal, code] of [
  ['SIGINT', 130],
  ['SIGTERM', 143],
] as const) {
  process.once(signal, () => {
    process.stderr.write(`\n${signal}: stopping the local servers…\n`);
    void (stop?.() ?? Promise.resolve()).finally(() => process.exit(code));
  });
}

runCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  onInterruptible: (fn) => (stop = fn),
}).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  },
);
