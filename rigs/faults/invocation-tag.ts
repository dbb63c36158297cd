import { AsyncLocalStorage } from 'node:async_hooks';
import type { BuildMiddleware, MiddlewareStack } from '@smithy/types';

/**
 * Tags every request an SDK client sends with the id of the simulated Lambda invocation that sent it, so a fault
 * proxy can tell one invocation's traffic from another's although they all run in this one process and share the
 * handler's SDK clients (built once per "cold start", as in Lambda). Crash injection needs it: once an invocation
 * is declared dead, its remaining requests must never reach a service.
 *
 * The id travels in AsyncLocalStorage, so it follows the invocation through every await inside the SDK.
 */
export const INVOCATION_HEADER = 'x-ctr-lake-invocation';

const currentInvocation = new AsyncLocalStorage<string>();

/** Runs `work` as invocation `id`: every request a tagged client sends on its behalf carries the id. */
export function runAsInvocation<T>(id: string, work: () => Promise<T>): Promise<T> {
  return currentInvocation.run(id, work);
}

/** The invocation the caller runs in, if any. */
export function currentInvocationId(): string | undefined {
  return currentInvocation.getStore();
}

/**
 * Adds the tagging middleware to a client's middleware stack (`tagInvocations(client.middlewareStack)`); idempotent,
 * it is named and overridden. The build step runs once per command, before signing and retries, so every attempt of
 * the command carries the header.
 */
export function tagInvocations<Input extends object, Output extends object>(
  stack: MiddlewareStack<Input, Output>,
): void {
  const tag: BuildMiddleware<Input, Output> = (next) => async (args) => {
    const id = currentInvocation.getStore();
    const request = args.request as { headers?: Record<string, string> } | undefined;
    if (id !== undefined && request?.headers !== undefined) request.headers[INVOCATION_HEADER] = id;
    return next(args);
  };
  stack.add(tag, { step: 'build', name: 'ctrLakeInvocationTag', override: true });
}

/**
 * Names one HTTP attempt of one SDK command, identically on the client (the request it sends) and in a proxy (the
 * request it receives): the SDK's per-command `amz-sdk-invocation-id` plus its per-attempt `amz-sdk-request`
 * (`attempt=2; max=3`). Joining the two ends tells exactly which attempts a service applied but the client saw fail.
 */
export function attemptIdOf(headers: Readonly<Record<string, string | string[] | undefined>>): string | undefined {
  const command = headers['amz-sdk-invocation-id'];
  const attempt = headers['amz-sdk-request'];
  return typeof command === 'string' && typeof attempt === 'string' ? `${command} ${attempt}` : undefined;
}
