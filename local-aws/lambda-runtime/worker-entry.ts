import type { Context } from 'aws-lambda';
import { createRequire } from 'node:module';
import { parentPort, workerData } from 'node:worker_threads';
import { createLambdaContext } from './lambda-context';
import { serializeError, type HostMessage, type WorkerInit, type WorkerMessage } from './protocol';

/**
 * Runs inside a worker thread: the local execution environment of one Lambda function. The worker was started with
 * the function's own environment variables, so the handler module reads them at load exactly as in Lambda, and a
 * fresh worker is a cold start with fresh module state (SDK clients, cached config).
 */
type Handler = (event: unknown, context: Context) => Promise<unknown>;

const init = workerData as WorkerInit;
const port = parentPort;
if (port === null) throw new Error('worker-entry must run in a worker thread');

const post = (message: WorkerMessage): void => port.postMessage(message);

function loadHandler(): Handler {
  // createRequire keeps the handler on the CommonJS path that tsx registered in this worker.
  const loaded = createRequire(__filename)(init.modulePath) as Record<string, unknown>;
  const handler = loaded[init.exportName];
  if (typeof handler !== 'function') {
    throw new TypeError(`${init.modulePath} does not export a function named "${init.exportName}"`);
  }
  return handler as Handler;
}

let handler: Handler | undefined;
try {
  handler = loadHandler();
  post({ type: 'ready' });
} catch (error) {
  post({ type: 'init-error', error: serializeError(error) });
}

port.on('message', (message: HostMessage) => {
  if (message.type === 'shutdown') process.exit(0);
  if (message.type !== 'invoke' || handler === undefined) return;
  const context = createLambdaContext(init.functionName, init.timeoutMs);
  const run = handler;
  // Promise.resolve().then also turns a synchronous throw into a function error, as the Node.js runtime does.
  Promise.resolve()
    .then(() => run(message.event, context))
    .then(
      (result) => post({ type: 'result', id: message.id, result }),
      (error: unknown) => post({ type: 'error', id: message.id, error: serializeError(error) }),
    );
});
