/** Reads the reminder feed read model, after waiting (≤ 5 s) for `minPosition` when asked to. */
import { Inject } from '@nestjs/common';
import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import type { Pool } from 'pg';
import { findReminders, type Reminder } from '@appeal-ledger/reminders';
import { PG_POOL } from '../../infrastructure/infrastructure.module';
import { ReminderRuntime } from '../reminder-runtime.service';
import { GetRemindersQuery } from './get-reminders.query';

export const MIN_POSITION_WAIT_MS = 5000;

@QueryHandler(GetRemindersQuery)
export class GetRemindersHandler implements IQueryHandler<GetRemindersQuery, Reminder[]> {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    private readonly runtime: ReminderRuntime,
  ) {}

  async execute({ filter, minPosition }: GetRemindersQuery): Promise<Reminder[]> {
    // docs/api.md (consistency token): wait until projected, otherwise answer from what is projected now
    if (minPosition !== undefined) await this.runtime.waitForFeed(minPosition, MIN_POSITION_WAIT_MS);
    return findReminders(this.pool, filter);
  }
}
