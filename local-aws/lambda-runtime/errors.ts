import type { SerializedError } from './protocol';

/**
 * A local Lambda invocation failed the way Lambda reports it: the handler threw (`Unhandled`), the module failed to
 * load (`Runtime.ImportModuleError`-like init error), the invocation timed out, or the runtime died.
 */
export class LambdaInvocationError extends Error {
  constructor(
    readonly functionName: string,
    /** The thrown error's name, like Lambda's `errorType`. */
    readonly errorType: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(`${functionName} failed: ${errorType}: ${message}`, options);
    this.name = 'LambdaInvocationError';
  }

  static fromSerialized(functionName: string, error: SerializedError): LambdaInvocationError {
    const cause = Object.assign(new Error(error.message), { name: error.name, stack: error.stack });
    return new LambdaInvocationError(functionName, error.name, error.message, { cause });
  }
}
