/**
 * The weekly control report, as of the end of an ISO week (Sunday, local). Everything is read "in
 * force at that date" from the histories (due dates, assignments, answers with their rework
 * returns), so a past week comes out the same however many events are appended later.
 */
import type { SqlExecutor } from '../projection.port';
import { controlPeriodSql, CONTROL_SCHEMA } from '../control/control.projection';
import { addDays, daysBetween, isoWeekRange } from '../shared/business-date';
import { InvalidReportQueryError } from '../shared/errors';
import type { Executor, IsoDate, WithoutAnswerGround } from '../shared/event-store';
import { WITHOUT_ANSWER_GROUNDS } from '../shared/event-store';

export interface WeeklyAppealRef {
  id: string;
  number: string;
  department: string | null;
  executor: Executor | null;
  dueDate: IsoDate;
}

export interface WeeklyOverdueAppeal extends WeeklyAppealRef {
  /** calendar days from the due date to the week's end */
  daysOverdue: number;
}

export interface WeeklyDepartmentLine {
  /** null: appeals not yet assigned to a department */
  department: string | null;
  onControl: number;
  answeredOnTime: number;
  answeredLate: number;
  overdue: number;
}

export interface WeeklyReport {
  week: string;
  from: IsoDate;
  to: IsoDate;
  /** registered by the week's end and not yet removed from control */
  onControl: number;
  registered: number;
  /** of those registered this week, registered after the three days of 59-FZ art. 8 ч.2 */
  registeredLate: number;
  finalAnswers: number;
  removedFromControl: number;
  remindersIssued: number;
  /** forwardings by competence sent during the week (59-FZ art. 8 ч.3), whole or per question; `late`: after the 7-day term */
  forwarded: { total: number; late: number };
  /** appeals left without an answer on the merits during the week (art. 11), by ground */
  leftWithoutAnswer: { total: number; byGround: Record<WithoutAnswerGround, number> };
  overdue: WeeklyOverdueAppeal[];
  dueNextWeek: WeeklyAppealRef[];
  awaitingFinalAfterInterim: WeeklyAppealRef[];
  /**
   * Reports of the result to the sending body that asked for it (`source.reportBackBy`, issue 14) sent
   * during the week; `late`: after the date asked for.
   */
  reportedToSource: { total: number; late: number };
  /** appeals on control at the week's end still owing that report after the date asked for */
  reportBackOverdue: number;
  /** answered appeals on further control at the week's end ("до принятия мер"), measures not yet completed */
  onFurtherControl: (WeeklyAppealRef & { furtherControlUntil: IsoDate })[];
  /** of those on control at the week's end, the appeals whose resolution named co-executors by then (issue 14) */
  coExecuted: number;
  byDepartment: WeeklyDepartmentLine[];
}

interface OnControlRow {
  id: string;
  number: string;
  due_date: IsoDate;
  department: string | null;
  executor_id: string | null;
  executor_name: string | null;
  interim: boolean;
  resolved: boolean;
  further_control_until: IsoDate | null;
  co_executed: boolean;
}

interface AnsweredRow {
  department: string | null;
  on_time: number;
  late: number;
}

interface CountsRow {
  registered: number;
  registered_late: number;
  removed: number;
  final_answers: number;
  reminders: number;
}

const S = CONTROL_SCHEMA;

/** Due date, department and executor in force at $1, per appeal `a`. */
const IN_FORCE = `
  CROSS JOIN LATERAL (
    SELECT d.due_date FROM ${S}.due_dates d
    WHERE d.appeal_id = a.appeal_id AND d.effective_on <= $1::date
    ORDER BY d.effective_on DESC, d.position DESC LIMIT 1
  ) due
  LEFT JOIN LATERAL (
    SELECT g.department, g.executor_id, g.executor_name FROM ${S}.assignments g
    WHERE g.appeal_id = a.appeal_id AND g.effective_on <= $1::date
    ORDER BY g.effective_on DESC, g.position DESC LIMIT 1
  ) asg ON true`;

export interface WeeklyReportOptions {
  /** only the appeals of this department (in force at the week's end): a department's own report */
  department?: string;
}

