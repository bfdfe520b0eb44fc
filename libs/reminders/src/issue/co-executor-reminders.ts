/**
 * Reminders to co-executors of their parts (issue 14): a co-executor named in the head's resolution
 * who has not sent their part gets `due_soon` / `due_today` / `overdue` by the part's term (their own
 * `dueDate`, or the appeal's due date), on the same schedule as the appeal's own reminders, until they
 * send it. Each is a `DeadlineReminderIssued` with `coExecutor` on the appeal's stream (the feed, the
 * webhook and the e-mail digest carry it to the co-executor's department), issued through the one
 * command pipeline as the appeal's reminders are; its id is uuidv5(appeal, kind, term, co-executor).
 */
import {
  decide,
  isAllowed,
  localDate,
  pendingCoExecutors,
  type AppealRules,
  type IsoDate,
  type IssueDeadlineReminder,
  type ReminderKind,
  type WorkingDayCalendar,
} from '@appeal-ledger/appeal';
import { deterministicEventId } from '@appeal-ledger/event-store';
import { qualified, type EngineLogger, type SqlExecutor } from '@appeal-ledger/projections';
import { applicableReminder, candidateHorizon, REMINDER_ID_NAMESPACE } from '../schedule/reminder.schedule';
import { CONTROL_SCHEMA, findRecordedReminderIds } from './control-candidates.query';
import { reminderMetadata, reminderPipeline, type AppealAccess } from './reminder.issuer';

/** The reminder's id and its event's id: one per appeal, co-executor, kind and term. */
export function coExecutorReminderId(
  appealId: string,
  coExecutorId: string,
  kind: ReminderKind,
  dueDate: IsoDate,
): string {
  return deterministicEventId(REMINDER_ID_NAMESPACE, appealId, kind, dueDate, 'co-executor', coExecutorId);
}

export interface CoExecutorCandidate {
  appealId: string;
  coExecutorId: string;
  /** the part's term as the read model knows it (the issuer re-checks it on the stream) */
  dueDate: IsoDate;
}

/** Parts still owed on open appeals on control whose term is before `horizon` (exclusive). */
export async function findCoExecutorCandidates(
  db: SqlExecutor,
  horizon: IsoDate,
  schema = CONTROL_SCHEMA,
): Promise<CoExecutorCandidate[]> {
  const { rows } = await db.query<{ appeal_id: string; co_executor_id: string; due_date: string }>(
    `SELECT a.appeal_id, c->>'id' AS co_executor_id,
            to_char(COALESCE((c->>'due_date')::date, a.due_date), 'YYYY-MM-DD') AS due_date
       FROM ${qualified(schema, 'appeals')} a CROSS JOIN LATERAL jsonb_array_elements(a.co_executors) c
      WHERE a.on_control AND a.resolved_on IS NULL AND a.co_executors <> '[]'::jsonb
        AND c->>'contributed_on' IS NULL
        AND COALESCE((c->>'due_date')::date, a.due_date) < $1::date
      ORDER BY 3, a.appeal_id, 2`,
    [horizon],
  );
  return rows.map((r) => ({ appealId: r.appeal_id, coExecutorId: r.co_executor_id, dueDate: r.due_date }));
}

export type CoExecutorIssueOutcome =
  | { status: 'issued'; reminderId: string; kind: ReminderKind; dueDate: IsoDate; position: number }
  | { status: 'already_issued'; reminderId: string }
  | { status: 'not_applicable' }
  | { status: 'failed'; detail: string };

interface Prepared {
  known: { reminderId: string; kind: ReminderKind; dueDate: IsoDate } | null;
  command: IssueDeadlineReminder | null;
}

export interface CoExecutorReminderOptions {
  access: AppealAccess;
  rules: AppealRules;
  daysBefore: number;
  schemaVersion: number;
  /** reads the control read model */
  db: SqlExecutor;
  calendar: WorkingDayCalendar;
  timeZone: string;
  now: () => Date;
  /** runs the issue of one appeal queued behind the app's own commands to it (default: as is) */
  serialize?: <T>(appealId: string, work: () => Promise<T>) => Promise<T>;
  controlSchema?: string;
  logger?: Pick<EngineLogger, 'info' | 'warn'>;
}

export interface CoExecutorPassResult {
  candidates: number;
  issued: { appealId: string; reminderId: string; kind: ReminderKind; position: number }[];
  skipped: number;
  failed: number;
}

/** Issues co-executors' reminders: one pass over the parts still owed, one reminder at a time. */
export class CoExecutorReminders {
  private readonly pipeline: ReturnType<typeof reminderPipeline<Prepared>>;

