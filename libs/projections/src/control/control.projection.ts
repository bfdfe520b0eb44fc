/**
 * The control read model in PostgreSQL: `appeals` (one row per appeal, what GET /control lists) and
 * the histories the weekly report needs. A batch is folded in memory and written set-based.
 */
import type { HandleContext, Projection, SqlExecutor } from '../projection.port';
import { liveSchema } from '../projection.port';
import { groupByAppeal } from '../shared/appeal-event';
import type { RecordedEvent } from '../shared/event-store';
import { lastPerKey, loadRows, qualified, upsertRows, type ColumnTypes } from '../shared/sql-batch';
import type {
  AssignmentRow,
  ControlAppealRow,
  DueDateRow,
  ForwardingRow,
  WithoutAnswerRow,
  ReminderRow,
  ResolutionRow,
} from './control.evolve';
import { evolveControl } from './control.evolve';

export const CONTROL_PROJECTION = 'control';
export const CONTROL_SCHEMA = liveSchema(CONTROL_PROJECTION);

/** The columns of `rm_control.appeals` and their types (the journal's rows start with the same). */
export const CONTROL_APPEAL_COLUMNS = {
  appeal_id: 'text',
  number: 'text',
  state: 'text',
  department: 'text',
  executor_id: 'text',
  executor_name: 'text',
  registered_on: 'date',
  nominal_due_date: 'date',
  due_date: 'date',
  extended: 'boolean',
  registered_late: 'boolean',
  on_control: 'boolean',
  off_control_on: 'date',
  interim_answers: 'integer',
  first_interim_on: 'date',
  resolution_seq: 'integer',
  resolution_kind: 'text',
  resolved_on: 'date',
  resolution_due_date: 'date',
  late: 'boolean',
  reminders_issued: 'integer',
  report_back_by: 'date',
  reported_to_source_on: 'date',
  further_control_on: 'date',
  further_control_until: 'date',
  measures_completed_on: 'date',
  position: 'bigint',
  kept_questions: 'integer',
  forwarded_late: 'boolean',
  without_answer_ground: 'text',
  co_executors: 'jsonb',
  co_executed_on: 'date',
  joined_to: 'text',
} as const satisfies ColumnTypes<ControlAppealRow>;

/**
 * The period an appeal is on control, [registered_on, off_control_on): on control at the end of day
 * D when it contains D. Clamped so a backdated removal cannot make an invalid range.
 */
export const controlPeriodSql = (alias?: string): string => {
  const c = (column: string): string => (alias ? `${alias}.${column}` : column);
  const until = `CASE WHEN ${c('off_control_on')} < ${c('registered_on')} THEN ${c('registered_on')} ELSE ${c('off_control_on')} END`;
  return `daterange(${c('registered_on')}, ${until}, '[)')`;
};

export interface ControlProjectionOptions {
  /** the administration's time zone: business instants become local dates in it */
  timeZone: string;
}

export class ControlProjection implements Projection {
  readonly name = CONTROL_PROJECTION;
  // 2: per-question forwarding and leaving without answer (kept_questions, forwarded_late,
  // without_answer_ground; the forwardings and without_answers tables); `registered_late`
  // (59-FZ art. 8 ч.2); the report to the sending body and further control columns (issue 14)
  // 3: index appeals_report_back_due (the report-back reminders' candidates, issue 14)
  // 3: `co_executors`, `co_executed_on` (the head's resolution with co-executors, issue 14)
  // 3: joined_to — a confirmed duplicate off control, answered with its original (decision 0008)
  readonly version = 3;
  /**
   * Every row is one appeal's (`appeal_id`, or a reminder id the reminder process derives from it),
   * written by `evolveControl` from that appeal's own events only (a duplicate's `joined_to` names its
   * original but is set from the duplicate's event): a rebuild may fold each appeal whole.
   */
  readonly foldsPerStream = true;
  /** `handle` reads each event through `groupByAppeal`: its stream, position, type and data only. */
  readonly foldsFromDataAlone = true;
  readonly tables = [
    'appeals',
    'due_dates',
    'assignments',
    'resolutions',
    'reminders',
    'forwardings',
    'without_answers',
  ] as const;

