/**
 * Calls `fn` on every item, at most `concurrency` calls at once: that many workers each take the
 * next item as their call ends, so items start in their order. Answers the results in the items'
 * order. `fn` is told which worker runs it (0 … concurrency − 1), so a caller can give each worker
 * its own resource, such as a database session.
 *
 * The first failure stops the taking of items: the calls still running are awaited (none is left
 * working behind the caller's back), then that failure is thrown; later failures of those calls are
 * dropped, and items not yet taken are never called.
 */
export async function mapConcurrently<T, R>(
  items: readonly T[],
  concurrency: number,
  fn: (item: T, index: number, worker: number) => Promise<R>,
): Promise<R[]> {
  if (!Number.isSafeInteger(concurrency) || concurrency < 1)
    throw new Error(`concurrency must be an integer >= 1, got ${concurrency}`);
  const results = new Array<R>(items.length);
  let next = 0;
  let failure: { error: unknown } | undefined;
  const work = async (worker: number): Promise<void> => {
    while (!failure && next < items.length) {
      const index = next++;
      try {
        results[index] = await fn(items[index], index, worker);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, (_, worker) => work(worker)));
  if (failure) throw failure.error;
  return results;
}
