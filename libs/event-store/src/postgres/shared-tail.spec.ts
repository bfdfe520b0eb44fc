/**
 * The shared window must answer every subscription exactly what a read of the store would: the
 * same events in order, nothing skipped, nothing twice — with one store read per wake-up for all.
 */
import fc from 'fast-check';
import type { AllFilter, RecordedEvent } from '../event-store.port';
import type { EventPage } from './postgres-all.subscription';
import { SharedTail } from './shared-tail';

const TYPES = ['A', 'B', 'C'];

function event(position: number): RecordedEvent {
  return {
    id: `e${position}`,
    streamId: `${position % 2 ? 'appeal' : 'reminder'}-${position % 5}`,
    type: TYPES[position % TYPES.length],
    revision: 0,
    position,
    data: {},
    metadata: {},
    recordedAt: new Date(0),
  } as unknown as RecordedEvent;
}

/** A store whose visible events are 1..head; counts its reads. */
class FakeAll {
  head = 0;
  reads = 0;
  read = (after: number, limit: number, filter?: AllFilter): Promise<EventPage> => {
    this.reads += 1;
    const events: RecordedEvent[] = [];
    for (let p = after + 1; p <= this.head && events.length < limit; p++) {
      const e = event(p);
      if (filter?.eventTypes?.length && !filter.eventTypes.includes(e.type)) continue;
      if (filter?.streamPrefixes?.length && !filter.streamPrefixes.some((s) => e.streamId.startsWith(s)))
        continue;
      events.push(e);
    }
    return Promise.resolve({ events, head: this.head });
  };
}

