import type { EventStore, ReadAllOptions, RecordedEvent } from '@appeal-ledger/event-store';
import { testMetadata } from '../testing/event-log';
import { replayPages, sharePages } from './replay';

/** A store of `count` events at positions 1…count; records each readAll and when it was asked. */
function fakeStore(count: number, trace: string[]): EventStore {
  const events: RecordedEvent[] = Array.from({ length: count }, (_, i) => ({
    id: `e${i + 1}`,
    streamId: 's',
    type: i % 2 === 0 ? 'Odd' : 'Even',
    revision: i,
    position: i + 1,
    data: {},
    metadata: testMetadata(),
    recordedAt: new Date(0),
  }));
  const unused = (): never => {
    throw new Error('not used');
  };
  return {
    append: unused,
    readStream: unused,
    readEvent: unused,
    headPosition: () => Promise.resolve(count),
    subscribeToAll: unused,
    close: () => Promise.resolve(),
    readAll: (options?: ReadAllOptions) => {
      trace.push(`read after ${options?.after ?? 0}`);
      const types = options?.filter?.eventTypes;
      const page = events
        .filter((e) => e.position > (options?.after ?? 0) && (!types || types.includes(e.type)))
        .slice(0, options?.maxCount);
      return Promise.resolve(page);
    },
  };
}

async function replay(
  count: number,
  options: { after?: number; batchSize: number; eventTypes?: string[] },
): Promise<{ pages: number[][]; trace: string[] }> {
  const trace: string[] = [];
  const pages: number[][] = [];
  for await (const page of replayPages(fakeStore(count, trace), {
    after: options.after ?? 0,
    batchSize: options.batchSize,
    ...(options.eventTypes ? { filter: { eventTypes: options.eventTypes } } : {}),
  })) {
    trace.push(`apply ${page.length}`);
    pages.push(page.map((e) => e.position));
  }
  return { pages, trace };
}

describe('replayPages', () => {
  it('reads pages of batchSize in order, asking for the next page before the caller applies this one', async () => {
    const { pages, trace } = await replay(25, { batchSize: 10 });
    expect(pages.map((p) => p.length)).toEqual([10, 10, 5]);
    expect(pages.flat()).toEqual(Array.from({ length: 25 }, (_, i) => i + 1));
    expect(trace).toEqual([
      'read after 0',
      'read after 10',
      'apply 10',
      'read after 20',
      'apply 10',
      'apply 5',
    ]);
  });

  it('ends at a short page without another read; a full last page costs one empty read', async () => {
    expect((await replay(7, { batchSize: 10 })).trace).toEqual(['read after 0', 'apply 7']);
    const exact = await replay(20, { batchSize: 10 });
    expect(exact.pages.map((p) => p.length)).toEqual([10, 10]);
    expect(exact.trace.filter((t) => t.startsWith('read'))).toEqual([
      'read after 0',
      'read after 10',
      'read after 20',
    ]);
  });

  it('starts after the given position and passes the filter on', async () => {
    const { pages } = await replay(20, { after: 5, batchSize: 3, eventTypes: ['Odd'] });
    expect(pages).toEqual([[7, 9, 11], [13, 15, 17], [19]]);
  });

  it('yields nothing from an empty store', async () => {
    expect(await replay(0, { batchSize: 10 })).toEqual({ pages: [], trace: ['read after 0'] });
  });
});

describe('sharePages', () => {
  /** Pages 1…count, recording each read and whether the source was ended. */
  function source(count: number, trace: string[]): AsyncGenerator<number, void, undefined> {
    return (async function* () {
      try {
        for (let page = 1; page <= count; page++) {
          await Promise.resolve(); // a read
          trace.push(`read ${page}`);
          yield page;
        }
      } finally {
        trace.push('source ended');
      }
    })();
  }
  /** Resolves after the other tasks queued so far have run (no timers). */
  const turns = async (n: number): Promise<void> => {
    for (let i = 0; i < n; i++) await Promise.resolve();
  };

  it('gives every page to each consumer in order, reading it once', async () => {
    const trace: string[] = [];
    const seen: number[][] = [[], [], []];
    await sharePages(
      source(6, trace),
      seen.map((pages) => async (page: number) => {
        await turns(page % 3);
        pages.push(page);
      }),
    );
    for (const pages of seen) expect(pages).toEqual([1, 2, 3, 4, 5, 6]);
    expect(trace.filter((t) => t.startsWith('read'))).toEqual([
      'read 1',
      'read 2',
      'read 3',
      'read 4',
      'read 5',
      'read 6',
    ]);
  });

  it('keeps the reader at most `ahead` pages ahead of the slowest consumer', async () => {
    const trace: string[] = [];
    let read = 0;
    let slowDone = 0;
    let widest = 0;
    const counted = (async function* () {
      for await (const page of source(20, trace)) {
        read = page;
        widest = Math.max(widest, read - slowDone);
        yield page;
      }
    })();
    await sharePages(counted, [
      async () => {
        await turns(1);
      },
      async (page: number) => {
        await turns(20);
        slowDone = page;
      },
    ]);
    expect(slowDone).toBe(20);
    // one page being applied by the slow consumer, one waiting for it, one read and held back
    expect(widest).toBeLessThanOrEqual(3);
  });

  it('stops everyone at the first failure, throws it and reads no further', async () => {
    const trace: string[] = [];
    const fast: number[] = [];
    await expect(
      sharePages(source(100, trace), [
        async (page: number) => {
          fast.push(page);
          await turns(1);
        },
        async (page: number) => {
          await turns(2);
          if (page === 3) throw new Error('page 3 cannot be applied');
        },
      ]),
    ).rejects.toThrow('page 3 cannot be applied');
    expect(trace).toContain('source ended');
    expect(trace.filter((t) => t.startsWith('read')).length).toBeLessThanOrEqual(6);
    expect(Math.max(...fast)).toBeLessThanOrEqual(5);
  });

  it('throws a failure of the reader', async () => {
    const failing = (async function* () {
      yield await Promise.resolve(1);
      throw new Error('store unavailable');
    })();
    const seen: number[] = [];
    await expect(
      sharePages(failing, [
        (page: number) => {
          seen.push(page);
          return Promise.resolve();
        },
      ]),
    ).rejects.toThrow('store unavailable');
    expect(seen).toEqual([1]);
  });
});
