/**
 * The executors a controller chooses from in «Назначить исполнителя»: the enabled accounts with the
 * executor role (the `users` table of apps/web accounts), with their departments.
 */
import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import { PG_POOL } from '../../../../api/src/infrastructure/infrastructure.module';
import type { Option } from './widgets';

export interface ExecutorEntry {
  id: string;
  name: string;
  department: string | null;
}

@Injectable()
export class ExecutorDirectory {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  async list(): Promise<ExecutorEntry[]> {
    const result = await this.pool.query<ExecutorEntry>(
      `SELECT login AS id, name, department FROM users
        WHERE 'executor' = ANY(roles) AND NOT disabled
        ORDER BY name, login`,
    );
    return result.rows;
  }

  /** As filter options: value = the executor's id */
  async options(): Promise<Option[]> {
    return (await this.list()).map((e) => ({ value: e.id, text: e.name }));
  }
}
