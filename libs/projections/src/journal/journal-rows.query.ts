/**
 * The web journal: every registered appeal, newest registration first, filtered and paged by
 * (registration date, id) with an opaque cursor. Reads `rm_journal.appeals`.
 */
import type { SqlExecutor } from '../projection.port';
import { isIsoDate } from '../shared/business-date';
import { CONTROL_STATES } from '../control/control-rows.query';
import type { ControlAppealState } from '../control/control.evolve';
import { InvalidReportQueryError } from '../shared/errors';
import { rowScopeSql, type RowScope } from '../shared/row-scope';
import { workingDaysBetween } from '../shared/event-store';
import type {
  AppealKind,
  Channel,
  Executor,
  IsoDate,
  WithoutAnswerGround,
  WorkingDayCalendar,
} from '../shared/event-store';
import { flagFilterSql, type AppealFlagFilters } from '../control/flag-filters';
import type { JournalAppealRow } from './journal.evolve';
import { JOURNAL_SCHEMA } from './journal.projection';

export const JOURNAL_CHANNELS: readonly Channel[] = ['written', 'electronic', 'personal_reception', 'phone'];

/** The law flags (registeredLate, forwardedLate, extended, …): ../control/flag-filters.ts. */
export interface JournalFilters extends AppealFlagFilters {
  state?: ControlAppealState;
  department?: string;
  executorId?: string;
  channel?: Channel;
  /** a classifier code or its prefix (`0005.0005` finds `0005.0005.0056.1149`) */
  questionCode?: string;
  territory?: string;
  /** registered on or after */
  from?: IsoDate;
  /** registered on or before */
  to?: IsoDate;
  /** the registration number, exactly (letter case ignored) */
  number?: string;
  /** 1–500, default 50 */
  limit?: number;
  /** a download (the journal's CSV): `limit` up to MAX_JOURNAL_EXPORT_LIMIT */
  forExport?: boolean;
  /** `nextCursor` of the previous page */
  cursor?: string;
  /** only the rows this reader may see (absent: every row) */
  scope?: RowScope;
}

export interface JournalQueryContext {
  /** "today" in the administration's time zone */
  today: IsoDate;
  calendar: WorkingDayCalendar;
}

export interface JournalRow {
  id: string;
  number: string;
  registeredAt: IsoDate;
  receivedAt: IsoDate;
  channel: Channel;
  kind: AppealKind;
  territory: string | null;
  questionCodes: string[];
  state: ControlAppealState;
  department: string | null;
  executor: Executor | null;
  dueDate: IsoDate;
  /** working days from today to the due date: 0 due today, negative once passed */
  daysLeft: number;
  /** on control, no final answer, due date before today */
  overdue: boolean;
  onControl: boolean;
  /** registered after the three days of 59-FZ art. 8 ч.2 */
  registeredLate: boolean;
  /** the term was extended (art. 12 ч.2) */
  extended: boolean;
  /** a forwarding by competence after the 7-day term (art. 8 ч.3) */
  forwardedLate: boolean;
  /** the art. 11 ground it was left without an answer on, or null */
  withoutAnswerGround: WithoutAnswerGround | null;
  /** on further control until the measures are completed */
  onFurtherControl: boolean;
  /** the date the sending body asked for the result; null when it did not */
  reportBackBy: IsoDate | null;
  /** the result is owed to the sending body (on control, asked for, not yet reported) */
  reportToSourcePending: boolean;
}

export interface JournalPage {
  rows: JournalRow[];
  nextCursor: string | null;
}

export const DEFAULT_JOURNAL_LIMIT = 50;
export const MAX_JOURNAL_LIMIT = 500;
/** The rows of one journal download (`?format=csv`). */
export const MAX_JOURNAL_EXPORT_LIMIT = 5000;

export function encodeJournalCursor(registeredAt: IsoDate, id: string): string {
  return Buffer.from(JSON.stringify([registeredAt, id]), 'utf8').toString('base64url');
}

function decodeJournalCursor(cursor: string): { registeredAt: IsoDate; id: string } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    parsed = undefined;
  }
  if (Array.isArray(parsed) && parsed.length === 2) {
    const [registeredAt, id] = parsed as unknown[];
    if (typeof registeredAt === 'string' && isIsoDate(registeredAt) && typeof id === 'string')
      return { registeredAt, id };
  }
  throw new InvalidReportQueryError(
    'cursor is not one this server issued: pass nextCursor of the previous page unchanged',
    'cursor',
  );
}

