import type {
  EventStore,
  ReadAllByStreamOptions,
  ReadAllOptions,
  RecordedEvent,
} from '@appeal-ledger/event-store';
import { numberedEvents, readAllOnlyStore, testMetadata } from '../testing/event-log';
import { replayPages, sharePages, streamOrderPages, type StreamPage } from './replay';

/** A store of `count` events at positions 1…count; records each readAll and when it was asked. */
function fakeStore(count: number, trace: string[]): EventStore {
  const events = numberedEvents(count, (i) => (i % 2 === 0 ? 'Odd' : 'Even'));
  return readAllOnlyStore(count, (options?: ReadAllOptions) => {
    trace.push(`read after ${options?.after ?? 0}`);
    const types = options?.filter?.eventTypes;
    const page = events
      .filter((e) => e.position > (options?.after ?? 0) && (!types || types.includes(e.type)))
      .slice(0, options?.maxCount);
    return Promise.resolve(page);
  });
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

/** A reader over streams of the given lengths (s0, s1, …; positions interleaved round-robin). */
function streamReader(
  lengths: readonly number[],
  reads: string[],
): {
  readAllByStream(options: ReadAllByStreamOptions): Promise<RecordedEvent[]>;
  events: RecordedEvent[];
} {
  const events: RecordedEvent[] = [];
  let position = 0;
  for (let revision = 0; revision < Math.max(...lengths); revision++)
    lengths.forEach((length, s) => {
      if (revision < length)
        events.push({
          id: `s${s}-${revision}`,
          streamId: `s${String(s).padStart(3, '0')}`,
          type: 'T',
          revision,
          position: (position += 1),
          data: {},
          metadata: testMetadata(),
          recordedAt: new Date(0),
        });
    });
  const byStream = [...events].sort((a, b) =>
    a.streamId === b.streamId ? a.revision - b.revision : a.streamId < b.streamId ? -1 : 1,
  );
  return {
    events,
    readAllByStream: (options) => {
      const { after } = options;
      reads.push(after ? `after ${after.streamId}@${after.revision}` : 'first');
      const start = after
        ? byStream.findIndex(
            (e) =>
              e.streamId > after.streamId || (e.streamId === after.streamId && e.revision > after.revision),
          )
        : 0;
      return Promise.resolve(
        (start < 0 ? [] : byStream.slice(start))
          .filter((e) => e.position <= options.upTo)
          .slice(0, options.maxCount),
      );
    },
  };
}

async function streamPages(
  lengths: readonly number[],
  options: { upTo?: number; batchSize: number },
): Promise<{ pages: StreamPage[]; reads: string[]; events: RecordedEvent[] }> {
  const reads: string[] = [];
  const reader = streamReader(lengths, reads);
  const pages: StreamPage[] = [];
  for await (const page of streamOrderPages(reader, {
    upTo: options.upTo ?? reader.events.length,
    batchSize: options.batchSize,
  }))
    pages.push(page);
  return { pages, reads, events: reader.events };
}

const ids = (page: StreamPage): string[] => page.events.map((e) => e.id);

describe('streamOrderPages', () => {
  it('gives every event once, each stream whole in one page, cut after the last whole stream', async () => {
    const { pages, events } = await streamPages([3, 2, 4, 1, 3, 2], { batchSize: 5 });
    // a full page's last stream is left for the next one even when it happens to be whole
    expect(pages.map(ids)).toEqual([
      ['s0-0', 's0-1', 's0-2'],
      ['s1-0', 's1-1'],
      ['s2-0', 's2-1', 's2-2', 's2-3'],
      ['s3-0', 's4-0', 's4-1', 's4-2'],
      ['s5-0', 's5-1'],
    ]);
    expect(pages.every((p) => p.newStreams)).toBe(true);
    expect(pages.flatMap(ids).sort()).toEqual(events.map((e) => e.id).sort());
  });

  it('leaves a full page’s last stream, which may go on, for the next page', async () => {
    const { pages, reads } = await streamPages([3, 3, 3], { batchSize: 4 });
    expect(pages.map(ids)).toEqual([
      ['s0-0', 's0-1', 's0-2'],
      ['s1-0', 's1-1', 's1-2'],
      ['s2-0', 's2-1', 's2-2'],
    ]);
    expect(reads).toEqual(['first', 'after s000@2', 'after s001@2']);
  });

  it('reads no event past upTo', async () => {
    // positions: s0-0 1, s1-0 2, s0-1 3, s1-1 4, s0-2 5, s1-2 6
    const { pages } = await streamPages([3, 3], { upTo: 4, batchSize: 10 });
    expect(pages.map(ids)).toEqual([['s0-0', 's0-1', 's1-0', 's1-1']]);
  });

  it('cuts a stream longer than a page inside it; the pages after it say their first stream is not new', async () => {
    const { pages } = await streamPages([2, 7, 1], { batchSize: 3 });
    expect(pages.map((p) => [ids(p), p.newStreams])).toEqual([
      [['s0-0', 's0-1'], true],
      [['s1-0', 's1-1', 's1-2'], true],
      [['s1-3', 's1-4', 's1-5'], false],
      [['s1-6', 's2-0'], false],
    ]);
  });
});
