/**
 * The reminder issuer's view of the appeal repository: the same cache and stream reads as the
 * command path, so a reminder and a user's command see (and revision-check) the same state.
 */
import type { AppendResult, NewEvent } from '@appeal-ledger/event-store';
import type { AppealAccess, AppealSnapshotAt } from '@appeal-ledger/reminders';
import type { AppealRepository, LoadedAppeal } from '../appeals/appeal.repository';

export class RepositoryAppealAccess implements AppealAccess {
  constructor(private readonly repository: AppealRepository) {}

  load(appealId: string): Promise<LoadedAppeal | undefined> {
    return this.repository.load(appealId);
  }

  append(appealId: string, events: NewEvent[], expectedRevision: number): Promise<AppendResult> {
    return this.repository.append(appealId, events, expectedRevision);
  }

  forget(appealId: string): void {
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
