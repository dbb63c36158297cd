import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { build } from 'esbuild';
import type { RunFailure, RunRequest, RunResult } from './checker-worker';

/**
 * Bundles checker-worker.ts into one CommonJS file, as the CDK's NodejsFunction bundles a handler for Lambda, so the
 * worker starts without a TypeScript loader in its memory or on its CPU.
 */
export async function bundleCheckerWorker(outDir: string): Promise<string> {
  const outfile = join(outDir, 'checker-worker.cjs');
  await build({
    entryPoints: [join(__dirname, 'checker-worker.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    logLevel: 'silent',
  });
  return outfile;
}

/** One checker worker process: requests go one at a time, each answered by a result or a failure. */
export class CheckerProcess {
  private stderr = '';
  private pending: { resolve(result: RunResult): void; reject(error: Error): void } | undefined;
  private exited = false;

  private constructor(private readonly child: ChildProcess) {
    child.stderr?.on('data', (chunk: Buffer) => {
      // Keep the tail only: enough to explain a crash.
      this.stderr = (this.stderr + chunk.toString()).slice(-4000);
    });
    child.on('message', (message: RunResult | RunFailure) => {
      const pending = this.pending;
      this.pending = undefined;
      if (message.kind === 'error') pending?.reject(new Error(`the checker worker failed: ${message.message}`));
      else pending?.resolve(message);
    });
    child.on('exit', (code, signal) => {
      this.exited = true;
      this.pending?.reject(new Error(`the checker worker exited (${code ?? signal}): ${this.stderr}`));
      this.pending = undefined;
    });
  }

  static start(bundle: string, env: Readonly<Record<string, string | undefined>> = {}): CheckerProcess {
    const child = fork(bundle, [], {
      // stdout carries the checker's logs and EMF metrics: discarded, as the bench prints its own table.
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      env: { ...process.env, ...env },
    });
    return new CheckerProcess(child);
  }

  run(request: Omit<RunRequest, 'kind'>): Promise<RunResult> {
    if (this.exited) return Promise.reject(new Error(`the checker worker is gone: ${this.stderr}`));
    if (this.pending) return Promise.reject(new Error('the checker worker is busy'));
    return new Promise<RunResult>((resolve, reject) => {
      this.pending = { resolve, reject };
      this.child.send({ kind: 'run', ...request } satisfies RunRequest);
    });
  }

  async stop(): Promise<void> {
    if (this.exited) return;
    const exited = once(this.child, 'exit');
    this.child.kill('SIGTERM');
    await exited;
  }
}