  constructor(private readonly options: ControlProjectionOptions) {}

  createTables(schema: string): readonly string[] {
    const t = (name: string): string => qualified(schema, name);
    return [
      `CREATE TABLE ${t('appeals')} (
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
        position bigint NOT NULL,
        kept_questions integer NOT NULL,
        forwarded_late boolean NOT NULL,
        without_answer_ground text,
        report_back_by date,
        reported_to_source_on date,
        further_control_on date,
        further_control_until date,
        measures_completed_on date,
        co_executors jsonb NOT NULL DEFAULT '[]',
        co_executed_on date,
        joined_to text
      )`,
      `CREATE TABLE ${t('due_dates')} (
        appeal_id text NOT NULL,
        position bigint NOT NULL,
        effective_on date NOT NULL,
        due_date date NOT NULL,
        PRIMARY KEY (appeal_id, position)
      )`,
      `CREATE TABLE ${t('assignments')} (
        appeal_id text NOT NULL,
        position bigint NOT NULL,
        effective_on date NOT NULL,
        department text NOT NULL,
        executor_id text NOT NULL,
        executor_name text NOT NULL,
        PRIMARY KEY (appeal_id, position)
      )`,
      `CREATE TABLE ${t('resolutions')} (
        appeal_id text NOT NULL,
        seq integer NOT NULL,
        kind text NOT NULL,
        sent_on date NOT NULL,
        due_date date NOT NULL,
        late boolean NOT NULL,
        returned_on date,
        PRIMARY KEY (appeal_id, seq)
      )`,
      `CREATE TABLE ${t('reminders')} (
        reminder_id text PRIMARY KEY,
        appeal_id text NOT NULL,
        kind text NOT NULL,
        business_date date NOT NULL,
        due_date date NOT NULL
      )`,
      `CREATE TABLE ${t('forwardings')} (
        appeal_id text NOT NULL,
        position bigint NOT NULL,
        sent_on date NOT NULL,
        due_date date,
        late boolean NOT NULL,
        questions integer NOT NULL,
        whole boolean NOT NULL,
        PRIMARY KEY (appeal_id, position)
      )`,
      `CREATE TABLE ${t('without_answers')} (
        appeal_id text NOT NULL,
        position bigint NOT NULL,
        decided_on date NOT NULL,
        ground text NOT NULL,
        notice_late boolean NOT NULL,
        PRIMARY KEY (appeal_id, position)
      )`,
    ];
  }

