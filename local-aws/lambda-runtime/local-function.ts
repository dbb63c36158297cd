import { Worker } from 'node:worker_threads';
import { addTotals, parseEmfLine, type MetricTotals } from './emf';
import { LambdaInvocationError } from './errors';
import type { HostMessage, WorkerInit, WorkerMessage } from './protocol';

export interface LocalFunctionOptions {
  /** The function name, e.g. `ctr-lake-local-checker`. */
  readonly functionName: string;
  /** Absolute path of the handler module. */
  readonly modulePath: string;
  /** @default 'handler' */
  readonly exportName?: string;
  /** The function's whole environment: nothing from the calling process leaks in unless it is listed here. */
  readonly environment: Readonly<Record<string, string>>;
  /** Like the function's timeout: an invocation that runs longer fails with a timeout error. @default 60 000 ms */
  readonly timeoutMs?: number;
  /** Every non-metric line the function prints (Powertools logs). @default discarded */
  readonly onLog?: (line: string, functionName: string) => void;
}

// Registers tsx in the fresh worker, then loads the typed entry point: the worker has its own module registry, so the
// handler is loaded from scratch with this function's environment.
const BOOTSTRAP = `
const { workerData } = require('node:worker_threads');
require(workerData.tsxCjsApi).register();
require(workerData.entry);
`;

interface Pending {
  resolve(value: unknown): void;
  reject(error: Error): void;
  timer: NodeJS.Timeout;
}

/**
 * One Lambda function run locally: an execution environment (a worker thread) started on first use, invoked with
 * structured-clone copies of events as Lambda passes JSON, and restarted (a new cold start) if the runtime dies.
 * Powertools EMF output is read from the worker's stdout and totalled in `metrics`, so it never reaches the console.
 */
export class LocalFunction {
  readonly functionName: string;
  /** Totals of every EMF metric the function printed. */
  readonly metrics: MetricTotals = {};
  invocations = 0;
  coldStarts = 0;

  private worker: Worker | undefined;
  private ready: Promise<void> | undefined;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;

  constructor(private readonly options: LocalFunctionOptions) {
    this.functionName = options.functionName;
  }

  /** Starts the execution environment (loads the handler module) unless it is running. */
  start(): Promise<void> {
    this.ready ??= this.spawn();
    return this.ready;
  }

  async invoke<TResult = unknown>(event: unknown): Promise<TResult> {
    await this.start();
    const worker = this.worker!;
    const id = this.nextId++;
    this.invocations += 1;
    const timeoutMs = this.options.timeoutMs ?? 60_000;
    return new Promise<TResult>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(
          new LambdaInvocationError(this.functionName, 'Sandbox.Timedout', `Task timed out after ${timeoutMs} ms`),
        );
      }, timeoutMs);
      this.pending.set(id, { resolve: (value) => resolve(value as TResult), reject, timer });
      const message: HostMessage = { type: 'invoke', id, event };
      worker.postMessage(message);
    });
  }

  /** Ends the environment. It is asked to exit by itself first, so its last output (metrics) is not lost. */
  async stop(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    this.ready = undefined;
    if (!worker) return;
    const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
    const shutdown: HostMessage = { type: 'shutdown' };
    worker.postMessage(shutdown);
    const timer = setTimeout(() => void worker.terminate(), 2_000);
    await exited;
    clearTimeout(timer);
  }

  private async spawn(): Promise<void> {
    const init: WorkerInit = {
      modulePath: this.options.modulePath,
      exportName: this.options.exportName ?? 'handler',
      functionName: this.functionName,
      timeoutMs: this.options.timeoutMs ?? 60_000,
    };
    const worker = new Worker(BOOTSTRAP, {
      eval: true,
      env: { ...this.options.environment },
      stdout: true,
      stderr: true,
      workerData: { ...init, tsxCjsApi: require.resolve('tsx/cjs/api'), entry: require.resolve('./worker-entry') },
    });
    this.worker = worker;
    this.coldStarts += 1;
    this.captureOutput(worker);
    worker.on('message', (message: WorkerMessage) => this.onMessage(message));
    worker.on('error', (error) => this.onRuntimeExit(worker, error));
    worker.on('exit', (code) => this.onRuntimeExit(worker, new Error(`runtime exited with code ${code}`)));

    const message = await firstMessage(worker);
    if (message.type === 'init-error') {
      await this.stop();
      throw LambdaInvocationError.fromSerialized(this.functionName, message.error);
    }
  }

  private onMessage(message: WorkerMessage): void {
    if (message.type !== 'result' && message.type !== 'error') return;
    const pending = this.pending.get(message.id);
    if (!pending) return; // timed out already
    this.pending.delete(message.id);
    clearTimeout(pending.timer);
    if (message.type === 'result') pending.resolve(message.result);
    else pending.reject(LambdaInvocationError.fromSerialized(this.functionName, message.error));
  }

  /** A crashed runtime fails its in-flight invocations; the next invoke starts a new environment. */
  private onRuntimeExit(worker: Worker, cause: Error): void {
    if (this.worker === worker) {
      this.worker = undefined;
      this.ready = undefined;
    }
    for (const [id, pending] of this.pending) {
      clearTimeout(pending.timer);
      this.pending.delete(id);
      pending.reject(new LambdaInvocationError(this.functionName, 'Runtime.ExitError', cause.message, { cause }));
    }
  }

  private captureOutput(worker: Worker): void {
    for (const stream of [worker.stdout, worker.stderr]) {
      let partial = '';
      stream.setEncoding('utf8');
      stream.on('data', (chunk: string) => {
        const lines = (partial + chunk).split('\n');
        partial = lines.pop() ?? '';
        for (const line of lines) this.onLine(line);
      });
      stream.on('end', () => {
        if (partial) this.onLine(partial);
        partial = '';
      });
    }
  }

  private onLine(line: string): void {
    const metrics = parseEmfLine(line);
    if (metrics) addTotals(this.metrics, metrics);
    else if (line.trim() !== '') this.options.onLog?.(line, this.functionName);
  }
}

/** The worker's first message (ready or init error); rejects if it dies before saying anything. */
function firstMessage(worker: Worker): Promise<WorkerMessage> {
  return new Promise((resolve, reject) => {
    const onExit = (code: number): void =>
      reject(new Error(`the function runtime exited with code ${code} during init`));
    worker.once('error', reject);
    worker.once('exit', onExit);
    worker.once('message', (message: WorkerMessage) => {
      worker.off('error', reject);
      worker.off('exit', onExit);
      resolve(message);
    });
  });
}
