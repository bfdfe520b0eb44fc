/**
 * The paged replays of `$all`. `replayPages` (catch-up, rebuild): pages of at most `batchSize` events in
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
  /** 'fold': the store's lean read (no metadata, no recordedAt: placeholders), for folds from data alone */
  fields?: 'all' | 'fold';
}

/** One page of `$all` after `after`: at most `batchSize` events, filtered, with the fields asked for. */
export function readPage(
  store: EventStore,
  after: number,
  options: Omit<ReplayOptions, 'after'>,
): Promise<RecordedEvent[]> {
  const { batchSize, filter, fields } = options;
  return store.readAll({
    after,
    maxCount: batchSize,
    ...(filter ? { filter } : {}),
    ...(fields === 'fold' ? { fields } : {}),
  });
}

export async function* replayPages(
  store: EventStore,
  options: ReplayOptions,
): AsyncGenerator<readonly RecordedEvent[], void, undefined> {
  const { batchSize } = options;
  const read = (after: number): Promise<RecordedEvent[]> => readPage(store, after, options);
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

/** A page of a stream-order replay: whole streams, but for a stream longer than a page. */
export interface StreamPage {
  events: readonly RecordedEvent[];
  /** no stream of the page had events in an earlier page (false only after a stream longer than a page) */
  newStreams: boolean;
}

/** What a stream-order replay needs of the store (the optional `readAllByStream` of the port). */
export type StreamOrderReader = Required<Pick<EventStore, 'readAllByStream'>>;

/**
 * The events with position ≤ `upTo` (a head the store answered) in stream order, in pages of at
 * most `batchSize` cut after the last whole stream: a full page's last stream, which may go on in
 * the store, is left for the next page, so each stream comes whole in one page and each page's
 * streams are new to the reader. Only a stream longer than a page is cut inside (the next page
 * then says `newStreams: false`). The next page is read while the caller applies this one.
 * `fields: 'fold'` asks the store for its lean read (no metadata, no recordedAt: placeholders).
 */
export async function* streamOrderPages(
  store: StreamOrderReader,
  options: { upTo: number; batchSize: number; fields?: 'all' | 'fold' },
): AsyncGenerator<StreamPage, void, undefined> {
  const { upTo, batchSize } = options;
  const fields = options.fields ?? 'all';
  if (batchSize < 1) throw new RangeError(`batchSize must be at least 1, got ${batchSize}`);
  interface Cut {
    page: StreamPage;
    /** the key to read on from, or null at the end */
    after: { streamId: string; revision: number } | null;
  }
  const cut = (rows: readonly RecordedEvent[], newStreams: boolean): Cut => {
    const last = rows[rows.length - 1];
    if (!last || rows.length < batchSize) return { page: { events: rows, newStreams }, after: null };
    let end = rows.length;
    while (end > 0 && rows[end - 1]?.streamId === last.streamId) end -= 1;
    // one stream fills the page: it is cut here and goes on in the next page
    const events = end === 0 ? rows : rows.slice(0, end);
    const kept = events[events.length - 1];
    return {
      page: { events, newStreams },
      after: { streamId: kept.streamId, revision: kept.revision },
    };
  };
  const read = async (after: Cut['after'], newStreams: boolean): Promise<Cut> =>
    cut(
      await store.readAllByStream(
        after ? { upTo, maxCount: batchSize, after, fields } : { upTo, maxCount: batchSize, fields },
      ),
      newStreams,
    );
  let next: Promise<Cut> | null = read(null, true);
  try {
    while (next) {
      const { page, after } = await next;
      next = null;
      if (page.events.length === 0) return;
      if (after) {
        // a page cut inside its only stream: the next one starts inside that stream
        const inside = page.events.length >= batchSize && page.events[0]?.streamId === after.streamId;
        next = read(after, !inside);
        void next.catch(() => undefined);
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
