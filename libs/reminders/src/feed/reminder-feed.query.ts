/** GET /reminders and the SSE stream: the feed after a position, filtered, in position order. */
import type { Executor, IsoDate, ReminderKind } from '@appeal-ledger/appeal';
import type { Reminder } from '../reminder.view';
import { qualified, type SqlExecutor } from '@appeal-ledger/projections';
import { REMINDER_FEED_SCHEMA, type ReminderFeedRow } from './reminder-feed.projection';

export interface ReminderFeedFilter {
  /** exclusive: reminders with position > since (default 0) */
  since?: number;
  department?: string;
  appealId?: string;
  executorId?: string;
  /** default 500 */
  limit?: number;
  /** only reminders about appeals this reader may see now (absent: all) */
  scope?: ReminderScope;
}

/**
 * The appeals a reader may see, by their assignment NOW (not the one in force when the reminder was
 * issued): those of `department` and/or assigned to `executorId`, looked up in `assignments`, a
 * table of (appeal_id, department, executor_id) kept current — the control read model's.
 */
export interface ReminderScope {
  department?: string;
  executorId?: string;
  assignments: string;
  /**
   * `assignments` has the control model's `co_executors` (issue 14): an executor also reads the
   * reminders of their own parts as a co-executor of an appeal's resolution in force.
   */
  coExecutors?: boolean;
}

/** The SQL condition of `scope` on the feed's `appeal_id`; `param` binds a value and names it. */
export function reminderScopeSql(scope: ReminderScope, param: (value: unknown) => string): string {
  const any: string[] = [];
  if (scope.department !== undefined) any.push(`s.department = ${param(scope.department)}`);
  if (scope.executorId !== undefined) any.push(`s.executor_id = ${param(scope.executorId)}`);
  if (any.length === 0) return 'FALSE';
  const assigned = `appeal_id IN (SELECT s.appeal_id FROM ${scope.assignments} s WHERE ${any.join(' OR ')})`;
  if (scope.coExecutors !== true || scope.executorId === undefined) return assigned;
  const me = param(scope.executorId);
  return `(${assigned} OR (executor_id = ${me} AND appeal_id IN (SELECT s.appeal_id FROM ${scope.assignments} s WHERE s.co_executors @> jsonb_build_array(jsonb_build_object('id', ${me}::text)))))`;
}

export const DEFAULT_FEED_LIMIT = 500;
export const MAX_FEED_LIMIT = 5000;

interface FeedRow extends Omit<ReminderFeedRow, 'position' | 'due_date' | 'business_date'> {
  position: string;
  due_date: IsoDate;
  business_date: IsoDate;
}

export async function findReminders(
  db: SqlExecutor,
  filter: ReminderFeedFilter,
  schema = REMINDER_FEED_SCHEMA,
): Promise<Reminder[]> {
  const values: unknown[] = [filter.since ?? 0];
  const where = ['position > $1'];
  const param = (column: string, value: string | undefined): void => {
    if (value === undefined) return;
    values.push(value);
    where.push(`${column} = $${values.length}`);
  };
  param('department', filter.department);
  param('appeal_id', filter.appealId);
  param('executor_id', filter.executorId);
  if (filter.scope !== undefined) {
    where.push(
      reminderScopeSql(filter.scope, (value) => {
        values.push(value);
        return `$${values.length}`;
      }),
    );
  }
  values.push(filter.limit ?? DEFAULT_FEED_LIMIT);
  const { rows } = await db.query<FeedRow>(
    `SELECT position::text AS position, reminder_id::text AS reminder_id, appeal_id, number, kind,
            to_char(due_date, 'YYYY-MM-DD') AS due_date, to_char(business_date, 'YYYY-MM-DD') AS business_date,
            issued_at, department, executor_id, executor_name, co_executor
       FROM ${qualified(schema, 'reminders')}
      WHERE ${where.join(' AND ')}
      ORDER BY position
      LIMIT $${values.length}`,
    values,
  );
  return rows.map((row) => ({
    id: row.reminder_id,
    appealId: row.appeal_id,
    number: row.number,
    kind: row.kind as ReminderKind,
    dueDate: row.due_date,
    issuedAt: row.issued_at,
    department: row.department,
    executor: executorOf(row.executor_id, row.executor_name),
    position: Number(row.position),
    businessDate: row.business_date,
    ...(row.co_executor !== null && row.co_executor !== undefined && { coExecutor: row.co_executor }),
  }));
}

function executorOf(id: string | null, name: string | null): Executor | null {
  return id === null ? null : { id, name: name ?? '' };
}
