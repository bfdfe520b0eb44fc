import type { EventStore, ReadAllOptions, RecordedEvent } from '@appeal-ledger/event-store';
import { testMetadata } from '../testing/event-log';
import { replayPages } from './replay';

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