function validate(filters: JournalFilters): number {
  const limit = filters.limit ?? DEFAULT_JOURNAL_LIMIT;
  const max = filters.forExport === true ? MAX_JOURNAL_EXPORT_LIMIT : MAX_JOURNAL_LIMIT;
  if (!Number.isInteger(limit) || limit < 1 || limit > max) {
    throw new InvalidReportQueryError(`limit must be an integer from 1 to ${max}`, 'limit');
  }
  if (filters.state !== undefined && !CONTROL_STATES.includes(filters.state)) {
    throw new InvalidReportQueryError(`state must be one of ${CONTROL_STATES.join(', ')}`, 'state');
  }
  if (filters.channel !== undefined && !JOURNAL_CHANNELS.includes(filters.channel)) {
    throw new InvalidReportQueryError(`channel must be one of ${JOURNAL_CHANNELS.join(', ')}`, 'channel');
  }
  if (filters.questionCode !== undefined && !/^\d{1,4}(\.\d{1,4}){0,3}$/.test(filters.questionCode)) {
    throw new InvalidReportQueryError(
      'questionCode must be a classifier code or its prefix, e.g. 0005.0005',
      'questionCode',
    );
  }
  for (const field of ['from', 'to'] as const) {
    const value = filters[field];
    if (value !== undefined && !isIsoDate(value)) {
      throw new InvalidReportQueryError(`${field} must be a date YYYY-MM-DD`, field);
    }
  }
  return limit;
}

export async function findJournalRows(
  db: SqlExecutor,
  filters: JournalFilters,
  context: JournalQueryContext,
): Promise<JournalPage> {
  const limit = validate(filters);
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
  if (filters.number !== undefined) where.push(`lower(a.number) = lower(${param(filters.number.trim())})`);
  if (filters.state !== undefined) where.push(`a.state = ${param(filters.state)}`);
  if (filters.department !== undefined) where.push(`a.department = ${param(filters.department)}`);
  if (filters.executorId !== undefined) where.push(`a.executor_id = ${param(filters.executorId)}`);
  if (filters.channel !== undefined) where.push(`a.channel = ${param(filters.channel)}`);
  if (filters.territory !== undefined) where.push(`a.territory = ${param(filters.territory)}`);
  if (filters.questionCode !== undefined) {
    const code = param(filters.questionCode);
    where.push(
      `EXISTS (SELECT 1 FROM unnest(a.question_codes) c WHERE c = ${code} OR c LIKE ${code} || '.%')`,
    );
  }
  if (filters.from !== undefined) where.push(`a.registered_on >= ${param(filters.from)}::date`);
  if (filters.to !== undefined) where.push(`a.registered_on <= ${param(filters.to)}::date`);
  where.push(...flagFilterSql(filters, param));
  if (filters.cursor !== undefined) {
    const after = decodeJournalCursor(filters.cursor);
    where.push(`(a.registered_on, a.appeal_id) < (${param(after.registeredAt)}::date, ${param(after.id)})`);
  }
  const sql = `SELECT row_to_json(a) AS row FROM ${JOURNAL_SCHEMA}.appeals a
    ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}
    ORDER BY a.registered_on DESC, a.appeal_id DESC
    LIMIT ${param(limit + 1)}`;
  const result = await db.query<{ row: JournalAppealRow }>(sql, values);
  const page = result.rows.slice(0, limit).map((r) => toJournalRow(r.row, context));
  const last = page[page.length - 1];
  return {
    rows: page,
    nextCursor: result.rows.length > limit && last ? encodeJournalCursor(last.registeredAt, last.id) : null,
  };
}

export function toJournalRow(row: JournalAppealRow, context: JournalQueryContext): JournalRow {
  return {
    id: row.appeal_id,
    number: row.number,
    registeredAt: row.registered_on,
    receivedAt: row.received_on,
    channel: row.channel,
    kind: row.kind,
    territory: row.territory,
    questionCodes: row.question_codes,
    state: row.state,
    department: row.department,
    executor: row.executor_id === null ? null : { id: row.executor_id, name: row.executor_name ?? '' },
    dueDate: row.due_date,
    daysLeft: workingDaysBetween(context.today, row.due_date, context.calendar),
    overdue: row.on_control && row.resolved_on === null && row.due_date < context.today,
    onControl: row.on_control,
    registeredLate: row.registered_late,
    extended: row.extended,
    forwardedLate: row.forwarded_late,
    withoutAnswerGround: row.without_answer_ground,
    onFurtherControl:
      row.on_control && row.further_control_until !== null && row.measures_completed_on === null,
    reportBackBy: row.report_back_by,
    reportToSourcePending:
      row.on_control && row.report_back_by !== null && row.reported_to_source_on === null,
  };
}
