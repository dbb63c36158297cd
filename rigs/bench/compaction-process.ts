import { fork } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import type { CompactionJob, CompactionJobResult } from './compaction-worker';

/** Repository's node_modules: the bundled worker loads DuckDB's native binding from there. */
const NODE_MODULES = resolve(__dirname, '..', '..', 'node_modules');

/**
 * Runs one compaction in a fresh Node process: the worker bundled by esbuild (as NodejsFunction bundles the Lambda,
 * DuckDB left out and loaded from node_modules, as the Lambda loads it from its layer), so no TypeScript loader
 * counts in its memory or time.
 */
export async function runCompactionProcess(workDir: string, job: CompactionJob): Promise<CompactionJobResult> {
  const outfile = join(workDir, `bench-compaction-worker-${process.pid}.cjs`);
  await build({
    entryPoints: [join(__dirname, 'compaction-worker.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    external: ['@duckdb/node-api'],
    logLevel: 'silent',
  });
  const child = fork(outfile, [], {
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    env: { ...process.env, NODE_PATH: NODE_MODULES },
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
  try {
    return await new Promise<CompactionJobResult>((resolvePromise, reject) => {
      child.once('message', (message: CompactionJobResult | { kind: 'error'; message: string }) => {
        if (message.kind === 'error') reject(new Error(`the compaction worker failed: ${message.message}`));
        else resolvePromise(message);
      });
      child.once('exit', (code, signal) => {
        if (code !== 0) reject(new Error(`the compaction worker exited (${code ?? signal}): ${stderr}`));
      });
      child.send(job);
    });
  } finally {
    await rm(outfile, { force: true });
  }
}
