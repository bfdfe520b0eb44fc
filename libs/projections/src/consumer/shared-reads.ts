/**
 * One read of a page of `$all` for several consumers catching up side by side: the runner's
 * consumers (one per projection) each replay `$all` from their own checkpoint, and after a fresh
 * start they are at the same positions, asking for the same pages one after the other. The last few
 * pages asked for (by `after` and `maxCount`) are kept, so the second consumer asking takes the
 * first one's read instead of reading the page again. A consumer that has fallen further behind
 * than that reads for itself.
 *
 * An answer kept from a moment ago is still a right answer: a page of `$all` read later may only
 * hold more events at its end (the store shows `$all` without gaps, appends go after its head), and
 * a short page only ends a catch-up, after which the consumer follows the live subscription from
 * its last event. Filtered reads are not shared.
 */
import type { EventStore, RecordedEvent } from '../shared/event-store';

/** What a paged replay of `$all` needs of the store (replay.ts). */
export type AllReader = Pick<EventStore, 'readAll'>;

export class SharedReads implements AllReader {
  private readonly pages = new Map<string, Promise<RecordedEvent[]>>();

  /** `keep`: how many of the latest pages asked for are kept (about as many as there are consumers) */
  constructor(
    private readonly store: AllReader,
    private readonly keep: number,
  ) {}

  readAll(options: Parameters<EventStore['readAll']>[0]): Promise<RecordedEvent[]> {
    if (options?.filter || options?.direction === 'backwards' || this.keep < 1)
      return this.store.readAll(options);
    const key = `${options?.after ?? 0}:${options?.maxCount ?? ''}`;
    const kept = this.pages.get(key);
    if (kept) return kept;
    const read = this.store.readAll(options);
    this.pages.set(key, read);
    // a failed read is not kept: the next one asking reads again
    read.catch(() => this.pages.delete(key));
    while (this.pages.size > this.keep) {
      const oldest = this.pages.keys().next();
      if (oldest.done === true) break;
      this.pages.delete(oldest.value);
    }
    return read;
  }
}
