import { setTimeout as sleep } from 'node:timers/promises';
import { seededRandom } from './seeded-random';

/**
 * - `throw`: the transform invocation fails with a function error (an uncaught exception, out of memory).
 * - `timeout`: the invocation runs past its timeout; Lambda discards whatever it would have answered.
 * Either way Firehose sees a failed invocation and retries it (the processor's NumberOfRetries), then writes the
 * records under the error prefix with a `Lambda.*` error code.
 */
export type TransformFaultKind = 'throw' | 'timeout';

export const TRANSFORM_FAULT_KINDS: readonly TransformFaultKind[] = ['throw', 'timeout'];

export interface TransformFaultOptions {
  readonly faultRate: number;
  readonly seed: number;
  /** @default both */
  readonly kinds?: readonly TransformFaultKind[];
  /** How long a timed-out invocation runs before Lambda gives up on it. @default 200 ms */
  readonly timeoutMs?: number;
}

export interface FaultyTransform<E, R> {
  /** The transform as Firehose invokes it, with faults drawn from the seed. */
  readonly invoke: (event: E) => Promise<R>;
  readonly injected: Readonly<Record<TransformFaultKind, number>>;
  /** Turns injection off, e.g. for the operator's re-drive once the cause is fixed. */
  setEnabled(enabled: boolean): void;
}

/** Wraps a transform function so that invocations fail as a Lambda function can: thrown error or timeout. */
export function injectTransformFaults<E, R>(
  transform: (event: E) => Promise<R>,
  options: TransformFaultOptions,
): FaultyTransform<E, R> {
  const random = seededRandom(options.seed);
  const kinds = options.kinds ?? TRANSFORM_FAULT_KINDS;
  const injected = Object.fromEntries(TRANSFORM_FAULT_KINDS.map((kind) => [kind, 0])) as Record<
    TransformFaultKind,
    number
  >;
  let enabled = true;

  const invoke = async (event: E): Promise<R> => {
    // Two draws per invocation whatever the outcome: the fault sequence depends only on the seed.
    const roll = random();
    const pick = random();
    const kind = enabled && roll < options.faultRate ? kinds[Math.floor(pick * kinds.length)] : undefined;
    if (kind === undefined) return transform(event);
    injected[kind] += 1;
    if (kind === 'throw') throw new Error('injected transform failure: the function threw');
    // The function runs, but its answer comes too late: Lambda reports a timeout instead.
    const timeoutMs = options.timeoutMs ?? 200;
    await Promise.all([transform(event), sleep(timeoutMs)]);
    throw new Error(`injected transform failure: Task timed out after ${(timeoutMs / 1000).toFixed(2)} seconds`);
  };

  return {
    invoke,
    injected,
    setEnabled: (value) => {
      enabled = value;
    },
  };
}
