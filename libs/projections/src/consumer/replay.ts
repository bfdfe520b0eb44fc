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
