/** Messages between a LocalFunction (main thread) and its worker: the local stand-in for the Lambda Runtime API. */
export interface WorkerInit {
  /** Absolute path of the handler module (TypeScript, loaded through tsx). */
  readonly modulePath: string;
  readonly exportName: string;
  readonly functionName: string;
  readonly timeoutMs: number;
}

export interface SerializedError {
  readonly name: string;
  readonly message: string;
  readonly stack?: string;
}

export type HostMessage =
  | { readonly type: 'invoke'; readonly id: number; readonly event: unknown }
  /** Exit on your own, so that everything printed so far reaches the host (terminate() may drop it). */
  | { readonly type: 'shutdown' };

export type WorkerMessage =
  | { readonly type: 'ready' }
  | { readonly type: 'init-error'; readonly error: SerializedError }
  | { readonly type: 'result'; readonly id: number; readonly result: unknown }
  | { readonly type: 'error'; readonly id: number; readonly error: SerializedError };

export function serializeError(error: unknown): SerializedError {
  if (error instanceof Error) {
    return { name: error.name, message: error.message, ...(error.stack ? { stack: error.stack } : {}) };
  }
  return { name: 'Error', message: String(error) };
}