  constructor(private readonly options: CoExecutorReminderOptions) {
    this.pipeline = reminderPipeline<Prepared>(options.access);
  }

  async pass(): Promise<CoExecutorPassResult> {
    const { db, calendar, daysBefore, timeZone } = this.options;
    const issuedAt = this.options.now().toISOString();
    const today = localDate(issuedAt, timeZone);
    const schema = this.options.controlSchema ?? CONTROL_SCHEMA;
    const candidates = await findCoExecutorCandidates(
      db,
      candidateHorizon(today, daysBefore, calendar),
      schema,
    );
    const due = candidates.flatMap((c) => {
      const kind = applicableReminder(c.dueDate, today, daysBefore, calendar);
      return kind ? [{ ...c, id: coExecutorReminderId(c.appealId, c.coExecutorId, kind, c.dueDate) }] : [];
    });
    const recorded = await findRecordedReminderIds(
      db,
      due.map((d) => d.id),
      schema,
    );
    const result: CoExecutorPassResult = { candidates: candidates.length, issued: [], skipped: 0, failed: 0 };
    const serialize = this.options.serialize ?? (<T>(_id: string, work: () => Promise<T>) => work());
    for (const part of due.filter((d) => !recorded.has(d.id))) {
      try {
        const outcome = await serialize(part.appealId, () =>
          this.issue(part.appealId, part.coExecutorId, today, issuedAt),
        );
        if (outcome.status === 'issued')
          result.issued.push({
            appealId: part.appealId,
            reminderId: outcome.reminderId,
            kind: outcome.kind,
            position: outcome.position,
          });
        else if (outcome.status === 'failed') {
          result.failed += 1;
          this.options.logger?.warn(
            { appealId: part.appealId, detail: outcome.detail },
            'co-executor reminder refused',
          );
        } else result.skipped += 1;
      } catch (error) {
        result.failed += 1;
        this.options.logger?.warn(
          { appealId: part.appealId, err: error },
          'co-executor reminder not issued; next pass retries',
        );
      }
    }
    return result;
  }

  /** Issues the reminder that applies to `coExecutorId`'s part of `appealId` on `businessDate`. */
  async issue(
    appealId: string,
    coExecutorId: string,
    businessDate: IsoDate,
    issuedAt: string,
  ): Promise<CoExecutorIssueOutcome> {
    const { rules, daysBefore } = this.options;
    let last: Prepared['known'] = null;
    const outcome = await this.pipeline.handle(
      appealId,
      {
        command: (appeal): Prepared => {
          last = null;
          if (!appeal || !isAllowed(appeal.state, 'issue_reminder')) return { known: null, command: null };
          const part = pendingCoExecutors(appeal.state.context).find((c) => c.id === coExecutorId);
          if (!part) return { known: null, command: null };
          const kind = applicableReminder(part.dueDate, businessDate, daysBefore, rules.calendar);
          if (kind === null) return { known: null, command: null };
          const id = coExecutorReminderId(appealId, coExecutorId, kind, part.dueDate);
          last = { reminderId: id, kind, dueDate: part.dueDate };
          return {
            known: last,
            command: {
              type: 'IssueDeadlineReminder',
              data: { reminderId: id, kind, businessDate, issuedAt, coExecutorId },
            },
          };
        },
        decide: ({ command }, appeal) =>
          command && appeal ? decide(command, appeal.state, rules) : { ok: false, reason: 'not_applicable' },
      },
      {
        eventIds: (_commandId, count, { known }) =>
          Array.from({ length: count }, () => known?.reminderId ?? ''),
        metadata: (_commandId, { known }) =>
          reminderMetadata(known?.reminderId ?? '', issuedAt, this.options.schemaVersion),
      },
    );
    const known = last as Prepared['known'];
    switch (outcome.status) {
      case 'done':
        if (!known) throw new Error('a co-executor reminder was recorded without a kind');
        return outcome.written
          ? { status: 'issued', ...known, position: outcome.loaded.position }
          : { status: 'already_issued', reminderId: known.reminderId };
      case 'not_found':
        return { status: 'not_applicable' };
      case 'refused':
        return outcome.refusal.reason === 'not_applicable'
          ? { status: 'not_applicable' }
          : { status: 'failed', detail: outcome.refusal.message };
      case 'contention':
        return {
          status: 'failed',
          detail: `lost ${outcome.attempts} races to other writers of appeal ${appealId}`,
        };
      case 'forbidden':
      case 'precondition_failed':
      case 'idempotency_key_reused':
        throw new Error(`co-executor reminders: unexpected pipeline outcome ${outcome.status}`);
      default: {
        const never: never = outcome;
        throw new Error(`unknown outcome ${JSON.stringify(never)}`);
      }
    }
  }
}
