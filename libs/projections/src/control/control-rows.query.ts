/** GET /control: the control read model filtered and paged by (due date, id) with an opaque cursor. */
import type { SqlExecutor } from '../projection.port';
import { isIsoDate } from '../shared/business-date';
import { InvalidReportQueryError } from '../shared/errors';
import { rowScopeSql, type RowScope } from '../shared/row-scope';
import { APPEAL_STATUSES, workingDaysBetween } from '../shared/event-store';
import type { Executor, IsoDate, WithoutAnswerGround, WorkingDayCalendar } from '../shared/event-store';
import type { ControlAppealRow, ControlAppealState } from './control.evolve';
import { CONTROL_SCHEMA } from './control.projection';
import { flagFilterSql, type AppealFlagFilters } from './flag-filters';

/** The states the control model filters by: the domain's statuses, one list. */
export const CONTROL_STATES: readonly ControlAppealState[] = APPEAL_STATUSES;

/** The flags (registeredLate, forwardedLate, extended, …): ./flag-filters.ts, shared with the journal. */
export interface ControlFilters extends AppealFlagFilters {
  state?: ControlAppealState;
  department?: string;
  executorId?: string;
  /** true: only overdue rows; false: only rows that are not overdue */
  overdue?: boolean;
  /** due date strictly before this date */
  dueBefore?: IsoDate;
  onControl?: boolean;
  /** 1–500, default 50 */
  limit?: number;
  /** `nextCursor` of the previous page */
  cursor?: string;
  /** only the rows this reader may see (absent: every row) */
  scope?: RowScope;
}

export interface ControlQueryContext {
  /** "today" in the administration's time zone */
  today: IsoDate;
  calendar: WorkingDayCalendar;
}

/** A row of GET /control (docs/api.md's fields first, then extras). */
export interface ControlRow {
  id: string;
  number: string;
  state: ControlAppealState;
  department: string | null;
  executor: Executor | null;
  registeredAt: IsoDate;
  dueDate: IsoDate;
  /** working days from today to the due date (workingDaysBetween): 0 due today, negative once passed */
  daysLeft: number;
  /** on control, no final answer, due date before today */
  overdue: boolean;
  interimAnswers: number;
  extended: boolean;
  onControl: boolean;
  finalAnswerAt: IsoDate | null;
  forwardedAt: IsoDate | null;
  late: boolean | null;
  remindersIssued: number;
  /** a forwarding by competence was sent after the 7-day term (59-FZ art. 8 ч.3) */
  forwardedLate: boolean;
  /** the ground it was left without an answer on the merits (art. 11), or null */
  withoutAnswerGround: WithoutAnswerGround | null;
  /** registered after the three days of 59-FZ art. 8 ч.2 */
  registeredLate: boolean;
  /** the date the sending body asked for the result (`source.reportBackBy`); null when it did not */
  reportBackBy: IsoDate | null;
  /** the result is owed to the sending body (asked for, not yet reported) */
  reportToSourcePending: boolean;
  /** the result is owed and the date asked for has passed */
  reportToSourceOverdue: boolean;
  reportedToSourceAt: IsoDate | null;
  /** on further control after the answer until the measures are completed ("до принятия мер") */
  onFurtherControl: boolean;
  furtherControlUntil: IsoDate | null;
  measuresCompletedAt: IsoDate | null;
  /**
   * The co-executors of the head's resolution in force (issue 14) and whether each has sent their
   * part; empty without a resolution naming any.
   */
  coExecutors: ControlCoExecutorRow[];
}

export interface ControlCoExecutorRow {
  id: string;
  name: string;
  department: string;
  /** the part's term: its own, or the appeal's due date */
  dueDate: IsoDate;
  contributed: boolean;
  contributedAt: IsoDate | null;
}

export interface ControlPage {
  rows: ControlRow[];
  /** pass as `cursor` for the next page; null on the last page */
  nextCursor: string | null;
}

export const DEFAULT_CONTROL_LIMIT = 50;
export const MAX_CONTROL_LIMIT = 500;

export function encodeControlCursor(dueDate: IsoDate, id: string): string {
  return Buffer.from(JSON.stringify([dueDate, id]), 'utf8').toString('base64url');
}

export function decodeControlCursor(cursor: string): { dueDate: IsoDate; id: string } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    parsed = undefined;
  }
  if (Array.isArray(parsed) && parsed.length === 2) {
    const [dueDate, id] = parsed as unknown[];
    if (typeof dueDate === 'string' && isIsoDate(dueDate) && typeof id === 'string') return { dueDate, id };
  }
  throw new InvalidReportQueryError(
    'cursor is not one this server issued: pass nextCursor of the previous page unchanged',
    'cursor',
  );
}

const overdueSql = (today: string): string =>
  `a.on_control AND a.resolved_on IS NULL AND a.due_date < ${today}::date`;

