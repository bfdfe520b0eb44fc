/**
 * A catch-up then live subscription to `$all` over PostgreSQL: reads pages of committed events
 * (never past an in-flight transaction, see the adapter's `readPage`), then polls, woken early by
 * LISTEN/NOTIFY. One page is buffered at most; the next is read only when the consumer pulls.
 */
import type { AllFilter, AllSubscription, RecordedEvent } from '../event-store.port';
import type { Wake } from './postgres-notification.listener';

export interface EventPage {
  events: RecordedEvent[];
  /** the last position readers may see, in the same snapshot as `events` */
  head: number;
}

export interface SubscriptionSource {
  readPage(after: number, limit: number, filter: AllFilter | undefined): Promise<EventPage>;
  /** registers a wake-up for new events; returns its removal */
  listen(wake: Wake): () => Promise<void>;
}

export interface SubscriptionSettings {
  after: number;
  filter: AllFilter | undefined;
  pageSize: number;
  /** poll this often without a notification: covers a lost one and an aborted transaction */
  pollIntervalMs: number;
}

export class PostgresAllSubscription implements AllSubscription {
  private stopped = false;
  private iterated = false;
  /** bumped by every wake-up, so one that arrives during a read is not lost */
  private wakeCount = 0;
  private interruptSleep: (() => void) | undefined;
  private unlisten: (() => Promise<void>) | undefined;

  constructor(
    private readonly source: SubscriptionSource,
    private readonly settings: SubscriptionSettings,
    private readonly onStopped: (subscription: PostgresAllSubscription) => void,
  ) {}

  [Symbol.asyncIterator](): AsyncIterator<RecordedEvent> {
    if (this.iterated) throw new Error('a subscription can be iterated once; subscribe again to read again');
    this.iterated = true;
    return this.run();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.interruptSleep?.();
    await this.release();
  }

  private async *run(): AsyncGenerator<RecordedEvent, void, undefined> {
    if (this.stopped) return;
    this.unlisten = this.source.listen(() => {
      this.wakeCount += 1;
      this.interruptSleep?.();
    });
    try {
      const { pageSize, filter } = this.settings;
      let after = this.settings.after;
      while (!this.stopped) {
        const wakesBefore = this.wakeCount;
        const page = await this.source.readPage(after, pageSize, filter);
        for (const event of page.events) {
          if (this.stopped) return;
          yield event;
          after = event.position;
        }
        if (page.events.length < pageSize) {
          // Caught up: with a filter, skip the non-matching events just scanned.
          after = Math.max(after, page.head);
          if (this.wakeCount === wakesBefore) await this.sleep();
        }
      }
    } finally {
      await this.release();
    }
  }

  private sleep(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.interruptSleep = undefined;
        resolve();
      };
      const timer = setTimeout(done, this.settings.pollIntervalMs);
      this.interruptSleep = done;
    });
  }

  private async release(): Promise<void> {
    const unlisten = this.unlisten;
    this.unlisten = undefined;
    this.onStopped(this);
    await unlisten?.();
  }
}
