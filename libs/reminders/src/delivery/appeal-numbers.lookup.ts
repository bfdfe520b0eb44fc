/**
 * Registration numbers for reminders being delivered, read from the appeal's first event (always
 * there, unlike a read model that may lag behind the delivery) and kept in a small LRU map.
 */
import { appealStreamId, type AppealRegistered } from '@appeal-ledger/appeal';
import type { EventStore } from '@appeal-ledger/event-store';

export class AppealNumbers {
  private readonly cache = new Map<string, string>();

  constructor(
    private readonly store: EventStore,
    private readonly limit = 10_000,
  ) {}

  async numberOf(appealId: string): Promise<string> {
    const cached = this.cache.get(appealId);
    if (cached !== undefined) return cached;
    const [first] = await this.store.readStream(appealStreamId(appealId), { maxCount: 1 });
    const number =
      first?.type === 'AppealRegistered' ? (first.data as unknown as AppealRegistered['data']).number : '';
    this.cache.set(appealId, number);
    if (this.cache.size > this.limit) {
      const oldest = this.cache.keys().next();
      if (!oldest.done) this.cache.delete(oldest.value);
    }
    return number;
  }
}
