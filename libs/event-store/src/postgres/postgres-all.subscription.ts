/**
 * A catch-up then live subscription to `$all` over PostgreSQL: reads pages of committed events
 * (never past an in-flight transaction, see the adapter's `readPage`), then polls, woken early by
 * LISTEN/NOTIFY. One page is buffered at most; the next is read only when the consumer pulls.
 *
 * A notification carries the position just committed. When a read after it still ends below that
 * position, the event is held back by the readers' boundary (an older transaction still in flight,
 * or one that ended between the boundary's snapshot and its look at the activity view); the
 * transaction holding it may end without notifying anyone (it appended nothing), so the
 * subscription reads again soon — after 5 ms, doubling up to the poll interval — instead of
 * sleeping a whole poll interval.
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

/** The first re-read of a notified position still held back; doubled up to the poll interval. */
export const HELD_BACK_RETRY_MIN_MS = 5;

/** A notification's payload as a position (the store notifies the last appended one), else 0. */
export function notifiedPosition(payload: string | undefined): number {
  if (payload === undefined || !/^[0-9]{1,15}$/.test(payload)) return 0;
  return Number(payload);
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
  /** the highest position a notification said is committed */
  private notified = 0;
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
    this.unlisten = this.source.listen((payload) => {
      this.notified = Math.max(this.notified, notifiedPosition(payload));
      this.wakeCount += 1;
      this.interruptSleep?.();
    });
    try {
      const { pageSize, filter, pollIntervalMs } = this.settings;
      let after = this.settings.after;
      let heldBackDelay = 0;
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
          if (this.notified <= after) heldBackDelay = 0;
          else heldBackDelay = Math.min(pollIntervalMs, Math.max(HELD_BACK_RETRY_MIN_MS, heldBackDelay * 2));
          if (this.wakeCount === wakesBefore) await this.sleep(heldBackDelay || pollIntervalMs);
        }
      }
    } finally {
      await this.release();
    }
  }

  private sleep(ms: number): Promise<void> {
    if (this.stopped) return Promise.resolve();
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.interruptSleep = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
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
