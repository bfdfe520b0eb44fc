/**
 * The live subscriptions' shared window on the newest part of `$all`. Every consumer of the engine
 * (each read model, each delivery) follows `$all` live; without this each of them read its own page
 * after every wake-up — the same rows, read, sent and parsed once per consumer. Here one unfiltered
 * page is read per wake-up for all of them, kept in memory (at most `capacity` events), and each
 * subscription takes from it what its filter matches.
 *
 * The window holds every event readers may see in (start, end] — a page of `readPage`, whose events
 * are a gap-free prefix of `$all` (docs/event-store.md) — so serving from it is the same as reading:
 * a subscription caught up with it is told `end` as the head. A wake-up marks the window stale: the
 * next subscription to read after it refreshes it (one read, shared by any that ask meanwhile).
 * Readers behind the window (catch-up) read the store directly.
 */
import type { AllFilter, RecordedEvent } from '../event-store.port';
import type { EventPage } from './postgres-all.subscription';

export class SharedTail {
  private events: RecordedEvent[] = [];
  /** the window is every visible event in (start, end]; empty until the first read */
  private start = -1;
  private end = -1;
  private wakes = 0;
  private wakesAtRefresh = -1;
  /** the refresh under way: true when its read reached the visible head (not a full page) */
  private refreshing: Promise<boolean> | undefined;

  constructor(
    /** reads a page of `$all` (filtered when `filter` is given) with the head of its snapshot */
    private readonly read: (after: number, limit: number, filter?: AllFilter) => Promise<EventPage>,
    private readonly pageSize: number,
    private readonly capacity = 2000,
  ) {}

  /** New events may have been committed: the next read refreshes the window. */
  woken(): void {
    this.wakes += 1;
  }

  async readPage(after: number, limit: number, filter: AllFilter | undefined): Promise<EventPage> {
    if (this.start < 0) this.start = this.end = after;
    if (after < this.start) return this.read(after, limit, filter);
    for (;;) {
      const page = this.serve(after, limit, filter);
      // A full page, or a window read since the last wake-up: the same as a read of the store now.
      if (page.events.length >= limit || (this.wakesAtRefresh === this.wakes && after < this.end))
        return page;
      await this.refresh();
      if (after < this.start) return this.read(after, limit, filter);
      const fresh = this.serve(after, limit, filter);
      if (fresh.events.length > 0 || this.wakesAtRefresh === this.wakes) return fresh;
    }
  }

  /**
   * The events in (after, before) matching `filter` (at most `maxCount`) when the window holds all of
   * them — it starts at or before `after` and ends at or after `before - 1` — else undefined.
   */
  covering(
    after: number,
    before: number,
    filter: AllFilter | undefined,
    maxCount = Number.MAX_SAFE_INTEGER,
  ): RecordedEvent[] | undefined {
    if (this.start < 0 || after < this.start || this.end < before - 1) return undefined;
    return this.slice(after, before, filter, maxCount);
  }

  /**
   * As a read of the store now would answer for (after, before): from the window when it holds the
   * range, else after a refresh begun after this call (one read, shared with the subscriptions, which
   * would read those events on their next wake-up anyway) — whose window then holds every event
   * visible now, up to `before - 1` or to the visible head if that is lower (events of transactions
   * still in flight, which no read could return either). Undefined when the window cannot answer:
   * nothing read yet, a range starting before the window, or a refresh that stopped at a full page.
   */
  async recent(
    after: number,
    before: number,
    filter: AllFilter | undefined,
    maxCount = Number.MAX_SAFE_INTEGER,
  ): Promise<RecordedEvent[] | undefined> {
    const held = this.covering(after, before, filter, maxCount);
    if (held || this.start < 0 || after < this.start) return held;
    // a refresh already under way may have read before this call: wait for it, then look again
    if (this.refreshing) {
      await this.refreshing;
      const fresh = this.covering(after, before, filter, maxCount);
      if (fresh || after < this.start) return fresh;
    }
    const reachedHead = await this.refresh();
    if (after < this.start) return undefined;
    return reachedHead || this.end >= before - 1 ? this.slice(after, before, filter, maxCount) : undefined;
  }

  private slice(
    after: number,
    before: number,
    filter: AllFilter | undefined,
    maxCount: number,
  ): RecordedEvent[] {
    const events: RecordedEvent[] = [];
    for (let i = this.firstAfter(after); i < this.events.length && events.length < maxCount; i++) {
      const event = this.events[i];
      if (event.position >= before) break;
      if (matches(event, filter)) events.push(event);
    }
    return events;
  }

  private serve(after: number, limit: number, filter: AllFilter | undefined): EventPage {
    const events: RecordedEvent[] = [];
    for (let i = this.firstAfter(after); i < this.events.length && events.length < limit; i++)
      if (matches(this.events[i], filter)) events.push(this.events[i]);
    return { events, head: this.end };
  }

  /** index of the first event after `position` (binary search: positions ascend) */
  private firstAfter(position: number): number {
    let low = 0;
    let high = this.events.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (this.events[mid].position <= position) low = mid + 1;
      else high = mid;
    }
    return low;
  }

  private refresh(): Promise<boolean> {
    this.refreshing ??= (async () => {
      const wakes = this.wakes;
      try {
        const page = await this.read(this.end, this.pageSize);
        const last = page.events.at(-1)?.position ?? this.end;
        this.events.push(...page.events);
        // a full page may stop short of the head: the window ends at its last event then
        this.end = page.events.length >= this.pageSize ? last : Math.max(this.end, last, page.head);
        this.wakesAtRefresh = page.events.length >= this.pageSize ? -1 : wakes;
        if (this.events.length > this.capacity) {
          const dropped = this.events.splice(0, this.events.length - this.capacity);
          this.start = dropped[dropped.length - 1].position;
        }
        return page.events.length < this.pageSize;
      } finally {
        this.refreshing = undefined;
      }
    })();
    return this.refreshing;
  }
}

/** The store's filter in memory: as `MATCHES_FILTER` (stream id prefixes, event types). */
function matches(event: RecordedEvent, filter: AllFilter | undefined): boolean {
  if (filter?.eventTypes?.length && !filter.eventTypes.includes(event.type)) return false;
  return !filter?.streamPrefixes?.length || filter.streamPrefixes.some((p) => event.streamId.startsWith(p));
}
