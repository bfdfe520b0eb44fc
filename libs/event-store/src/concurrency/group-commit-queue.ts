/**
 * The queue of a group commit (docs/event-store.md, "Group commit of appends"): at most
 * `maxInFlight` statements write at once. An item submitted while none runs goes at once, alone (no
 * added latency at low load, no timer). An item submitted while some but not all run is gathered
 * with whatever else is submitted in the same turn of the event loop (the I/O callbacks of one poll:
 * requests read from several sockets, the commands one commit released), and at the turn's end
 * (`setImmediate`) a free statement takes them. An item submitted while all run waits in the queue,
 * and when a statement ends the next takes the queue at once. A statement takes up to `maxSize`
 * queued items in arrival order, at most one per stream (a second one of a stream waits for a later
 * statement), and writes them as ONE statement.
 *
 * Every item is answered after the statement that wrote it has returned (after its commit), with
 * its own answer. A batch that raises wrote nothing: each of its items is then written alone, in
 * arrival order, and answered as it is without batching. The append and registration batchers
 * (append-batcher.ts, apps/api's registration-batcher.ts) are this queue with their own statements.
 */

export interface GroupCommitOptions {
  /** most items in one statement (≥ 2) */
  maxSize: number;
  /** statements writing at once (≥ 1); items beyond them queue and are batched */
  maxInFlight: number;
}

/** What a group commit has done (for tests and benchmarks). */
export interface GroupCommitStats {
  /** statements sent: items written alone and batches */
  statements: number;
  /** batches that committed */
  batches: number;
  /** items answered by a batch */
  batched: number;
  /** batches that raised and were written one item at a time */
  fallbacks: number;
}

/** One item's answer from a committed batch: its value, or the error it fails with. */
export type BatchAnswer<Answer> = { ok: true; value: Answer } | { ok: false; error: unknown };

/** How a group commit writes its items. */
export interface GroupCommitSteps<Item, Answer> {
  /** the stream an item writes: a statement holds at most one item per stream */
  streamOf(item: Item): string;
  /** writes one item alone (the path without batching); raising is the item's answer */
  alone(item: Item): Promise<Answer>;
  /**
   * Writes 2 or more items, in arrival order, as one statement, and resolves after its commit with
   * one answer per item in the same order. Raising means nothing of it was written (or, after a
   * lost connection, maybe all of it: each item, written alone next, then meets its own write as a
   * retry).
   */
  batch(items: readonly Item[]): Promise<readonly BatchAnswer<Answer>[]>;
}

interface Pending<Item, Answer> {
  item: Item;
  resolve(answer: Answer): void;
  reject(error: unknown): void;
}

export class GroupCommitQueue<Item, Answer> {
  private queue: Pending<Item, Answer>[] = [];
  private inFlight = 0;
  /** a pump is due at the end of this turn (setImmediate) */
  private gathering = false;
  readonly stats: GroupCommitStats = { statements: 0, batches: 0, batched: 0, fallbacks: 0 };

  /** @param name what the options are of, for their errors ("append batch") */
  constructor(
    name: string,
    private readonly steps: GroupCommitSteps<Item, Answer>,
    private readonly options: GroupCommitOptions,
  ) {
    if (!Number.isSafeInteger(options.maxSize) || options.maxSize < 2)
      throw new Error(`${name} maxSize must be an integer >= 2, got ${options.maxSize}`);
    if (!Number.isSafeInteger(options.maxInFlight) || options.maxInFlight < 1)
      throw new Error(`${name} maxInFlight must be an integer >= 1, got ${options.maxInFlight}`);
  }

  /** Writes `item`, alone or in a batch; answers after the commit of the statement that wrote it. */
  submit(item: Item): Promise<Answer> {
    return new Promise<Answer>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      // With every statement running, the first one to end takes the queue. With none running, the
      // item goes at once. With some but not all running, gather what else arrives in this turn and
      // send it together at the turn's end.
      if (this.gathering || this.inFlight >= this.options.maxInFlight) return;
      if (this.inFlight === 0) {
        this.pump();
        return;
      }
      this.gathering = true;
      setImmediate(() => {
        this.gathering = false;
        this.pump();
      });
    });
  }

  private pump(): void {
    while (this.inFlight < this.options.maxInFlight && this.queue.length > 0) {
      const members = this.take();
      this.inFlight += 1;
      void this.send(members).finally(() => {
        this.inFlight -= 1;
        this.pump();
      });
    }
  }

  /** Up to maxSize queued items in arrival order, one per stream; the rest stay queued in order. */
  private take(): Pending<Item, Answer>[] {
    const { members, rest } = takeOnePerStream(this.queue, this.options.maxSize, (p) =>
      this.steps.streamOf(p.item),
    );
    this.queue = rest;
    return members;
  }

  private async send(members: Pending<Item, Answer>[]): Promise<void> {
    this.stats.statements += 1;
    if (members.length === 1) {
      await this.one(members[0]);
      return;
    }
    let answers: readonly BatchAnswer<Answer>[];
    try {
      answers = await this.steps.batch(members.map((m) => m.item));
    } catch {
      // Nothing of the batch was written: each member alone, in arrival order, so that only the
      // guilty one fails, with the error it gets without batching.
      this.stats.fallbacks += 1;
      for (const m of members) await this.one(m);
      return;
    }
    this.stats.batches += 1;
    this.stats.batched += members.length;
    members.forEach((m, i) => {
      const answer = answers[i];
      if (answer.ok) m.resolve(answer.value);
      else m.reject(answer.error);
    });
  }

  private async one(m: Pending<Item, Answer>): Promise<void> {
    try {
      m.resolve(await this.steps.alone(m.item));
    } catch (error) {
      m.reject(error);
    }
  }
}

/**
 * A group commit's next statement: up to `maxSize` of `queue` in arrival order, at most one per
 * stream (a second one of a stream waits for a later statement, so a batch never holds two writes
 * expecting the same revision); `rest` keeps the others in arrival order.
 */
export function takeOnePerStream<T>(
  queue: readonly T[],
  maxSize: number,
  streamOf: (item: T) => string,
): { members: T[]; rest: T[] } {
  if (queue.length === 1) return { members: [queue[0]], rest: [] };
  const streams = new Set<string>();
  const members: T[] = [];
  const rest: T[] = [];
  for (const item of queue) {
    const stream = streamOf(item);
    if (members.length < maxSize && !streams.has(stream)) {
      streams.add(stream);
      members.push(item);
    } else rest.push(item);
  }
  return { members, rest };
}
