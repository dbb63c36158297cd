/**
 * Maps `items` through `task` with at most `limit` tasks in flight, keeping results in input order. The claims of a
 * batch are independent writes: running them concurrently cuts the invocation's latency from N round trips to about
 * N/limit, while the limit keeps one shard's consumer from bursting a table's partition.
 */
export async function mapWithConcurrency<T, R>(
  items: readonly T[],
  limit: number,
  task: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  if (!Number.isInteger(limit) || limit < 1)
    throw new RangeError(`limit must be a positive integer, received ${limit}`);
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await task(items[index] as T, index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