describe('SharedTail', () => {
  it('reads once per wake-up for every subscription caught up with it', async () => {
    const all = new FakeAll();
    const tail = new SharedTail(all.read, 500);
    all.head = 10;
    const pages = await Promise.all([0, 0, 0].map(() => tail.readPage(0, 500, undefined)));
    expect(pages.map((p) => p.events.length)).toEqual([10, 10, 10]);
    expect(all.reads).toBe(1);
    // new events: a wake-up, then every subscription asks after what it has
    all.head = 15;
    tail.woken();
    const next = await Promise.all([10, 10, 10].map((after) => tail.readPage(after, 500, undefined)));
    expect(next.map((p) => p.events.map((e) => e.position))).toEqual([
      [11, 12, 13, 14, 15],
      [11, 12, 13, 14, 15],
      [11, 12, 13, 14, 15],
    ]);
    expect(all.reads).toBe(2);
  });

  it('a stale window is refreshed before a subscription is told it is caught up', async () => {
    const all = new FakeAll();
    const tail = new SharedTail(all.read, 500);
    all.head = 5;
    await tail.readPage(0, 500, undefined);
    all.head = 8;
    tail.woken();
    // behind the window (3 < 5) but the window is stale: events 6..8 come with 4..5
    const page = await tail.readPage(3, 500, undefined);
    expect(page.events.map((e) => e.position)).toEqual([4, 5, 6, 7, 8]);
    expect(page.head).toBe(8);
  });

  it('filters as the store does and tells the window end as the head', async () => {
    const all = new FakeAll();
    const tail = new SharedTail(all.read, 500);
    all.head = 12;
    const page = await tail.readPage(0, 500, { eventTypes: ['B'], streamPrefixes: ['appeal-'] });
    expect(page.events.map((e) => e.position)).toEqual(
      (await all.read(0, 500, { eventTypes: ['B'], streamPrefixes: ['appeal-'] })).events.map(
        (e) => e.position,
      ),
    );
    expect(page.head).toBe(12);
  });

  it('a reader behind a trimmed window reads the store', async () => {
    const all = new FakeAll();
    const tail = new SharedTail(all.read, 10, 20);
    all.head = 100;
    let after = 0;
    while (after < 100) {
      const page = await tail.readPage(after, 10, undefined);
      after = page.events.at(-1)?.position ?? page.head;
    }
    const readsBefore = all.reads;
    const old = await tail.readPage(5, 10, undefined);
    expect(old.events.map((e) => e.position)).toEqual([6, 7, 8, 9, 10, 11, 12, 13, 14, 15]);
    expect(all.reads).toBe(readsBefore + 1);
  });

  it('answers a range from memory only when the window holds all of it', async () => {
    const all = new FakeAll();
    const tail = new SharedTail(all.read, 500);
    expect(tail.covering(0, 5, undefined)).toBeUndefined(); // nothing read yet
    all.head = 20;
    await tail.readPage(0, 500, undefined);
    const filter = { eventTypes: ['A'] };
    const direct = (await all.read(3, 500, filter)).events.filter((e) => e.position < 15);
    expect(tail.covering(3, 15, filter)).toEqual(direct);
    expect(tail.covering(3, 15, filter, 2)).toEqual(direct.slice(0, 2));
    expect(tail.covering(3, 21, filter)).toEqual((await all.read(3, 500, filter)).events); // up to the end
    expect(tail.covering(3, 22, filter)).toBeUndefined(); // event 21 is not held
  });

  it('a range past the window’s end is answered after one refresh, shared with the subscriptions', async () => {
    const all = new FakeAll();
    const tail = new SharedTail(all.read, 500);
    expect(await tail.recent(0, 5, undefined)).toBeUndefined(); // nothing read yet: read the store
    expect(all.reads).toBe(0);
    all.head = 10;
    await tail.readPage(0, 500, undefined);
    all.head = 16;
    tail.woken();
    const filter = { eventTypes: ['A', 'B'] };
    const direct = (await all.read(4, 500, filter)).events.filter((e) => e.position < 15);
    const readsBefore = all.reads;
    expect(await tail.recent(4, 15, filter)).toEqual(direct);
    expect(all.reads).toBe(readsBefore + 1);
    // the subscriptions woken for 11..16 find them in the window: no read of their own
    const page = await tail.readPage(10, 500, undefined);
    expect(page.events.map((e) => e.position)).toEqual([11, 12, 13, 14, 15, 16]);
    expect(all.reads).toBe(readsBefore + 1);
    // held already: no read at all
    expect(await tail.recent(4, 12, filter)).toEqual(direct.filter((e) => e.position < 12));
    expect(all.reads).toBe(readsBefore + 1);
    // events not visible yet (past the store's head, as of in-flight appends): what a read of the
    // store gives now — the visible ones
    expect(await tail.recent(4, 20, filter)).toEqual((await all.read(4, 500, filter)).events);
    // a refresh stopped by a full page does not answer past it
    const paged = new SharedTail(all.read, 4);
    await paged.readPage(0, 4, undefined);
    expect(await paged.recent(2, 12, filter)).toBeUndefined();
  });

  it('property: subscriptions reading as they please see exactly the store’s events, in order', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.oneof(
            fc.record({ kind: fc.constant('append' as const), n: fc.integer({ min: 1, max: 30 }) }),
            fc.record({ kind: fc.constant('read' as const), who: fc.integer({ min: 0, max: 2 }) }),
            // a registration's lookup of a recent range (refreshes the window when it ends short)
            fc.record({ kind: fc.constant('recent' as const), back: fc.integer({ min: 0, max: 50 }) }),
          ),
          { maxLength: 60 },
        ),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 5, max: 40 }),
        async (steps, pageSize, capacity) => {
          const all = new FakeAll();
          const tail = new SharedTail(all.read, pageSize, capacity);
          const filters: (AllFilter | undefined)[] = [
            undefined,
            { eventTypes: ['A', 'C'] },
            { streamPrefixes: ['appeal-'] },
          ];
          const seen: number[][] = [[], [], []];
          const after = [0, 0, 0];
          const drain = async (who: number): Promise<void> => {
            for (;;) {
              const page = await tail.readPage(after[who], pageSize, filters[who]);
              for (const e of page.events) {
                seen[who].push(e.position);
                after[who] = e.position;
              }
              if (page.events.length < pageSize) {
                after[who] = Math.max(after[who], page.head);
                return;
              }
            }
          };
          for (const step of steps) {
            if (step.kind === 'append') {
              all.head += step.n;
              tail.woken();
            } else if (step.kind === 'recent') {
              const from = Math.max(0, all.head - step.back);
              const held = await tail.recent(from, all.head + 1, filters[1]);
              // when answered, exactly what a read of the store gives
              if (held)
                expect(held).toEqual((await all.read(from, Number.MAX_SAFE_INTEGER, filters[1])).events);
            } else await drain(step.who);
          }
          for (const who of [0, 1, 2]) {
            await drain(who);
            const expected = (await all.read(0, Number.MAX_SAFE_INTEGER, filters[who])).events.map(
              (e) => e.position,
            );
            expect(seen[who]).toEqual(expected);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
