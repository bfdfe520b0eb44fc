/**
 * The reminder issuer's view of the appeal repository: the same cache and stream reads as the
 * command path, so a reminder and a user's command see (and revision-check) the same state.
 */
import type { AppendResult, NewEvent } from '@appeal-ledger/event-store';
import type { AppealAccess, AppealSnapshotAt } from '@appeal-ledger/reminders';
import type { AppealRepository, LoadedAppeal } from '../appeals/appeal.repository';

export class RepositoryAppealAccess implements AppealAccess {
  /** appeals read by the last prefetch and not touched since: their cached fold is the stream's */
  private fresh = new Set<string>();

  constructor(private readonly repository: AppealRepository) {}

  async prefetch(appealIds: string[]): Promise<void> {
    this.fresh = await this.repository.warm(appealIds);
  }

  load(appealId: string): Promise<LoadedAppeal | undefined> {
    // Just read in the batch: use it once. A writer since then makes the append's revision check fail,
    // and the issuer forgets the appeal and loads it again.
    if (this.fresh.delete(appealId)) {
      const cached = this.repository.cached(appealId);
      if (cached) return Promise.resolve(cached);
    }
    return this.repository.load(appealId);
  }

  append(appealId: string, events: NewEvent[], expectedRevision: number): Promise<AppendResult> {
    return this.repository.append(appealId, events, expectedRevision);
  }

  forget(appealId: string): void {
    this.fresh.delete(appealId);
    this.repository.forget(appealId);
  }

  remember(appealId: string, appeal: AppealSnapshotAt): void {
    const cached = this.repository.cached(appealId);
    // Only the fold moves on; the sealed applicants are those of the registration, unchanged.
    if (cached && cached.revision === appeal.revision - 1)
      this.repository.remember(appealId, { ...cached, ...appeal });
    else this.repository.forget(appealId);
  }
}
