import type { EventStore, ReadAllOptions, RecordedEvent } from '@appeal-ledger/event-store';
import { numberedEvents, readAllOnlyStore } from '../testing/event-log';
import { SharedReplay } from './shared-replay';

interface Read {
  after: number;
  fields: string | undefined;
}

/** A store of `count` events at positions 1…count; records each readAll; `failNext` fails one read. */
function fakeStore(count: number): EventStore & { reads: Read[]; failNext: boolean } {
  const events = numberedEvents(count);
  const reads: Read[] = [];
  const store = Object.assign(
    readAllOnlyStore(count, (options?: ReadAllOptions) => {
      const after = options?.after ?? 0;
      reads.push({ after, fields: options?.fields });
      if (store.failNext) {
        store.failNext = false;
        return Promise.reject(new Error('read failed'));
      }
      return Promise.resolve(events.filter((e) => e.position > after).slice(0, options?.maxCount));
    }),
    { reads, failNext: false },
  );
  return store;
}

/** Consumes a replay, calling `each` after every page; the positions it got, in order. */
async function consume(
  pages: AsyncIterable<readonly RecordedEvent[]>,
  each: (page: readonly RecordedEvent[]) => Promise<void> = () => Promise.resolve(),
): Promise<number[]> {
  const got: number[] = [];
  for await (const page of pages) {
    got.push(...page.map((e) => e.position));
    await each(page);
  }
  return got;
}

const range = (from: number, to: number): number[] =>
  Array.from({ length: to - from + 1 }, (_, i) => from + i);

describe('SharedReplay', () => {
  it('reads each page once for replays side by side; each gets every event after its position, and ends at the short page', async () => {
    const store = fakeStore(23);
    const shared = new SharedReplay(store, { batchSize: 5, fields: 'fold' });
    const [a, b, c] = await Promise.all([
      consume(shared.pages(0)),
      consume(shared.pages(0)),
      consume(shared.pages(0)),
    ]);
    expect(a).toEqual(range(1, 23));
    expect(b).toEqual(a);
    expect(c).toEqual(a);
    expect(store.reads.map((r) => r.after)).toEqual([0, 5, 10, 15, 20]);
    expect(store.reads.every((r) => r.fields === 'fold')).toBe(true);
    expect(shared.counts).toEqual({ read: 5, served: 15 });
  });

  it('serves a replay starting inside a page the events after its position only', async () => {
    const store = fakeStore(12);
    const shared = new SharedReplay(store, { batchSize: 5 });
    const [a, b] = await Promise.all([consume(shared.pages(0)), consume(shared.pages(3))]);
    expect(a).toEqual(range(1, 12));
    expect(b).toEqual(range(4, 12));
    expect(store.reads.map((r) => r.after)).toEqual([0, 5, 10]);
  });

  it('keeps the first replay at most aheadPages ahead of a slower one, which then finds every page read', async () => {
    const store = fakeStore(40);
    const shared = new SharedReplay(store, { batchSize: 5, aheadPages: 2, waitMs: 60_000 });
    let releaseSlow: () => void = () => undefined;
    let slowPages = 0;
    const slow = consume(shared.pages(0), async () => {
      slowPages += 1;
      // the first page is held until the fast replay has gone as far as it may
      if (slowPages === 1) await new Promise<void>((resolve) => (releaseSlow = resolve));
    });
    const fastSeen: number[] = [];
    const fast = consume(shared.pages(0), (page) => {
      fastSeen.push(page[page.length - 1]?.position ?? 0);
      return Promise.resolve();
    });
    // the fast replay stops with 2 pages taken past the slow one's position (5), waiting for room
    await until(() => store.reads.length === 3 && fastSeen.length === 3);
    for (let i = 0; i < 20; i++) await new Promise((resolve) => setImmediate(resolve));
    expect(store.reads.map((r) => r.after)).toEqual([0, 5, 10]);
    expect(fastSeen).toEqual([5, 10, 15]);
    releaseSlow();
    const [s, f] = await Promise.all([slow, fast]);
    expect(s).toEqual(range(1, 40));
    expect(f).toEqual(range(1, 40));
    // 40 events in pages of 5 and the empty page that ends the replay, each read once
    expect(store.reads.map((r) => r.after)).toEqual([0, 5, 10, 15, 20, 25, 30, 35, 40]);
  });

  it('lets the first replay read on alone after waitMs when a slower one does not move (bounded coupling)', async () => {
    const store = fakeStore(30);
    const shared = new SharedReplay(store, { batchSize: 5, aheadPages: 1, waitMs: 20 });
    let releaseSlow: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (releaseSlow = resolve));
    const slow = consume(shared.pages(0), () => held);
    const fast = await consume(shared.pages(0));
    expect(fast).toEqual(range(1, 30));
    releaseSlow();
    expect(await slow).toEqual(range(1, 30));
    // the fast replay read past the held one alone; the slow one then read what it had not kept
    expect(store.reads.length).toBeGreaterThan(7);
  });

  it('a replay behind the pages kept reads alone until it reaches them', async () => {
    const store = fakeStore(30);
    const shared = new SharedReplay(store, { batchSize: 5, aheadPages: 8 });
    let releaseLeader: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (releaseLeader = resolve));
    // the leader (from 10) holds its first page, 11–15, while 16–20 is read ahead for it
    let leaderPages = 0;
    const leader = consume(shared.pages(10), () => {
      leaderPages += 1;
      return leaderPages === 1 ? held : Promise.resolve();
    });
    await until(() => leaderPages === 1);
    const late = consume(shared.pages(0));
    const lateGot = await Promise.race([late, new Promise<null>((r) => setTimeout(() => r(null), 50))]);
    releaseLeader();
    expect(await leader).toEqual(range(11, 30));
    expect(lateGot ?? (await late)).toEqual(range(1, 30));
    const afters = store.reads.map((r) => r.after);
    // the page after 10 was dropped once the leader, the only replay then, had passed it: the late
    // replay read 0, 5 and 10 itself, then found 15 kept and read the rest with the leader
    expect(afters.filter((a) => a === 10)).toHaveLength(2);
    for (const after of [0, 5, 15, 20, 25, 30]) expect(afters.filter((a) => a === after)).toHaveLength(1);
  });

  it('a failed read fails the replay that asked; the next replay reads the page again', async () => {
    const store = fakeStore(8);
    const shared = new SharedReplay(store, { batchSize: 5 });
    store.failNext = true;
    await expect(consume(shared.pages(0))).rejects.toThrow('read failed');
    expect(await consume(shared.pages(0))).toEqual(range(1, 8));
    expect(store.reads.map((r) => r.after)).toEqual([0, 0, 5]);
  });

  it('keeps no page once no replay is in progress', async () => {
    const store = fakeStore(12);
    const shared = new SharedReplay(store, { batchSize: 5 });
    await consume(shared.pages(0));
    // a replay from the start reads again: nothing was kept
    await consume(shared.pages(0));
    expect(store.reads.map((r) => r.after)).toEqual([0, 5, 10, 0, 5, 10]);
  });
});

/** Resolves once `fact` holds (checked after each turn of the event loop). */
async function until(fact: () => boolean): Promise<void> {
  for (let turns = 0; !fact(); turns++) {
    if (turns > 10_000) throw new Error('never held');
    await new Promise((resolve) => setImmediate(resolve));
  }
}
