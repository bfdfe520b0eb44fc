/**
 * One read of `$all` for several catch-ups side by side (the projection runner's consumers after a
 * start): each page is read from the store once and handed to every replay that reaches it, instead
 * of once per consumer. A replay is `replayPages` to its consumer — pages of at most `batchSize`
 * events after its position, a short page the end — and the consumers stay independent: each reads at
 * its own pace, fails and restarts alone.
 *
 * The pages read are kept in one chain (each starts where the one before ended) until every replay
 * in progress has passed them. The replay that reaches the chain's end reads the next page (and the
 * one after, while its consumer applies this one) — but not more than `aheadPages` pages ahead of
 * the slowest replay in progress: it waits for that one to move (or to end) for at most `waitMs`,
 * then reads on its own without keeping the page (so a consumer stuck in a batch holds the others
 * back by `waitMs` per page at most, and memory stays bounded). A replay behind the chain's start
 * (it started or restarted late) reads its own pages until it reaches the chain.
 */
import type { EventStore, RecordedEvent } from '../shared/event-store';
import { readPage } from './replay';

export interface SharedReplayOptions {
  batchSize: number;
  /** 'fold': the store's lean read; every replay of this instance reads these fields */
  fields?: 'all' | 'fold';
  /** pages kept ahead of the slowest replay at most (default 4) */
  aheadPages?: number;
  /** how long a replay at the chain's end waits for the slowest before reading alone (default 2000 ms) */
  waitMs?: number;
}

interface Page {
  /** exclusive: the page's events have positions > after */
  after: number;
  /** the events, once read */
  events: Promise<readonly RecordedEvent[]>;
  /** the last event's position once read (undefined while reading) */
  last?: number;
}

interface Cursor {
  position: number;
}

export class SharedReplay {
  /** contiguous: chain[i + 1].after === chain[i].last */
  private chain: Page[] = [];
  private readonly cursors = new Set<Cursor>();
  private waiters: (() => void)[] = [];
  private readonly aheadPages: number;
  private readonly waitMs: number;
  /** pages read from the store, and pages handed out (for tests and logs) */
  readonly counts = { read: 0, served: 0 };

  constructor(
    private readonly store: EventStore,
    private readonly options: SharedReplayOptions,
  ) {
    if (options.batchSize < 1) throw new RangeError(`batchSize must be at least 1, got ${options.batchSize}`);
    this.aheadPages = Math.max(1, options.aheadPages ?? 4);
    this.waitMs = Math.max(0, options.waitMs ?? 2000);
  }

  /** The pages after `after`, as `replayPages` gives them. */
  async *pages(after: number): AsyncGenerator<readonly RecordedEvent[], void, undefined> {
    const cursor: Cursor = { position: after };
    this.cursors.add(cursor);
    this.changed();
    try {
      for (;;) {
        const page = await this.pageAt(cursor);
        this.counts.served += 1;
        const fresh = page.filter((e) => e.position > cursor.position);
        const last = page[page.length - 1];
        if (!last) return;
        cursor.position = Math.max(cursor.position, last.position);
        this.changed();
        this.evict();
        // read ahead while the consumer applies this page (unless it was the end)
        if (page.length >= this.options.batchSize) this.prefetch(cursor.position);
        if (fresh.length > 0) yield fresh;
        if (page.length < this.options.batchSize) return;
      }
    } finally {
      this.cursors.delete(cursor);
      this.changed();
      this.evict();
    }
  }

  /** The page covering the cursor's next event: from the chain, or read (kept when it extends the chain). */
  private async pageAt(cursor: Cursor): Promise<readonly RecordedEvent[]> {
    for (;;) {
      const position = cursor.position;
      const cached = this.covering(position);
      if (cached) return cached.events;
      const tail = this.chain[this.chain.length - 1];
      if (tail && tail.last === undefined) {
        // the chain's next page is being read: it may cover this position
        await tail.events.catch(() => undefined);
        continue;
      }
      // an empty chain starts at whichever replay asks first
      if (tail && tail.last !== position) return this.read(position);
      if (this.roomAhead() || (await this.waitForRoom())) {
        if (this.chain[this.chain.length - 1] !== tail) continue; // another replay extended it meanwhile
        return this.extend(position).events;
      }
      if (this.covering(position)) continue;
      return this.read(position);
    }
  }

  private covering(position: number): Page | undefined {
    // a page being read covers the position it starts after; a read one, every position up to its last
    return this.chain.find(
      (p) => p.after === position || (p.last !== undefined && p.after <= position && position < p.last),
    );
  }

  private slowest(): number {
    return Math.min(...[...this.cursors].map((c) => c.position));
  }

  private roomAhead(): boolean {
    const slowest = this.slowest();
    return this.chain.filter((p) => p.last === undefined || p.last > slowest).length < this.aheadPages;
  }

  /** Waits for a replay to move or end until there is room ahead; false after `waitMs`. */
  private async waitForRoom(): Promise<boolean> {
    const deadline = Date.now() + this.waitMs;
    while (!this.roomAhead()) {
      const left = deadline - Date.now();
      if (left <= 0) return false;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    return true;
  }

  private extend(after: number): Page {
    const page: Page = { after, events: this.read(after) };
    this.chain.push(page);
    page.events.then(
      (events) => {
        // an empty page (the end, as the store saw it) is kept too: the others end there as well
        page.last = events[events.length - 1]?.position ?? after;
        this.changed();
      },
      () => {
        // a failed read is not kept: the next replay to ask reads it again
        this.drop(page);
        this.changed();
      },
    );
    return page;
  }

  /** Starts reading the page after `position` for the chain, when it is the chain's next one and there is room. */
  private prefetch(position: number): void {
    const tail = this.chain[this.chain.length - 1];
    if (!tail || tail.last !== position || this.covering(position) || !this.roomAhead()) return;
    void this.extend(position).events.catch(() => undefined);
  }

  private read(after: number): Promise<readonly RecordedEvent[]> {
    this.counts.read += 1;
    return readPage(this.store, after, this.options);
  }

  private drop(page: Page): void {
    const i = this.chain.indexOf(page);
    // a page leaving from inside would break the chain: everything after it goes too
    if (i >= 0) this.chain = this.chain.slice(0, i);
  }

  /** Drops the pages every replay in progress has passed (all of them when none is in progress). */
  private evict(): void {
    if (this.cursors.size === 0) {
      this.chain = [];
      return;
    }
    const slowest = this.slowest();
    // a page is still wanted by a replay at its start (an empty end page: start and last alike)
    const passed = (p: Page | undefined): boolean =>
      p !== undefined && p.last !== undefined && p.last <= slowest && p.after < slowest;
    while (passed(this.chain[0])) this.chain.shift();
  }

  private changed(): void {
    const woken = this.waiters;
    this.waiters = [];
    for (const wake of woken) wake();
  }
}