/** `week`: `YYYY-Www`. Throws InvalidReportQueryError when it is malformed or does not exist. */
export async function weeklyControlReport(
  db: SqlExecutor,
  week: string,
  options: WeeklyReportOptions = {},
): Promise<WeeklyReport> {
  let range: { week: string; from: IsoDate; to: IsoDate };
  try {
    range = isoWeekRange(week);
  } catch (error) {
    throw new InvalidReportQueryError(error instanceof Error ? error.message : String(error), 'week');
  }
  const { from, to } = range;
  const department = options.department;
  const inDepartment = (placeholder: string): string =>
    department === undefined ? '' : `AND asg.department = ${placeholder}`;

  const onControl = await db.query<OnControlRow>(
    `SELECT a.appeal_id AS id, a.number, due.due_date::text AS due_date,
            asg.department, asg.executor_id, asg.executor_name,
            (a.first_interim_on IS NOT NULL AND a.first_interim_on <= $1::date) AS interim,
            EXISTS (
              SELECT 1 FROM ${S}.resolutions r
              WHERE r.appeal_id = a.appeal_id AND r.sent_on <= $1::date AND (r.returned_on IS NULL OR r.returned_on > $1::date)
            ) AS resolved,
            CASE WHEN a.further_control_on <= $1::date
                  AND (a.measures_completed_on IS NULL OR a.measures_completed_on > $1::date)
                 THEN a.further_control_until::text END AS further_control_until,
            COALESCE(a.co_executed_on <= $1::date, false) AS co_executed
     FROM ${S}.appeals a ${IN_FORCE}
     WHERE ${controlPeriodSql('a')} @> $1::date ${inDepartment('$2')}
     ORDER BY due.due_date, a.number, a.appeal_id`,
    department === undefined ? [to] : [to, department],
  );

  // final answers sent during the week, on time or late against the due date in force when sent
  const answered = await db.query<AnsweredRow>(
    `SELECT asg.department,
            count(*) FILTER (WHERE NOT r.late)::int AS on_time,
            count(*) FILTER (WHERE r.late)::int AS late
     FROM ${S}.resolutions r
     JOIN ${S}.appeals a ON a.appeal_id = r.appeal_id ${IN_FORCE}
     WHERE r.kind = 'final' AND r.sent_on BETWEEN $2::date AND $1::date ${inDepartment('$3')}
     GROUP BY asg.department`,
    department === undefined ? [to, from] : [to, from, department],
  );

  const counts = await db.query<CountsRow>(
    department !== undefined
      ? `SELECT
       (SELECT count(*) FROM ${S}.appeals a ${IN_FORCE}
         WHERE a.registered_on BETWEEN $2::date AND $1::date AND asg.department = $3)::int AS registered,
       (SELECT count(*) FROM ${S}.appeals a ${IN_FORCE}
         WHERE a.registered_on BETWEEN $2::date AND $1::date AND a.registered_late AND asg.department = $3)::int AS registered_late,
       (SELECT count(*) FROM ${S}.appeals a ${IN_FORCE}
         WHERE a.off_control_on BETWEEN $2::date AND $1::date AND asg.department = $3)::int AS removed,
       (SELECT count(*) FROM ${S}.resolutions r JOIN ${S}.appeals a ON a.appeal_id = r.appeal_id ${IN_FORCE}
         WHERE r.kind = 'final' AND r.sent_on BETWEEN $2::date AND $1::date AND asg.department = $3)::int AS final_answers,
       (SELECT count(*) FROM ${S}.reminders m JOIN ${S}.appeals a ON a.appeal_id = m.appeal_id ${IN_FORCE}
         WHERE m.business_date BETWEEN $2::date AND $1::date AND asg.department = $3)::int AS reminders`
      : `SELECT
       (SELECT count(*) FROM ${S}.appeals WHERE registered_on BETWEEN $2::date AND $1::date)::int AS registered,
       (SELECT count(*) FROM ${S}.appeals WHERE registered_on BETWEEN $2::date AND $1::date AND registered_late)::int AS registered_late,
       (SELECT count(*) FROM ${S}.appeals WHERE off_control_on BETWEEN $2::date AND $1::date)::int AS removed,
       (SELECT count(*) FROM ${S}.resolutions WHERE kind = 'final' AND sent_on BETWEEN $2::date AND $1::date)::int AS final_answers,
       (SELECT count(*) FROM ${S}.reminders WHERE business_date BETWEEN $2::date AND $1::date)::int AS reminders`,
    department === undefined ? [to, from] : [to, from, department],
  );
  const count = counts.rows[0];
  if (!count) throw new Error('weekly report: the counts query returned no row');

  const outcomeParams = department === undefined ? [to, from] : [to, from, department];
  const forwardings = await db.query<{ total: number; late: number }>(
    `SELECT count(*)::int AS total, count(*) FILTER (WHERE f.late)::int AS late
     FROM ${S}.forwardings f JOIN ${S}.appeals a ON a.appeal_id = f.appeal_id ${IN_FORCE}
     WHERE f.sent_on BETWEEN $2::date AND $1::date ${inDepartment('$3')}`,
    outcomeParams,
  );
  const withoutAnswers = await db.query<{ ground: WithoutAnswerGround; n: number }>(
    `SELECT w.ground, count(*)::int AS n
     FROM ${S}.without_answers w JOIN ${S}.appeals a ON a.appeal_id = w.appeal_id ${IN_FORCE}
     WHERE w.decided_on BETWEEN $2::date AND $1::date ${inDepartment('$3')}
     GROUP BY w.ground`,
    outcomeParams,
  );
  // the report to the sending body (issue 14): sent during the week, and still owed past its date at the week's end
  const reports = await db.query<{ reported: number; reported_late: number; overdue: number }>(
    `SELECT count(*) FILTER (WHERE a.reported_to_source_on BETWEEN $2::date AND $1::date)::int AS reported,
            count(*) FILTER (WHERE a.reported_to_source_on BETWEEN $2::date AND $1::date
                               AND a.reported_to_source_on > a.report_back_by)::int AS reported_late,
            count(*) FILTER (WHERE ${controlPeriodSql('a')} @> $1::date AND a.report_back_by < $1::date
                               AND (a.reported_to_source_on IS NULL OR a.reported_to_source_on > $1::date))::int AS overdue
     FROM ${S}.appeals a ${IN_FORCE}
     WHERE a.report_back_by IS NOT NULL ${inDepartment('$3')}`,
    outcomeParams,
  );
  const byGround = Object.fromEntries(WITHOUT_ANSWER_GROUNDS.map((g) => [g, 0])) as Record<
    WithoutAnswerGround,
    number
  >;
  for (const row of withoutAnswers.rows) byGround[row.ground] += row.n;

  const nextFrom = addDays(to, 1);
  const nextTo = addDays(to, 7);
  const ref = (row: OnControlRow): WeeklyAppealRef => ({
    id: row.id,
    number: row.number,
    department: row.department,
    executor: row.executor_id === null ? null : { id: row.executor_id, name: row.executor_name ?? '' },
    dueDate: row.due_date,
  });
  const overdueRows = onControl.rows.filter((row) => !row.resolved && row.due_date < to);

  const departments = new Map<string | null, WeeklyDepartmentLine>();
  const line = (department: string | null): WeeklyDepartmentLine => {
    let found = departments.get(department);
    if (!found) {
      found = { department, onControl: 0, answeredOnTime: 0, answeredLate: 0, overdue: 0 };
      departments.set(department, found);
    }
    return found;
  };
  for (const row of onControl.rows) line(row.department).onControl += 1;
  for (const row of overdueRows) line(row.department).overdue += 1;
  for (const row of answered.rows) {
    line(row.department).answeredOnTime += row.on_time;
    line(row.department).answeredLate += row.late;
  }

  return {
    week: range.week,
    from,
    to,
    onControl: onControl.rows.length,
    registered: count.registered,
    registeredLate: count.registered_late,
    finalAnswers: count.final_answers,
    removedFromControl: count.removed,
    remindersIssued: count.reminders,
    forwarded: { total: forwardings.rows[0]?.total ?? 0, late: forwardings.rows[0]?.late ?? 0 },
    leftWithoutAnswer: {
      total: withoutAnswers.rows.reduce((total, row) => total + row.n, 0),
      byGround,
    },
    overdue: overdueRows
      .map((row) => ({ ...ref(row), daysOverdue: daysBetween(row.due_date, to) }))
      .sort((a, b) => b.daysOverdue - a.daysOverdue || a.number.localeCompare(b.number, 'ru')),
    dueNextWeek: onControl.rows
      .filter((row) => !row.resolved && row.due_date >= nextFrom && row.due_date <= nextTo)
      .map(ref),
    awaitingFinalAfterInterim: onControl.rows.filter((row) => !row.resolved && row.interim).map(ref),
    reportedToSource: {
      total: reports.rows[0]?.reported ?? 0,
      late: reports.rows[0]?.reported_late ?? 0,
    },
    reportBackOverdue: reports.rows[0]?.overdue ?? 0,
    onFurtherControl: onControl.rows.flatMap((row) =>
      row.further_control_until === null
        ? []
        : [{ ...ref(row), furtherControlUntil: row.further_control_until }],
    ),
    coExecuted: onControl.rows.filter((row) => row.co_executed).length,
    byDepartment: [...departments.values()].sort(byDepartmentName),
  };
}

/** Departments alphabetically (Russian collation), the unassigned line last. */
function byDepartmentName(a: WeeklyDepartmentLine, b: WeeklyDepartmentLine): number {
  if (a.department === b.department) return 0;
  if (a.department === null) return 1;
  if (b.department === null) return -1;
  return a.department.localeCompare(b.department, 'ru');
}
