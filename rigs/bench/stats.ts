/**
 * The little statistics the bench needs. Absolute times on a shared 2-core machine drift from run to run, so every
 * timed figure is the median of repeated runs, and comparisons are ratios of medians taken in the same process.
 */

/** The median of some numbers (the mean of the two middle ones for an even count). */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new RangeError('median of no values');
  for (const v of values) {
    if (!Number.isFinite(v)) throw new RangeError(`median of a non-finite value: ${v}`);
  }
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

/** `numerator / denominator`, refusing a zero or negative denominator instead of returning Infinity or NaN. */
export function ratio(numerator: number, denominator: number): number {
  if (!(denominator > 0)) throw new RangeError(`ratio with a non-positive denominator: ${denominator}`);
  return numerator / denominator;
}

/** Rounds to a number of significant digits, so the JSON output does not carry timer noise as precision. */
export function significant(value: number, digits = 4): number {
  if (value === 0 || !Number.isFinite(value)) return value;
  return Number(value.toPrecision(digits));
}

/** Milliseconds since an arbitrary origin, with sub-millisecond resolution. */
export function nowMs(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}

/** Runs `work` once and returns its result with the wall time it took. */
export async function timed<T>(work: () => Promise<T>): Promise<{ result: T; ms: number }> {
  const start = nowMs();
  const result = await work();
  return { result, ms: nowMs() - start };
}

/**
 * Runs `work` `runs` times, one after the other, and returns every run's wall time and result. `prepare` runs before
 * each run and is not timed (fresh tables, fresh sinks), so each run starts from the same state.
 */
export async function repeatTimed<S, T>(
  runs: number,
  prepare: (run: number) => Promise<S>,
  work: (state: S, run: number) => Promise<T>,
): Promise<{ times: number[]; results: T[] }> {
  if (!Number.isInteger(runs) || runs < 1) throw new RangeError(`runs must be a positive integer, received ${runs}`);
  const times: number[] = [];
  const results: T[] = [];
  for (let run = 0; run < runs; run++) {
    const state = await prepare(run);
    const { result, ms } = await timed(() => work(state, run));
    times.push(ms);
    results.push(result);
  }
  return { times, results };
}
