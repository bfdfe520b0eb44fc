/**
 * Reads «Напоминания»: the newest reminders the person may read (the access policy's scope, as for
 * GET /reminders), and the position the live feed resumes after.
 */
import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import {
  findReminders,
  REMINDER_FEED_SCHEMA,
  reminderScopeSql,
  type Reminder,
} from '@appeal-ledger/reminders';
import type { Principal } from '../../../../api/src/auth/principal';
import { answer } from '../../../../api/src/http/refusal-problem';
import { PG_POOL } from '../../../../api/src/infrastructure/infrastructure.module';
import { reminderScopeFor } from '../../../../api/src/reminders/reminder-readers.policy';
import { ReminderRuntime } from '../../../../api/src/reminders/reminder-runtime.service';

export const REMINDERS_SHOWN = 100;

@Injectable()
export class RemindersPageQuery {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    private readonly runtime: ReminderRuntime,
  ) {}

  async read(principal: Principal, minPosition?: number): Promise<{ reminders: Reminder[]; since: number }> {
    if (minPosition !== undefined) await this.runtime.waitForFeed(minPosition, 5000);
    const scope = answer(reminderScopeFor(principal));
    const values: unknown[] = [REMINDERS_SHOWN - 1];
    const own =
      scope === undefined
        ? ''
        : `WHERE ${reminderScopeSql(scope, (value) => {
            values.push(value);
            return `$${values.length}`;
          })}`;
    const threshold = await this.pool.query<{ position: string }>(
      `SELECT position::text AS position FROM ${REMINDER_FEED_SCHEMA}.reminders ${own}
        ORDER BY position DESC LIMIT 1 OFFSET $1`,
      values,
    );
    const since = threshold.rows[0] ? Number(threshold.rows[0].position) - 1 : 0;
    const reminders = await findReminders(this.pool, {
      since,
      limit: REMINDERS_SHOWN,
      ...(scope !== undefined ? { scope } : {}),
    });
    const newest = reminders[reminders.length - 1];
    return { reminders: reminders.reverse(), since: newest ? newest.position : await this.head() };
  }

  /** With nothing shown yet, the feed resumes from its current end (older reminders are not news). */
  private async head(): Promise<number> {
    const result = await this.pool.query<{ position: string | null }>(
      `SELECT max(position)::text AS position FROM ${REMINDER_FEED_SCHEMA}.reminders`,
    );
    return Number(result.rows[0]?.position ?? 0);
  }
}
