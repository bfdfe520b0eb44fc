/**
 * The reminder feed read model behind GET /reminders and /reminders/stream: one row per issued
 * reminder keyed by its global position, with the appeal's registration number. Run by the
 * projections' runner (checkpoint in the same transaction), so a rebuild yields the same feed.
 */
import type { AppealRegistered } from '@appeal-ledger/appeal';
import { APPEAL_STREAM_PREFIX } from '@appeal-ledger/appeal';
import type { RecordedEvent } from '@appeal-ledger/event-store';
import {
  qualified,
  upsertRows,
  type ColumnTypes,
  type Projection,
  type SqlExecutor,
} from '@appeal-ledger/projections';
import { appealIdOf, REMINDER_EVENT_TYPE, toReminder } from '../reminder.view';

export const REMINDER_FEED_PROJECTION = 'reminder_feed';
export const REMINDER_FEED_SCHEMA = `rm_${REMINDER_FEED_PROJECTION}`;

/** `rm_reminder_feed.reminders`. */
export interface ReminderFeedRow {
  position: number;
  reminder_id: string;
  appeal_id: string;
  number: string;
  kind: string;
  due_date: string;
  business_date: string;
  issued_at: string;
  department: string | null;
  executor_id: string | null;
  executor_name: string | null;
  /** a co-executor's reminder of their part (issue 14): { id, name, department } */
  co_executor: { id: string; name: string; department: string } | null;
}

const REMINDER_COLUMNS: ColumnTypes<ReminderFeedRow> = {
  position: 'bigint',
  reminder_id: 'uuid',
  appeal_id: 'text',
  number: 'text',
  kind: 'text',
  due_date: 'date',
  business_date: 'date',
  issued_at: 'text',
  department: 'text',
  executor_id: 'text',
  executor_name: 'text',
  co_executor: 'jsonb',
};

export class ReminderFeedProjection implements Projection {
  readonly name = REMINDER_FEED_PROJECTION;
  // 2: `co_executor` (reminders to co-executors of their parts, issue 14)
  readonly version = 2;
  readonly tables = ['reminders', 'appeal_numbers'] as const;
  /** `handle` reads of an event its stream, position, type and data (its id only in an error's text) */
  readonly foldsFromDataAlone = true;

  createTables(schema: string): readonly string[] {
    return [
      `CREATE TABLE ${qualified(schema, 'reminders')} (
        position bigint PRIMARY KEY,
        reminder_id uuid NOT NULL,
        appeal_id text NOT NULL,
        number text NOT NULL,
        kind text NOT NULL,
        due_date date NOT NULL,
        business_date date NOT NULL,
        issued_at text NOT NULL,
        department text,
        executor_id text,
        executor_name text,
        co_executor jsonb
      )`,
      `CREATE TABLE ${qualified(schema, 'appeal_numbers')} (
        appeal_id text PRIMARY KEY,
        number text NOT NULL
      )`,
    ];
  }

  createIndexes(schema: string): readonly string[] {
    const t = qualified(schema, 'reminders');
    // each filter of GET /reminders reads one index range in position order
    return [
      `CREATE UNIQUE INDEX reminders_reminder_id ON ${t} (reminder_id)`,
      `CREATE INDEX reminders_department ON ${t} (department, position)`,
      `CREATE INDEX reminders_appeal ON ${t} (appeal_id, position)`,
      `CREATE INDEX reminders_executor ON ${t} (executor_id, position)`,
    ];
  }

  async handle(events: readonly RecordedEvent[], tx: SqlExecutor, schema: string): Promise<void> {
    const numbers = new Map<string, string>();
    const issued: RecordedEvent[] = [];
    for (const event of events) {
      if (!event.streamId.startsWith(APPEAL_STREAM_PREFIX)) continue;
      if (event.type === 'AppealRegistered') {
        const data = event.data as unknown as AppealRegistered['data'];
        numbers.set(appealIdOf(event), data.number);
      } else if (event.type === REMINDER_EVENT_TYPE) issued.push(event);
    }
    await upsertRows(
      tx,
      qualified(schema, 'appeal_numbers'),
      ['appeal_id'],
      { appeal_id: 'text', number: 'text' },
      [...numbers].map(([appealId, number]) => ({ appeal_id: appealId, number })),
      'nothing',
    );
    if (issued.length === 0) return;
    const unknown = [...new Set(issued.map(appealIdOf))].filter((id) => !numbers.has(id));
    if (unknown.length > 0) {
      const found = await tx.query<{ appeal_id: string; number: string }>(
        `SELECT appeal_id, number FROM ${qualified(schema, 'appeal_numbers')} WHERE appeal_id = ANY($1::text[])`,
        [unknown],
      );
      for (const row of found.rows) numbers.set(row.appeal_id, row.number);
    }
    const rows: ReminderFeedRow[] = issued.map((event) => {
      const r = toReminder(event, numbers.get(appealIdOf(event)) ?? '');
      return {
        position: r.position,
        reminder_id: r.id,
        appeal_id: r.appealId,
        number: r.number,
        kind: r.kind,
        due_date: r.dueDate,
        business_date: r.businessDate,
        issued_at: r.issuedAt,
        department: r.department,
        executor_id: r.executor?.id ?? null,
        executor_name: r.executor?.name ?? null,
        co_executor: r.coExecutor ?? null,
      };
    });
    // a redelivered reminder (its position or its id already there) is skipped
    await upsertRows(tx, qualified(schema, 'reminders'), [], REMINDER_COLUMNS, rows, 'nothing');
  }
}
