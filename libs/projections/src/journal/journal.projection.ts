/**
 * The journal read model in PostgreSQL: `rm_journal.appeals`, one row per registered appeal, indexed
 * for the web journal's newest-first pages under each filter. A batch is folded in memory and
 * written set-based, like the control read model.
 */
import type { HandleContext, Projection, SqlExecutor } from '../projection.port';
import { liveSchema } from '../projection.port';
import { groupByAppeal } from '../shared/appeal-event';
import type { RecordedEvent } from '../shared/event-store';
import { CONTROL_APPEAL_COLUMNS } from '../control/control.projection';
import { loadRows, qualified, upsertRows, type ColumnTypes } from '../shared/sql-batch';
import { evolveJournal, type JournalAppealRow } from './journal.evolve';

export const JOURNAL_PROJECTION = 'journal';
export const JOURNAL_SCHEMA = liveSchema(JOURNAL_PROJECTION);

const COLUMNS = {
  ...CONTROL_APPEAL_COLUMNS,
  received_on: 'date',
  channel: 'text',
  kind: 'text',
  territory: 'text',
  question_codes: 'text[]',
} as const satisfies ColumnTypes<JournalAppealRow>;

export interface JournalProjectionOptions {
  /** the administration's time zone: business instants become local dates in it */
  timeZone: string;
}

export class JournalProjection implements Projection {
  readonly name = JOURNAL_PROJECTION;
  // 2: the control row's kept_questions, forwarded_late, without_answer_ground
  /** 2: `registered_late` (59-FZ art. 8 ч.2) */
  // 2: the control columns of report to the sending body and further control (issue 14)
  // 3: the control row's co_executors, co_executed_on (issue 14)
  // 3: the control row's joined_to (decision 0008)
  readonly version = 3;
  /** One row per appeal, folded by `evolveJournal` from that appeal's events alone. */
  readonly foldsPerStream = true;
  /** `handle` reads each event through `groupByAppeal`: its stream, position, type and data only. */
  readonly foldsFromDataAlone = true;
  readonly tables = ['appeals'] as const;

  constructor(private readonly options: JournalProjectionOptions) {}

  createTables(schema: string): readonly string[] {
    return [
      `CREATE TABLE ${qualified(schema, 'appeals')} (
        appeal_id text PRIMARY KEY,
        number text NOT NULL,
        state text NOT NULL,
        department text,
        executor_id text,
        executor_name text,
        registered_on date NOT NULL,
        nominal_due_date date NOT NULL,
        due_date date NOT NULL,
        extended boolean NOT NULL,
        registered_late boolean NOT NULL,
        on_control boolean NOT NULL,
        off_control_on date,
        interim_answers integer NOT NULL,
        first_interim_on date,
        resolution_seq integer NOT NULL,
        resolution_kind text,
        resolved_on date,
        resolution_due_date date,
        late boolean,
        reminders_issued integer NOT NULL,
        report_back_by date,
        reported_to_source_on date,
        further_control_on date,
        further_control_until date,
        measures_completed_on date,
        position bigint NOT NULL,
        kept_questions integer NOT NULL,
        forwarded_late boolean NOT NULL,
        without_answer_ground text,
        co_executors jsonb NOT NULL DEFAULT '[]',
        co_executed_on date,
        joined_to text,
        received_on date NOT NULL,
        channel text NOT NULL,
        kind text NOT NULL,
        territory text,
        question_codes text[] NOT NULL
      )`,
    ];
  }

  createIndexes(schema: string): readonly string[] {
    const t = qualified(schema, 'appeals');
    // the journal pages newest first by (registered_on, appeal_id) under each filter
    return [
      `CREATE INDEX journal_registered ON ${t} (registered_on, appeal_id)`,
      `CREATE INDEX journal_state ON ${t} (state, registered_on, appeal_id)`,
      `CREATE INDEX journal_department ON ${t} (department, registered_on, appeal_id)`,
      `CREATE INDEX journal_executor ON ${t} (executor_id, registered_on, appeal_id)`,
      `CREATE INDEX journal_channel ON ${t} (channel, registered_on, appeal_id)`,
      `CREATE INDEX journal_territory ON ${t} (territory, registered_on, appeal_id)`,
      `CREATE INDEX journal_question_codes ON ${t} USING gin (question_codes)`,
      `CREATE INDEX journal_number ON ${t} (lower(number))`,
    ];
  }

  async handle(
    events: readonly RecordedEvent[],
    tx: SqlExecutor,
    schema: string,
    context?: HandleContext,
  ): Promise<void> {
    const groups = groupByAppeal(events);
    if (groups.size === 0) return;
    const table = qualified(schema, 'appeals');
    const rows = await loadRows<JournalAppealRow>(tx, table, 'appeal_id', [...groups.keys()], context);
    const changed: JournalAppealRow[] = [];
    for (const [appealId, envelopes] of groups) {
      let row = rows.get(appealId);
      for (const envelope of envelopes) row = evolveJournal(row, envelope, this.options.timeZone);
      if (row) changed.push(row);
    }
    await upsertRows(tx, table, ['appeal_id'], COLUMNS, changed, 'update', context);
  }
}
