/**
 * The reminder process manager: one pass finds the appeals a reminder applies to today (control
 * read model + production calendar), skips those already issued (read model, plus what this
 * process issued since, which the read model may not show yet) and issues the rest, a few at a time.
 * Passes are safe to run anywhere, any number of times: reminder ids make the store keep one.
 */
import { localDate, type IsoDate, type ReminderKind, type WorkingDayCalendar } from '@appeal-ledger/appeal';
import {
  applicableReminder,
  candidateHorizon,
  reminderId,
  reportBackReminder,
  type ReminderSubject,
} from '../schedule/reminder.schedule';
import { mapConcurrently } from '@appeal-ledger/event-store';
import type { EngineLogger, SqlExecutor } from '@appeal-ledger/projections';
import {
  CONTROL_SCHEMA,
  findRecordedReminderIds,
  findReminderCandidates,
  findReportBackCandidates,
} from './control-candidates.query';
import type { IssueOutcome } from './reminder.issuer';

export interface ReminderIssuing {
  issue(
    appealId: string,
    businessDate: IsoDate,
    issuedAt: string,
    subject?: ReminderSubject,
  ): Promise<IssueOutcome>;
  /** optional: read the appeals about to be issued to in one batch */
  prefetch?(appealIds: string[]): Promise<void>;
}

export interface ReminderProcessOptions {
  /** reads the control read model */
  db: SqlExecutor;
  issuer: ReminderIssuing;
  calendar: WorkingDayCalendar;
  timeZone: string;
  daysBefore: number;
  now: () => Date;
  /** appeals issued at once (default 8); each holds one connection while it reads and appends */
  concurrency?: number;
  controlSchema?: string;
  logger?: Pick<EngineLogger, 'info' | 'warn'>;
}

export interface PassResult {
  businessDate: IsoDate;
  issuedAt: string;
  /** open appeals on control due before the horizon, and those owing a report asked for before it */
  candidates: number;
  /** of them, those with a reminder applying today */
  due: number;
  /** of those, already issued (read model or this process) */
  alreadyIssued: number;
  issued: { appealId: string; reminderId: string; kind: ReminderKind; position: number }[];
  /** the stream disagreed (answered, extended, issued by another instance) */
  skipped: number;
  failed: number;
  durationMs: number;
}

export class ReminderProcess {
  /** reminder ids this process issued or found issued, until the read model shows them */
  private recent = new Set<string>();
  private readonly concurrency: number;

  constructor(private readonly options: ReminderProcessOptions) {
    this.concurrency = Math.max(1, options.concurrency ?? 8);
  }

  async pass(): Promise<PassResult> {
    const started = performance.now();
    const { db, calendar, daysBefore, timeZone } = this.options;
    const now = this.options.now();
    const issuedAt = now.toISOString();
    const today = localDate(issuedAt, timeZone);
    const schema = this.options.controlSchema ?? CONTROL_SCHEMA;

    const horizon = candidateHorizon(today, daysBefore, calendar);
    const [termCandidates, reportCandidates] = await Promise.all([
      findReminderCandidates(db, horizon, schema),
      findReportBackCandidates(db, horizon, schema),
    ]);
    const candidates = [
      ...termCandidates.map((c) => ({ ...c, subject: 'term' as const })),
      ...reportCandidates.map((c) => ({ ...c, subject: 'report_back' as const })),
    ];
    const due: { appealId: string; id: string; subject: ReminderSubject }[] = [];
    // many appeals share a due date: work each date out once
    const kinds = new Map<string, ReminderKind | null>();
    for (const candidate of candidates) {
      const key = `${candidate.subject}|${candidate.dueDate}`;
      let kind = kinds.get(key);
      if (kind === undefined) {
        kind =
          candidate.subject === 'term'
            ? applicableReminder(candidate.dueDate, today, daysBefore, calendar)
            : reportBackReminder(candidate.dueDate, today, daysBefore, calendar);
        kinds.set(key, kind);
      }
      if (kind)
        due.push({
          appealId: candidate.appealId,
          id: reminderId(candidate.appealId, kind, candidate.dueDate),
          subject: candidate.subject,
        });
    }
    const recorded = await findRecordedReminderIds(
      db,
      due.filter((d) => !this.recent.has(d.id)).map((d) => d.id),
      schema,
    );
    const todo = due.filter((d) => !recorded.has(d.id) && !this.recent.has(d.id));
    // Forget what no longer applies, so the set stays as small as today's due list.
    const dueIds = new Set(due.map((d) => d.id));
    this.recent = new Set([...this.recent].filter((id) => dueIds.has(id)));

    const result: PassResult = {
      businessDate: today,
      issuedAt,
      candidates: candidates.length,
      due: due.length,
      alreadyIssued: due.length - todo.length,
      issued: [],
      skipped: 0,
      failed: 0,
      durationMs: 0,
    };
    // One read for every appeal about to get a reminder, instead of one per appeal.
    if (todo.length > 1) await this.options.issuer.prefetch?.([...new Set(todo.map((d) => d.appealId))]);
    await mapConcurrently(todo, this.concurrency, async ({ appealId, subject }) => {
      try {
        const outcome = await this.options.issuer.issue(appealId, today, issuedAt, subject);
        this.record(appealId, outcome, result);
      } catch (error) {
        result.failed += 1;
        this.options.logger?.warn({ appealId, err: error }, 'reminder not issued; next pass retries');
      }
    });
    result.issued.sort((a, b) => a.position - b.position);
    result.durationMs = Math.round(performance.now() - started);
    if (result.issued.length > 0 || result.failed > 0)
      this.options.logger?.info(
        { ...result, issued: result.issued.length },
        'reminder pass: reminders issued',
      );
    return result;
  }

  private record(appealId: string, outcome: IssueOutcome, result: PassResult): void {
    switch (outcome.status) {
      case 'issued':
        this.recent.add(outcome.reminderId);
        result.issued.push({
          appealId,
          reminderId: outcome.reminderId,
          kind: outcome.kind,
          position: outcome.position,
        });
        return;
      case 'already_issued':
        this.recent.add(outcome.reminderId);
        result.skipped += 1;
        return;
      case 'not_applicable':
      case 'not_found':
        result.skipped += 1;
        return;
      case 'refused':
        result.failed += 1;
        this.options.logger?.warn({ appealId, detail: outcome.detail }, 'reminder refused by the appeal');
        return;
      default: {
        const unknown: never = outcome;
        throw new Error(`unknown outcome ${JSON.stringify(unknown)}`);
      }
    }
  }
}
