import { mapConcurrently } from './map-concurrently';

/** A promise settled from outside. */
function deferred<T = void>(): {
  promise: Promise<T>;
  resolve(value: T): void;
  reject(error: unknown): void;
} {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** Lets every promise callback already due run. */
const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('mapConcurrently', () => {
  it('answers the results in the order of the items, whatever order the calls end in', async () => {
    const gates = [deferred(), deferred(), deferred(), deferred()];
    const mapped = mapConcurrently([0, 1, 2, 3], 4, async (item) => {
      await gates[item].promise;
      return `r${item}`;
    });
    for (const i of [3, 1, 0, 2]) gates[i].resolve();
    expect(await mapped).toEqual(['r0', 'r1', 'r2', 'r3']);
  });

  it('never runs more than `concurrency` calls at once, and takes the items in their order', async () => {
    const items = Array.from({ length: 12 }, (_, i) => i);
    const gates = items.map(() => deferred());
    const started: number[] = [];
    let running = 0;
    let most = 0;
    const mapped = mapConcurrently(items, 3, async (item) => {
      started.push(item);
      running += 1;
      most = Math.max(most, running);
      await gates[item].promise;
      running -= 1;
      return item * 2;
    });
    await settle();
    expect(started).toEqual([0, 1, 2]);
    // end them out of order: each ending call lets exactly one more start
    for (const i of [1, 0, 2, 5, 3, 4, 8, 6, 7, 9, 11, 10]) {
      gates[i].resolve();
      await settle();
      expect(running).toBeLessThanOrEqual(3);
    }
    expect(await mapped).toEqual(items.map((i) => i * 2));
    expect(started).toEqual(items);
    expect(most).toBe(3);
  });

  it('tells each call its index and its worker; a worker runs one call at a time', async () => {
    const busy = new Set<number>();
    const seen: [number, number, number][] = [];
    await mapConcurrently(['a', 'b', 'c', 'd', 'e'], 2, async (item, index, worker) => {
      expect(busy.has(worker)).toBe(false);
      busy.add(worker);
      seen.push([item.charCodeAt(0) - 97, index, worker]);
      await settle();
      busy.delete(worker);
    });
    expect(seen.map(([item, index]) => [item, index])).toEqual([0, 1, 2, 3, 4].map((i) => [i, i]));
    expect(new Set(seen.map(([, , worker]) => worker))).toEqual(new Set([0, 1]));
  });

  it('at the first failure takes no more items, awaits the calls running, then throws that failure', async () => {
    const gates = Array.from({ length: 6 }, () => deferred());
    const started: number[] = [];
    const ended: number[] = [];
    const mapped = mapConcurrently([0, 1, 2, 3, 4, 5], 3, async (item) => {
      started.push(item);
      try {
        await gates[item].promise;
      } finally {
        ended.push(item);
      }
    });
    let outcome: string | undefined;
    mapped.then(
      () => (outcome = 'resolved'),
      (error: unknown) => (outcome = (error as Error).message),
    );
    await settle();
    gates[1].reject(new Error('first'));
    await settle();
    // the failure is not thrown while calls 0 and 2 still run, and nothing more was taken
    expect(outcome).toBeUndefined();
    expect(started).toEqual([0, 1, 2]);
    gates[2].reject(new Error('second'));
    gates[0].resolve();
    await expect(mapped).rejects.toThrow('first');
    expect(started).toEqual([0, 1, 2]);
    expect(ended.sort()).toEqual([0, 1, 2]);
  });

  it('a call that throws at once fails the same way', async () => {
    const started: number[] = [];
    await expect(
      mapConcurrently([0, 1, 2], 1, (item) => {
        started.push(item);
        if (item === 1) throw new Error('at once');
        return Promise.resolve(item);
      }),
    ).rejects.toThrow('at once');
    expect(started).toEqual([0, 1]);
  });

  it('answers [] for no items, uses no more workers than items, and refuses a concurrency below 1', async () => {
    const fn = jest.fn((item: number) => Promise.resolve(item));
    expect(await mapConcurrently([], 4, fn)).toEqual([]);
    expect(fn).not.toHaveBeenCalled();
    const workers: number[] = [];
    await mapConcurrently([7, 8], 8, (item, _index, worker) => {
      workers.push(worker);
      return Promise.resolve(item);
    });
    expect(workers.sort()).toEqual([0, 1]);
    for (const bad of [0, -1, 1.5, Number.NaN])
      await expect(mapConcurrently([1], bad, fn)).rejects.toThrow('concurrency must be an integer >= 1');
  });
});
