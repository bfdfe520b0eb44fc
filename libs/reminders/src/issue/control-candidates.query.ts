/**
 * Candidate selection from the control read model (`rm_control.appeals`, owned by libs/projections):
 * appeals on control without a resolution in force whose due date is below the horizon. It reads
 * the partial index `appeals_open_due (due_date, appeal_id) WHERE on_control AND resolved_on IS NULL`,
 * so closed appeals cost nothing however many there are.
 */
import type { IsoDate } from '@appeal-ledger/appeal';
import { qualified, type SqlExecutor } from '@appeal-ledger/projections';

export const CONTROL_SCHEMA = 'rm_control';

export interface ReminderCandidate {
  appealId: string;
  /**
   * the due date as the read model knows it (the issuer re-checks it on the appeal's stream): the
   * term's, or for report-back candidates the date the sending body asked for
   */
  dueDate: IsoDate;
}

/** Open appeals on control due before `horizon` (exclusive), in due-date order. */
export async function findReminderCandidates(
  db: SqlExecutor,
  horizon: IsoDate,
  schema = CONTROL_SCHEMA,
): Promise<ReminderCandidate[]> {
  const { rows } = await db.query<{ appeal_id: string; due_date: string }>(
    `SELECT appeal_id, to_char(due_date, 'YYYY-MM-DD') AS due_date
       FROM ${qualified(schema, 'appeals')}
      WHERE on_control AND resolved_on IS NULL AND due_date < $1::date
      ORDER BY due_date, appeal_id`,
    [horizon],
  );
  return rows.map((row) => ({ appealId: row.appeal_id, dueDate: row.due_date }));
}

/**
 * Appeals on control owing the sending body a report asked for before `horizon` (exclusive):
 * `report_back_by` set, `reported_to_source_on` not (issue 14). Answered appeals included — the report
 * is owed until it is recorded. Reads the partial index `appeals_report_back_due` (control v3).
 */
export async function findReportBackCandidates(
  db: SqlExecutor,
  horizon: IsoDate,
  schema = CONTROL_SCHEMA,
): Promise<ReminderCandidate[]> {
  const { rows } = await db.query<{ appeal_id: string; report_back_by: string }>(
    `SELECT appeal_id, to_char(report_back_by, 'YYYY-MM-DD') AS report_back_by
       FROM ${qualified(schema, 'appeals')}
      WHERE on_control AND reported_to_source_on IS NULL AND report_back_by < $1::date
      ORDER BY report_back_by, appeal_id`,
    [horizon],
  );
  return rows.map((row) => ({ appealId: row.appeal_id, dueDate: row.report_back_by }));
}

/** Which of `ids` the control read model already records as issued (`rm_control.reminders`, by primary key). */
export async function findRecordedReminderIds(
  db: SqlExecutor,
  ids: readonly string[],
  schema = CONTROL_SCHEMA,
): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const { rows } = await db.query<{ reminder_id: string }>(
    `SELECT reminder_id FROM ${qualified(schema, 'reminders')} WHERE reminder_id = ANY($1::text[])`,
    [ids],
  );
  return new Set(rows.map((row) => row.reminder_id));
}
