import { METADATA_NOT_READ, RECORDED_AT_NOT_READ, type RecordedEvent } from '../event-store.port';
import type { Wake } from './postgres-notification.listener';
import {
  HELD_BACK_RETRY_MIN_MS,
  PostgresAllSubscription,
  notifiedPosition,
  type EventPage,
  type SubscriptionSource,
} from './postgres-all.subscription';

const POLL_MS = 60_000;

function recorded(position: number): RecordedEvent {
  return {
    id: `00000000-0000-4000-8000-${String(position).padStart(12, '0')}`,
    streamId: `appeal-${position}`,
    type: 'Registered',
    revision: 0,
    position,
    data: {},
    metadata: METADATA_NOT_READ,
    recordedAt: RECORDED_AT_NOT_READ,
  };
}

/** A store of `committed` events of which readers see those up to `visible`; counts its reads. */
class FakeSource implements SubscriptionSource {
  reads = 0;
  committed = 0;
  visible = 0;
  private wake: Wake | undefined;

  readPage(after: number, limit: number): Promise<EventPage> {
    this.reads += 1;
    const events: RecordedEvent[] = [];
    for (let p = after + 1; p <= this.visible && events.length < limit; p++) events.push(recorded(p));
    return Promise.resolve({ events, head: this.visible });
  }

  listen(wake: Wake): () => Promise<void> {
    this.wake = wake;
    return () => Promise.resolve();
  }

  /** an append commits and its notification arrives; readers see it only when `visibleNow` */
  commit(visibleNow: boolean): void {
    this.committed += 1;
    if (visibleNow) this.visible = this.committed;
    this.wake?.(String(this.committed));
  }

  notify(payload?: string): void {
    this.wake?.(payload);
  }
}

function subscribe(source: FakeSource): {
  subscription: PostgresAllSubscription;
  iterator: AsyncIterator<RecordedEvent>;
} {
  const subscription = new PostgresAllSubscription(
    source,
    { after: 0, filter: undefined, pageSize: 100, pollIntervalMs: POLL_MS },
    () => undefined,
  );
  return { subscription, iterator: subscription[Symbol.asyncIterator]() };
}

describe('PostgresAllSubscription', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('re-reads a notified position held back by the readers boundary soon, backing off to the poll interval', async () => {
    const source = new FakeSource();
    const { subscription, iterator } = subscribe(source);
    let delivered: number | undefined;
    void iterator.next().then((r) => (delivered = r.done ? undefined : r.value.position));
    await jest.advanceTimersByTimeAsync(0);
    const readsCaughtUp = source.reads;

    source.commit(false); // committed and notified, but behind an older transaction still in flight
    await jest.advanceTimersByTimeAsync(0);
    expect(source.reads).toBe(readsCaughtUp + 1);

    // No further wake-up arrives; the subscription re-reads by itself at 5, 10, 20, … ms.
    await jest.advanceTimersByTimeAsync(HELD_BACK_RETRY_MIN_MS);
    expect(source.reads).toBe(readsCaughtUp + 2);
    await jest.advanceTimersByTimeAsync(2 * HELD_BACK_RETRY_MIN_MS);
    expect(source.reads).toBe(readsCaughtUp + 3);

    // The holding transaction ends, notifying nobody: the next re-read (20 ms on) delivers.
    source.visible = source.committed;
    await jest.advanceTimersByTimeAsync(4 * HELD_BACK_RETRY_MIN_MS);
    expect(delivered).toBe(1);
    await subscription.stop();
  });

  it('re-reads a position that never shows a dozen times (5 ms doubling) before falling back to the poll interval', async () => {
    const source = new FakeSource();
    const { subscription, iterator } = subscribe(source);
    void iterator.next();
    await jest.advanceTimersByTimeAsync(0);
    source.commit(false);
    await jest.advanceTimersByTimeAsync(0);
    const readsAfterWake = source.reads;

    await jest.advanceTimersByTimeAsync(POLL_MS);
    const backOffReads = source.reads - readsAfterWake;
    // after 5, 10, …, 20,480 ms (40,955 ms in all): 13 re-reads within the first poll interval
    let expected = 0;
    for (let delay = HELD_BACK_RETRY_MIN_MS, at = delay; at <= POLL_MS; delay *= 2, at += delay) expected++;
    expect(expected).toBe(13);
    expect(backOffReads).toBe(expected);
    await jest.advanceTimersByTimeAsync(3 * POLL_MS);
    expect(source.reads - readsAfterWake - backOffReads).toBeLessThanOrEqual(3);
    await subscription.stop();
  });

  it('sleeps the whole poll interval after a wake-up whose position it has read, or one without a position', async () => {
    const source = new FakeSource();
    const { subscription, iterator } = subscribe(source);
    const first = iterator.next();
    await jest.advanceTimersByTimeAsync(0);
    source.commit(true);
    expect(await first).toEqual({ done: false, value: recorded(1) });
    void iterator.next();
    await jest.advanceTimersByTimeAsync(0);
    source.notify(); // the listener's "something may have been missed"
    source.notify('not a position');
    await jest.advanceTimersByTimeAsync(0);
    const reads = source.reads;

    await jest.advanceTimersByTimeAsync(POLL_MS - 1);
    expect(source.reads).toBe(reads);
    await jest.advanceTimersByTimeAsync(1);
    expect(source.reads).toBe(reads + 1);
    await subscription.stop();
  });

  it('reads a position from a notification payload, and nothing from anything else', () => {
    expect(notifiedPosition('4613258')).toBe(4613258);
    expect(notifiedPosition(undefined)).toBe(0);
    expect(notifiedPosition('')).toBe(0);
    expect(notifiedPosition('-1')).toBe(0);
    expect(notifiedPosition('1e9')).toBe(0);
    expect(notifiedPosition('9'.repeat(16))).toBe(0);
  });
});
