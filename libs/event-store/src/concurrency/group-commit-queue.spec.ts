/**
 * The group commit queue alone, with statements the test settles (the append and registration
 * batchers' int-specs run it on PostgreSQL).
 */
import { GroupCommitQueue, takeOnePerStream, type BatchAnswer } from './group-commit-queue';

interface Item {
  stream: string;
  n: number;
}

/** A promise settled from outside. */
function deferred<T>(): { promise: Promise<T>; resolve(value: T): void; reject(error: unknown): void } {
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

/** Statements the test ends one by one; every statement sent, in order, with what it held. */
function statements() {
  const sent: { kind: 'alone' | 'batch'; items: number[] }[] = [];
  const open: {
    kind: 'alone' | 'batch';
    items: readonly Item[];
    end: ReturnType<typeof deferred<readonly BatchAnswer<string>[]>>;
  }[] = [];
  let running = 0;
  let most = 0;
  const statement = async (kind: 'alone' | 'batch', items: readonly Item[]) => {
    sent.push({ kind, items: items.map((i) => i.n) });
    running += 1;
    most = Math.max(most, running);
    const end = deferred<readonly BatchAnswer<string>[]>();
    open.push({ kind, items, end });
    try {
      return await end.promise;
    } finally {
      running -= 1;
    }
  };
  const steps = {
    streamOf: (item: Item) => item.stream,
    alone: async (item: Item): Promise<string> => {
      const [answer] = await statement('alone', [item]);
      if (!answer.ok) throw answer.error;
      return answer.value;
    },
    batch: (items: readonly Item[]) => statement('batch', items),
  };
  /** Ends the oldest open statement: every item answered `v<n>`, or the statement raising. */
  const endNext = async (outcome: 'ok' | Error | ((item: Item) => BatchAnswer<string>) = 'ok') => {
    const next = open.shift();
    if (!next) throw new Error('no statement is open');
    if (outcome instanceof Error) next.end.reject(outcome);
    else
      next.end.resolve(
        next.items.map((item) => (outcome === 'ok' ? { ok: true, value: `v${item.n}` } : outcome(item))),
      );
    await settle();
  };
  return { steps, sent, endNext, open: () => open.length, most: () => most };
}

/** Answers as they arrive, `n: value` or `n: !message`. */
function answered(queue: GroupCommitQueue<Item, string>, items: Item[], log: string[]): Promise<void>[] {
  return items.map((item) =>
    queue.submit(item).then(
      (value) => void log.push(`${item.n}: ${value}`),
      (error: unknown) => void log.push(`${item.n}: !${(error as Error).message}`),
    ),
  );
}

const item = (n: number, stream = `s${n}`): Item => ({ stream, n });

describe('GroupCommitQueue', () => {
  it('sends a lone item at once, alone, and answers it after its statement returns', async () => {
    const s = statements();
    const queue = new GroupCommitQueue('test batch', s.steps, { maxSize: 8, maxInFlight: 2 });
    const log: string[] = [];
    const done = answered(queue, [item(1)], log);
    await settle();
    expect(s.sent).toEqual([{ kind: 'alone', items: [1] }]);
    expect(log).toEqual([]);
    await s.endNext();
    await Promise.all(done);
    expect(log).toEqual(['1: v1']);
    expect(queue.stats).toEqual({ statements: 1, batches: 0, batched: 0, fallbacks: 0 });
  });

  it('batches what queued while maxInFlight statements ran: arrival order, maxSize, one item per stream', async () => {
    const s = statements();
    const queue = new GroupCommitQueue('test batch', s.steps, { maxSize: 3, maxInFlight: 1 });
    const log: string[] = [];
    const done = answered(queue, [item(1), item(2), item(3, 'x'), item(4, 'x'), item(5), item(6)], log);
    await settle();
    // item 1 went alone; the others queued behind it
    expect(s.sent).toEqual([{ kind: 'alone', items: [1] }]);
    await s.endNext();
    // the second of stream x waits for the next statement; at most 3 in one
    expect(s.sent[1]).toEqual({ kind: 'batch', items: [2, 3, 5] });
    expect(log).toEqual(['1: v1']);
    await s.endNext();
    expect(log).toEqual(['1: v1', '2: v2', '3: v3', '5: v5']);
    expect(s.sent[2]).toEqual({ kind: 'batch', items: [4, 6] });
    await s.endNext();
    await Promise.all(done);
    expect(log.slice(4)).toEqual(['4: v4', '6: v6']);
    expect(s.open()).toBe(0);
    expect(s.most()).toBe(1);
    expect(queue.stats).toEqual({ statements: 3, batches: 2, batched: 5, fallbacks: 0 });
  });

  it('with a statement running and one free, gathers what is submitted in one turn into one statement', async () => {
    const s = statements();
    const queue = new GroupCommitQueue('test batch', s.steps, { maxSize: 8, maxInFlight: 2 });
    const log: string[] = [];
    const first = answered(queue, [item(1)], log);
    // nothing running: the first goes at once, before its turn ends
    expect(s.sent).toEqual([{ kind: 'alone', items: [1] }]);
    const done = [...first, ...answered(queue, [item(2), item(3), item(4)], log)];
    // one running, one free: the others of this turn wait for its end, then go together
    expect(s.sent).toHaveLength(1);
    await settle();
    expect(s.sent[1]).toEqual({ kind: 'batch', items: [2, 3, 4] });
    expect(s.open()).toBe(2);
    await s.endNext();
    await s.endNext();
    await Promise.all(done);
    expect(log).toEqual(['1: v1', '2: v2', '3: v3', '4: v4']);
    expect(queue.stats).toEqual({ statements: 2, batches: 1, batched: 3, fallbacks: 0 });
  });

  it('never has more than maxInFlight statements running', async () => {
    const s = statements();
    const queue = new GroupCommitQueue('test batch', s.steps, { maxSize: 2, maxInFlight: 2 });
    const log: string[] = [];
    const done = answered(
      queue,
      Array.from({ length: 9 }, (_, i) => item(i + 1)),
      log,
    );
    await settle();
    // 1 went at once; 2 and 3, submitted in its turn, were gathered into the second statement
    expect(s.sent).toEqual([
      { kind: 'alone', items: [1] },
      { kind: 'batch', items: [2, 3] },
    ]);
    while (s.open() > 0) {
      expect(s.open()).toBeLessThanOrEqual(2);
      await s.endNext();
    }
    await Promise.all(done);
    expect(s.most()).toBe(2);
    expect(log).toHaveLength(9);
    expect(s.sent.slice(2).map((st) => st.items)).toEqual([
      [4, 5],
      [6, 7],
      [8, 9],
    ]);
  });

  it('answers each item of a committed batch with its own answer: one refused, the others written', async () => {
    const s = statements();
    const queue = new GroupCommitQueue('test batch', s.steps, { maxSize: 4, maxInFlight: 1 });
    const log: string[] = [];
    const done = answered(queue, [item(1), item(2), item(3), item(4)], log);
    await settle();
    await s.endNext();
    await s.endNext((i) =>
      i.n === 3 ? { ok: false, error: new Error('refused') } : { ok: true, value: 'w' },
    );
    await Promise.all(done);
    expect(log).toEqual(['1: v1', '2: w', '3: !refused', '4: w']);
    expect(queue.stats).toEqual({ statements: 2, batches: 1, batched: 3, fallbacks: 0 });
  });

  it('after a batch that raised, writes each of its items alone in arrival order: only the guilty one fails', async () => {
    const s = statements();
    const queue = new GroupCommitQueue('test batch', s.steps, { maxSize: 4, maxInFlight: 1 });
    const log: string[] = [];
    const done = answered(queue, [item(1), item(2), item(3), item(4)], log);
    await settle();
    await s.endNext();
    expect(s.sent[1]).toEqual({ kind: 'batch', items: [2, 3, 4] });
    await s.endNext(new Error('the batch raised'));
    expect(log).toEqual(['1: v1']);
    // one at a time, each answered after its own statement
    expect(s.sent.slice(2)).toEqual([{ kind: 'alone', items: [2] }]);
    await s.endNext();
    expect(log).toEqual(['1: v1', '2: v2']);
    await s.endNext(() => ({ ok: false, error: new Error('guilty') }));
    await s.endNext();
    await Promise.all(done);
    expect(log).toEqual(['1: v1', '2: v2', '3: !guilty', '4: v4']);
    expect(s.sent.slice(2).map((st) => st.kind)).toEqual(['alone', 'alone', 'alone']);
    expect(queue.stats).toEqual({ statements: 2, batches: 0, batched: 0, fallbacks: 1 });
  });

  it('refuses a maxSize below 2 or a maxInFlight below 1, naming what they are of', () => {
    const { steps } = statements();
    expect(() => new GroupCommitQueue('test batch', steps, { maxSize: 1, maxInFlight: 1 })).toThrow(
      'test batch maxSize must be an integer >= 2, got 1',
    );
    expect(() => new GroupCommitQueue('test batch', steps, { maxSize: 2, maxInFlight: 0 })).toThrow(
      'test batch maxInFlight must be an integer >= 1, got 0',
    );
    expect(() => new GroupCommitQueue('test batch', steps, { maxSize: 2.5, maxInFlight: 1 })).toThrow(
      'maxSize must be an integer',
    );
  });
});

describe('takeOnePerStream', () => {
  it('takes up to maxSize in arrival order, one per stream, and keeps the rest in order', () => {
    const queue = [item(1, 'a'), item(2, 'b'), item(3, 'a'), item(4, 'c'), item(5, 'd'), item(6, 'b')];
    const { members, rest } = takeOnePerStream(queue, 3, (i) => i.stream);
    expect(members.map((i) => i.n)).toEqual([1, 2, 4]);
    expect(rest.map((i) => i.n)).toEqual([3, 5, 6]);
    expect(takeOnePerStream([item(7)], 2, (i) => i.stream)).toEqual({ members: [item(7)], rest: [] });
  });
});
