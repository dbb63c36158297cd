import type { InterceptedRequest, InterceptDecision, ProxyInterceptor } from './fault-proxy';
import { runAsInvocation } from './invocation-tag';
import { seededRandom } from './seeded-random';

/**
 * Where a checker invocation dies:
 * - `after-claim`: its claims are written, its first PutRecordBatch never reaches Firehose.
 * - `after-delivery`: Firehose applied its first PutRecordBatch, the answer never comes back.
 * - `before-return`: the handler finished its work, its result never reaches the event source.
 */
export type CrashPoint = 'after-claim' | 'after-delivery' | 'before-return';

export const CRASH_POINTS: readonly CrashPoint[] = ['after-claim', 'after-delivery', 'before-return'];

/** What the event source sees when an invocation died: a function error, so it redelivers the batch. */
export class InvocationCrashedError extends Error {
  constructor(
    readonly invocation: string,
    readonly point: CrashPoint,
  ) {
    super(`invocation ${invocation} crashed (${point})`);
    this.name = 'InvocationCrashedError';
  }
}

export interface CrashInjectorOptions {
  /** Probability that an invocation is planned to crash. */
  readonly crashRate: number;
  readonly seed: number;
  /** @default all of CRASH_POINTS */
  readonly points?: readonly CrashPoint[];
  /** At most this many invocations are planned to crash. @default unlimited */
  readonly maxCrashes?: number;
  /** The delivery call whose arrival and answer mark the crash points. @default PutRecordBatch */
  readonly deliveryOperation?: string;
}

export interface CrashFigures {
  readonly crashes: Readonly<Record<CrashPoint, number>>;
}

export interface CrashInjector extends CrashFigures {
  /** For the Firehose proxy: decides the delivery-time crash points, and shuts out dead invocations. */
  readonly deliveryInterceptor: ProxyInterceptor;
  /** For every other proxy: a dead invocation's requests never reach a service (a dead process sends nothing). */
  readonly deadInvocationInterceptor: ProxyInterceptor;
  /**
   * A function whose every call is one invocation: tagged (see invocation-tag.ts), maybe crashed, and, when it
   * crashes, abandoned at once with an InvocationCrashedError while its leftover work is shut out. Invocations run in
   * execution environments built by `createHandler` (a cold start): one invocation at a time each, reused while
   * warm, and a crashed one is thrown away with whatever it held in memory, as Lambda does.
   */
  wrap<A extends unknown[], R>(createHandler: () => (...args: A) => Promise<R>): (...args: A) => Promise<R>;
  /** Execution environments started so far. */
  readonly coldStarts: number;
  /** Waits until every abandoned invocation has stopped (their requests fail fast once shut out). */
  settle(): Promise<void>;
  /** Whether the invocation (INVOCATION_HEADER) crashed: what it delivered may be delivered again. */
  isDead(invocation: string): boolean;
}

interface InvocationState {
  readonly plan: CrashPoint | undefined;
  dead: boolean;
  readonly crash: (point: CrashPoint) => void;
}

export function createCrashInjector(options: CrashInjectorOptions): CrashInjector {
  const random = seededRandom(options.seed);
  const points = options.points ?? CRASH_POINTS;
  const deliveryOperation = options.deliveryOperation ?? 'PutRecordBatch';
  const crashes = Object.fromEntries(CRASH_POINTS.map((p) => [p, 0])) as Record<CrashPoint, number>;
  const invocations = new Map<string, InvocationState>();
  const abandoned = new Set<Promise<unknown>>();
  let counter = 0;
  let planned = 0;

  function drawPlan(): CrashPoint | undefined {
    // Two draws per invocation whatever the outcome, so the plan sequence depends only on the seed.
    const roll = random();
    const pick = random();
    if (roll >= options.crashRate || planned >= (options.maxCrashes ?? Infinity)) return undefined;
    planned += 1;
    return points[Math.floor(pick * points.length)];
  }

  const stateOf = (request: InterceptedRequest): InvocationState | undefined =>
    request.invocation === undefined ? undefined : invocations.get(request.invocation);

  const deadInvocationInterceptor: ProxyInterceptor = {
    before: (request) => (stateOf(request)?.dead ? 'reset' : 'pass'),
  };

  const deliveryInterceptor: ProxyInterceptor = {
    before(request): InterceptDecision {
      const state = stateOf(request);
      if (state === undefined) return 'pass';
      if (state.dead) return 'reset';
      if (state.plan === 'after-claim' && request.operation === deliveryOperation) {
        state.crash('after-claim');
        return 'reset';
      }
      return 'pass';
    },
    after(request): InterceptDecision {
      const state = stateOf(request);
      if (state === undefined || request.operation !== deliveryOperation) return 'pass';
      if (state.dead) return 'reset';
      if (state.plan === 'after-delivery') {
        state.crash('after-delivery');
        return 'reset';
      }
      return 'pass';
    },
  };

  let coldStarts = 0;

  function wrap<A extends unknown[], R>(createHandler: () => (...args: A) => Promise<R>): (...args: A) => Promise<R> {
    const warm: Array<(...args: A) => Promise<R>> = [];
    return async (...args) => {
      const handler =
        warm.pop() ??
        (() => {
          coldStarts += 1;
          return createHandler();
        })();
      counter += 1;
      const id = `invocation-${counter}`;
      const plan = drawPlan();
      let signalCrash: (error: InvocationCrashedError) => void = () => undefined;
      const crashed = new Promise<never>((_, reject) => {
        signalCrash = reject;
      });
      const state: InvocationState = {
        plan,
        dead: false,
        crash(point) {
          if (state.dead) return;
          state.dead = true;
          crashes[point] += 1;
          signalCrash(new InvocationCrashedError(id, point));
        },
      };
      invocations.set(id, state);
      const running = runAsInvocation(id, () => handler(...args));
      try {
        const result = await Promise.race([running, crashed]);
        if (plan === 'before-return') state.crash('before-return');
        if (state.dead) await crashed;
        warm.push(handler);
        return result;
      } catch (error) {
        if (state.dead) {
          // The work goes on in the background, shut out from every service; keep it from being unhandled.
          const leftover = running.then(
            () => undefined,
            () => undefined,
          );
          abandoned.add(leftover);
          void leftover.then(() => abandoned.delete(leftover));
        } else {
          warm.push(handler); // a function error is not a crash: the environment lives on
        }
        throw error;
      } finally {
        // The id stays known while leftover work may still send requests under it: forget only live ones.
        if (!state.dead) invocations.delete(id);
      }
    };
  }

  return {
    deliveryInterceptor,
    deadInvocationInterceptor,
    wrap,
    settle: async () => {
      while (abandoned.size > 0) await Promise.all([...abandoned]);
    },
    get crashes() {
      return crashes;
    },
    get coldStarts() {
      return coldStarts;
    },
    isDead: (invocation) => invocations.get(invocation)?.dead ?? false,
  };
}
