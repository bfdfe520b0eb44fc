/**
 * The reminder feed after a position, narrowed to the reminders the reader may see — after waiting
 * (≤ 5 s) for `minPosition` when asked to.
 */
import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import { findReminders, type Reminder, type ReminderFeedFilter } from '@appeal-ledger/reminders';
import type { Principal } from '../../auth/principal';
import { PG_POOL } from '../../infrastructure/infrastructure.module';
import { ok } from '../../shared/outcome';
import type { Read } from '../../shared/read-refusal';
import { reminderScopeFor } from '../reminder-readers.policy';
import { ReminderRuntime } from '../reminder-runtime.service';

export const MIN_POSITION_WAIT_MS = 5000;

export interface GetRemindersInput {
  principal: Principal;
  /** the filter the reader asked for; their scope is added here */
  filter: Omit<ReminderFeedFilter, 'scope'>;
  minPosition?: number;
}

@Injectable()
export class GetReminders {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    private readonly runtime: ReminderRuntime,
  ) {}

  async read({ principal, filter, minPosition }: GetRemindersInput): Promise<Read<Reminder[]>> {
    const scope = reminderScopeFor(principal);
    if (!scope.ok) return scope;
    // docs/api.md (consistency token): wait until projected, otherwise answer from what is projected now
    if (minPosition !== undefined) await this.runtime.waitForFeed(minPosition, MIN_POSITION_WAIT_MS);
    return ok(
      await findReminders(this.pool, {
        ...filter,
        ...(scope.value !== undefined ? { scope: scope.value } : {}),
      }),
    );
  }
}