export async function findControlRows(
  db: SqlExecutor,
  filters: ControlFilters,
  context: ControlQueryContext,
): Promise<ControlPage> {
  const limit = filters.limit ?? DEFAULT_CONTROL_LIMIT;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_CONTROL_LIMIT) {
    throw new InvalidReportQueryError(`limit must be an integer from 1 to ${MAX_CONTROL_LIMIT}`, 'limit');
  }
  if (filters.state !== undefined && !CONTROL_STATES.includes(filters.state)) {
    throw new InvalidReportQueryError(`state must be one of ${CONTROL_STATES.join(', ')}`, 'state');
  }
  if (filters.dueBefore !== undefined && !isIsoDate(filters.dueBefore)) {
    throw new InvalidReportQueryError('dueBefore must be a date YYYY-MM-DD', 'dueBefore');
  }
  if (!isIsoDate(context.today))
    throw new InvalidReportQueryError('today must be a date YYYY-MM-DD', 'today');

  const values: unknown[] = [];
  const where: string[] = [];
  const param = (value: unknown): string => {
    values.push(value);
    return `$${values.length}`;
  };
  if (filters.scope !== undefined)
    where.push(
      rowScopeSql(filters.scope, { department: 'a.department', executorId: 'a.executor_id' }, param),
    );
  if (filters.state !== undefined) where.push(`a.state = ${param(filters.state)}`);
  if (filters.department !== undefined) where.push(`a.department = ${param(filters.department)}`);
  if (filters.executorId !== undefined) where.push(`a.executor_id = ${param(filters.executorId)}`);
  if (filters.overdue === true) where.push(overdueSql(param(context.today)));
  if (filters.overdue === false) where.push(`NOT (${overdueSql(param(context.today))})`);
  if (filters.dueBefore !== undefined) where.push(`a.due_date < ${param(filters.dueBefore)}::date`);
  // a literal, not a parameter, so the planner can pick the partial on-control indexes
  if (filters.onControl !== undefined) where.push(filters.onControl ? 'a.on_control' : 'NOT a.on_control');
  where.push(...flagFilterSql(filters, param));
  if (filters.cursor !== undefined) {
    const after = decodeControlCursor(filters.cursor);
    where.push(`(a.due_date, a.appeal_id) > (${param(after.dueDate)}::date, ${param(after.id)})`);
  }
  const sql = `SELECT row_to_json(a) AS row FROM ${CONTROL_SCHEMA}.appeals a
    ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}
    ORDER BY a.due_date, a.appeal_id
    LIMIT ${param(limit + 1)}`;
  const result = await db.query<{ row: ControlAppealRow }>(sql, values);
  const page = result.rows.slice(0, limit).map((r) => toControlRow(r.row, context));
  const last = page[page.length - 1];
  return {
    rows: page,
    nextCursor: result.rows.length > limit && last ? encodeControlCursor(last.dueDate, last.id) : null,
  };
}

export function toControlRow(row: ControlAppealRow, context: ControlQueryContext): ControlRow {
  return {
    id: row.appeal_id,
    number: row.number,
    state: row.state,
    department: row.department,
    executor: row.executor_id === null ? null : { id: row.executor_id, name: row.executor_name ?? '' },
    registeredAt: row.registered_on,
    dueDate: row.due_date,
    daysLeft: workingDaysBetween(context.today, row.due_date, context.calendar),
    overdue: row.on_control && row.resolved_on === null && row.due_date < context.today,
    interimAnswers: row.interim_answers,
    extended: row.extended,
    onControl: row.on_control,
    finalAnswerAt: row.resolution_kind === 'final' ? row.resolved_on : null,
    forwardedAt: row.resolution_kind === 'forwarded' ? row.resolved_on : null,
    late: row.late,
    remindersIssued: row.reminders_issued,
    forwardedLate: row.forwarded_late,
    withoutAnswerGround: row.without_answer_ground,
    registeredLate: row.registered_late,
    ...sourceAndFurtherControl(row, context.today),
    coExecutors: (row.co_executors ?? []).map((c) => ({
      id: c.id,
      name: c.name,
      department: c.department,
      dueDate: c.due_date ?? row.due_date,
      contributed: c.contributed_on !== null,
      contributedAt: c.contributed_on,
    })),
  };
}

/** The control row's fields of the report to the sending body and of further control (issue 14). */
function sourceAndFurtherControl(
  row: ControlAppealRow,
  today: IsoDate,
): Pick<
  ControlRow,
  | 'reportBackBy'
  | 'reportToSourcePending'
  | 'reportToSourceOverdue'
  | 'reportedToSourceAt'
  | 'onFurtherControl'
  | 'furtherControlUntil'
  | 'measuresCompletedAt'
> {
  const reportBackBy = row.report_back_by;
  const reportedOn = row.reported_to_source_on;
  const pending = row.on_control && reportBackBy !== null && reportedOn === null;
  return {
    reportBackBy,
    reportToSourcePending: pending,
    reportToSourceOverdue: pending && reportBackBy < today,
    reportedToSourceAt: reportedOn,
    onFurtherControl:
      row.on_control && row.further_control_until !== null && row.measures_completed_on === null,
    furtherControlUntil: row.further_control_until,
    measuresCompletedAt: row.measures_completed_on,
  };
}
