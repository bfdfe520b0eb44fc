/**
 * The one paged replay of `$all` (catch-up, rebuild): pages of at most `batchSize` events in
 * position order, the next page read while the caller applies this one. A page shorter than
 * `batchSize` is the end as the store sees it now: the replay ends there (a live subscription or
 * a second replay takes over).
 */
import type { AllFilter, EventStore, RecordedEvent } from '../shared/event-store';

export interface ReplayOptions {
  /** exclusive: events with position > after */
  after: number;
  batchSize: number;
  filter?: AllFilter;
}

export async function* replayPages(
  store: EventStore,
  options: ReplayOptions,
): AsyncGenerator<readonly RecordedEvent[], void, undefined> {
  const { batchSize, filter } = options;
  const read = (after: number): Promise<RecordedEvent[]> =>
    store.readAll(filter ? { after, maxCount: batchSize, filter } : { after, maxCount: batchSize });
  let next: Promise<RecordedEvent[]> | null = read(options.after);
  try {
    while (next) {
      const page = await next;
      next = null;
      const last = page[page.length - 1];
      if (!last) return;
      if (page.length >= batchSize) {
        next = read(last.position);
        void next.catch(() => undefined); // awaited on the next turn; not unhandled if the caller leaves first
      }
      yield page;
    }
  } finally {
    void next?.catch(() => undefined);
  }
}

/**
 * Gives every page of `pages` to each of `consumers`, in order, each at its own pace: a page is
 * read once however many consume it, and the reader stays at most `ahead` pages ahead of the
 * slowest consumer (memory: about `ahead` + 2 pages per consumer). The first failure (of the
 * reader or of a consumer) stops everyone after what they are doing and is thrown; pages not yet
 * read are not read.
 */
export async function sharePages<T>(
  pages: AsyncIterable<T>,
  consumers: readonly ((page: T) => Promise<void>)[],
  ahead = 1,
): Promise<void> {
  const queues: T[][] = consumers.map(() => []);
  let ended = false;
  let failure: { error: unknown } | null = null;
  let waiters: (() => void)[] = [];
  const changed = (): void => {
    const woken = waiters;
    waiters = [];
    for (const wake of woken) wake();
  };
  const changes = (): Promise<void> => new Promise((resolve) => waiters.push(resolve));
  const fail = (error: unknown): void => {
    failure ??= { error };
    changed();
  };
  const reader = async (): Promise<void> => {
    try {
      for await (const page of pages) {
        while (!failure && queues.some((q) => q.length >= ahead)) await changes();
        if (failure) return; // leaving the loop ends the source (its finally runs)
        for (const queue of queues) queue.push(page);
        changed();
      }
    } catch (error) {
      fail(error);
    } finally {
      ended = true;
      changed();
    }
  };
  const worker = async (consume: (page: T) => Promise<void>, queue: T[]): Promise<void> => {
    try {
      for (;;) {
        while (!failure && queue.length === 0 && !ended) await changes();
        if (failure || queue.length === 0) return;
        const page = queue.shift() as T;
        changed(); // room for the reader
        await consume(page);
      }
    } catch (error) {
      fail(error);
    }
  };
  await Promise.all([reader(), ...consumers.map((consume, i) => worker(consume, queues[i] ?? []))]);
  if (failure) throw (failure as { error: unknown }).error;
}