  createIndexes(schema: string): readonly string[] {
    const t = (name: string): string => qualified(schema, name);
    // GET /control pages by (due_date, appeal_id) under each filter
    return [
      `CREATE INDEX appeals_due ON ${t('appeals')} (due_date, appeal_id)`,
      `CREATE INDEX appeals_department_due ON ${t('appeals')} (department, due_date, appeal_id)`,
      `CREATE INDEX appeals_executor_due ON ${t('appeals')} (executor_id, due_date, appeal_id)`,
      `CREATE INDEX appeals_state_due ON ${t('appeals')} (state, due_date, appeal_id)`,
      `CREATE INDEX appeals_open_due ON ${t('appeals')} (due_date, appeal_id) WHERE on_control AND resolved_on IS NULL`,
      // the report-back reminders: reports owed to the sending body (libs/reminders control-candidates.query.ts)
      `CREATE INDEX appeals_report_back_due ON ${t('appeals')} (report_back_by, appeal_id) WHERE on_control AND report_back_by IS NOT NULL AND reported_to_source_on IS NULL`,
      // the usual views are of what is on control: without these they would wade through closed rows
      `CREATE INDEX appeals_on_control_due ON ${t('appeals')} (due_date, appeal_id) WHERE on_control`,
      `CREATE INDEX appeals_on_control_department_due ON ${t('appeals')} (department, due_date, appeal_id) WHERE on_control`,
      `CREATE INDEX appeals_on_control_executor_due ON ${t('appeals')} (executor_id, due_date, appeal_id) WHERE on_control`,
      // weekly report: on control at a past date; registered / removed during a week
      `CREATE INDEX appeals_control_period ON ${t('appeals')} USING gist ((${controlPeriodSql()}))`,
      `CREATE INDEX appeals_registered ON ${t('appeals')} (registered_on)`,
      `CREATE INDEX appeals_off_control ON ${t('appeals')} (off_control_on) WHERE off_control_on IS NOT NULL`,
      `CREATE INDEX resolutions_sent ON ${t('resolutions')} (sent_on)`,
      `CREATE INDEX reminders_business_date ON ${t('reminders')} (business_date)`,
      `CREATE INDEX forwardings_sent ON ${t('forwardings')} (sent_on)`,
      `CREATE INDEX without_answers_decided ON ${t('without_answers')} (decided_on)`,
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
    const appealsTable = qualified(schema, 'appeals');
    const rows = await loadRows<ControlAppealRow>(tx, appealsTable, 'appeal_id', [...groups.keys()], context);

    const changed: ControlAppealRow[] = [];
    const dueDates: DueDateRow[] = [];
    const assignments: AssignmentRow[] = [];
    const resolutions: ResolutionRow[] = [];
    const reminders: ReminderRow[] = [];
    const forwardings: ForwardingRow[] = [];
    const withoutAnswers: WithoutAnswerRow[] = [];
    for (const [appealId, envelopes] of groups) {
      let row = rows.get(appealId);
      for (const envelope of envelopes) {
        const change = evolveControl(row, envelope, this.options.timeZone);
        row = change.row;
        for (const write of change.writes) {
          switch (write.table) {
            case 'due_dates':
              dueDates.push(write.row);
              break;
            case 'assignments':
              assignments.push(write.row);
              break;
            case 'resolutions':
              resolutions.push(write.row);
              break;
            case 'reminders':
              reminders.push(write.row);
              break;
            case 'forwardings':
              forwardings.push(write.row);
              break;
            case 'without_answers':
              withoutAnswers.push(write.row);
              break;
          }
        }
      }
      if (row) changed.push(row);
    }

    await upsertRows(tx, appealsTable, ['appeal_id'], CONTROL_APPEAL_COLUMNS, changed, 'update', context);
    await upsertRows(
      tx,
      qualified(schema, 'due_dates'),
      ['appeal_id', 'position'],
      { appeal_id: 'text', position: 'bigint', effective_on: 'date', due_date: 'date' },
      dueDates,
      'update',
      context,
    );
    await upsertRows(
      tx,
      qualified(schema, 'assignments'),
      ['appeal_id', 'position'],
      {
        appeal_id: 'text',
        position: 'bigint',
        effective_on: 'date',
        department: 'text',
        executor_id: 'text',
        executor_name: 'text',
      },
      assignments,
      'update',
      context,
    );
    await upsertRows(
      tx,
      qualified(schema, 'resolutions'),
      ['appeal_id', 'seq'],
      {
        appeal_id: 'text',
        seq: 'integer',
        kind: 'text',
        sent_on: 'date',
        due_date: 'date',
        late: 'boolean',
        returned_on: 'date',
      },
      lastPerKey(resolutions, (r) => `${r.appeal_id}\u0000${r.seq}`),
      'update',
      context,
    );
    await upsertRows(
      tx,
      qualified(schema, 'reminders'),
      ['reminder_id'],
      { reminder_id: 'text', appeal_id: 'text', kind: 'text', business_date: 'date', due_date: 'date' },
      lastPerKey(reminders, (r) => r.reminder_id),
      'nothing',
    );
    await upsertRows(
      tx,
      qualified(schema, 'forwardings'),
      ['appeal_id', 'position'],
      {
        appeal_id: 'text',
        position: 'bigint',
        sent_on: 'date',
        due_date: 'date',
        late: 'boolean',
        questions: 'integer',
        whole: 'boolean',
      },
      forwardings,
      'update',
      context,
    );
    await upsertRows(
      tx,
      qualified(schema, 'without_answers'),
      ['appeal_id', 'position'],
      { appeal_id: 'text', position: 'bigint', decided_on: 'date', ground: 'text', notice_late: 'boolean' },
      withoutAnswers,
      'update',
      context,
    );
  }
}
