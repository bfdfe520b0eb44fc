/**
 * Issues the reminder that applies to one appeal today, on the appeal's own stream, through the one
 * command pipeline (CommandHandler): load the stream, work out the kind from the due date in force
 * there (not the read model's, which may lag an extension), let the decider accept it, append with
 * the reminder id as the event id. Another instance racing for the same reminder makes the store
 * answer with the original append (same id), so the reminder is recorded once.
 */
import {
  decide,
  evolveRegistered,
  isAllowed,
  type AppealEvent,
  type AppealRules,
  type IsoDate,
  type IssueDeadlineReminder,
  type ReminderKind,
  type Refusal,
  type RegisteredAppealState,
} from '@appeal-ledger/appeal';
import {
  CommandHandler,
  type AppendResult,
  type EventMetadata,
  type NewEvent,
} from '@appeal-ledger/event-store';
import {
  applicableReminder,
  REMINDER_ID_NAMESPACE,
  reminderId,
  reportBackReminder,
  type ReminderSubject,
} from '../schedule/reminder.schedule';

/** An appeal as its stream last showed it. */
export interface AppealSnapshotAt {
  state: RegisteredAppealState;
  /** revision of the stream's last event */
  revision: number;
  position: number;
}

/** What the issuer needs from the app's appeal repository (a cache in front of the event store). */
export interface AppealAccess {
  /** the current state (cached fold plus the stream's tail), undefined for an unknown appeal */
  load(appealId: string): Promise<AppealSnapshotAt | undefined>;
  append(appealId: string, events: NewEvent[], expectedRevision: number): Promise<AppendResult>;
  /** optional: read these appeals in one batch before issuing to them one by one */
  prefetch?(appealIds: string[]): Promise<void>;
  /** drop a cached state that another writer has overtaken */
  forget(appealId: string): void;
  /** keep the state we computed after our own append */
  remember(appealId: string, appeal: AppealSnapshotAt): void;
}

export type IssueOutcome =
  /**
   * recorded at `position`: by this call, or by an identical append of another instance racing it
   * (the store answers both with the one event, so the two cannot be told apart — nor need to be)
   */
  | { status: 'issued'; reminderId: string; kind: ReminderKind; dueDate: IsoDate; position: number }
  | { status: 'already_issued'; reminderId: string; kind: ReminderKind; dueDate: IsoDate }
  /** no reminder applies on the stream's state (answered, closed, extended since the read model saw it) */
  | { status: 'not_applicable' }
  | { status: 'not_found' }
  | { status: 'refused'; detail: string };

export interface ReminderIssuerOptions {
  access: AppealAccess;
  rules: AppealRules;
  daysBefore: number;
  /** schema version stamped on the events (the app's current one) */
  schemaVersion: number;
}

/** Who the history shows as the reminders' author. */
export const REMINDER_ACTOR = { id: 'reminder-process', name: 'Процесс напоминаний' } as const;

const MAX_ATTEMPTS = 5;

/** A reminder's metadata: the reminder process as actor, its id as command, correlation and cause. */
export function reminderMetadata(id: string, issuedAt: string, schemaVersion: number): EventMetadata {
  return {
    occurredAt: issuedAt,
    actor: { ...REMINDER_ACTOR },
    commandId: id,
    correlationId: id,
    causationId: id,
    schemaVersion,
    command: 'IssueDeadlineReminder',
  };
}

/** The reminder that applies on the state in hand, or null when none does. */
interface ReminderCommand {
  known: { reminderId: string; kind: ReminderKind; dueDate: IsoDate } | null;
  command: IssueDeadlineReminder | null;
}

/** A reminder that no longer applies on the stream's state: nothing to append, not a refusal. */
type NotApplicable = { ok: false; reason: 'not_applicable' };

/**
 * The one command pipeline both reminder issuers run (appeals' own and co-executors'): load through
 * the app's repository, append to existing appeals only, fold the appended events into the cached
 * state; event ids from the reminder namespace, so a retried or raced reminder is the one event.
 */
export function reminderPipeline<Prepared>(
  access: AppealAccess,
): CommandHandler<RegisteredAppealState, AppealSnapshotAt, Prepared, AppealEvent, Refusal | NotApplicable> {
  return new CommandHandler({
    access: {
      load: (id) => access.load(id),
      append: (id, events, expected) => {
        if (typeof expected !== 'number') throw new Error('reminders append to existing appeals only');
        return access.append(id, events, expected);
      },
      forget: (id) => access.forget(id),
      remember: (id, appeal) => access.remember(id, appeal),
    },
    evolve: (appeal, events, result) => ({
      state: evolveRegistered(appeal.state, events),
      revision: result.nextExpectedRevision,
      position: result.position,
    }),
    maxAttempts: MAX_ATTEMPTS,
    eventIdNamespace: REMINDER_ID_NAMESPACE,
  });
}

export class ReminderIssuer {
  private readonly pipeline: ReturnType<typeof reminderPipeline<ReminderCommand>>;

  constructor(private readonly options: ReminderIssuerOptions) {
    this.pipeline = reminderPipeline<ReminderCommand>(options.access);
  }

  /** Reads the appeals a pass is about to issue to in one batch, when the access can. */
  async prefetch(appealIds: string[]): Promise<void> {
    await this.options.access.prefetch?.(appealIds);
  }

  /**
   * Issues the reminder that applies to `appealId` on `businessDate`, stamped `issuedAt` (an instant):
   * of its consideration term (`subject` term, the default) or of the report owed to the sending body.
   */
  async issue(
    appealId: string,
    businessDate: IsoDate,
    issuedAt: string,
    subject: ReminderSubject = 'term',
  ): Promise<IssueOutcome> {
    const { rules, daysBefore } = this.options;
    let last: ReminderCommand['known'] = null;
    const outcome = await this.pipeline.handle(
      appealId,
      {
        command: (appeal): ReminderCommand => {
          last = null;
          // a duplicate joined to its original is not reminded of: the original is (decision 0008)
          if (
            !appeal ||
            !isAllowed(appeal.state, 'issue_reminder') ||
            appeal.state.context.joinedTo !== undefined
          )
            return { known: null, command: null };
          const { context } = appeal.state;
          let dueDate: IsoDate;
          let kind: ReminderKind | null;
          if (subject === 'report_back') {
            // owed until recorded, answered or not
            if (!context.sourceReport || context.sourceReport.sentAt !== null)
              return { known: null, command: null };
            dueDate = context.sourceReport.reportBackBy;
            kind = reportBackReminder(dueDate, businessDate, daysBefore, rules.calendar);
          } else {
            // the term is reminded of until the final answer
            if (appeal.state.status === 'final_answered') return { known: null, command: null };
            dueDate = context.dueDate;
            kind = applicableReminder(dueDate, businessDate, daysBefore, rules.calendar);
          }
          if (kind === null) return { known: null, command: null };
          const id = reminderId(appealId, kind, dueDate);
          last = { reminderId: id, kind, dueDate };
          return {
            known: last,
            command: {
              type: 'IssueDeadlineReminder',
              data: { reminderId: id, kind, businessDate, issuedAt },
            },
          };
        },
        decide: ({ command }, appeal) =>
          command && appeal ? decide(command, appeal.state, rules) : { ok: false, reason: 'not_applicable' },
      },
      {
        // The decider records nothing for a reminder of this kind and due date already on the stream.
        eventIds: (_commandId, count, { known }) =>
          Array.from({ length: count }, () => known?.reminderId ?? ''),
        metadata: (_commandId, { known }) =>
          reminderMetadata(known?.reminderId ?? '', issuedAt, this.options.schemaVersion),
      },
    );
    switch (outcome.status) {
      case 'done':
        if (!last) throw new Error('a reminder was recorded without a kind');
        return outcome.written
          ? {
              status: 'issued',
              ...(last as NonNullable<ReminderCommand['known']>),
              position: outcome.loaded.position,
            }
          : { status: 'already_issued', ...(last as NonNullable<ReminderCommand['known']>) };
      case 'not_found':
        return { status: 'not_found' };
      case 'refused':
        return outcome.refusal.reason === 'not_applicable'
          ? { status: 'not_applicable' }
          : { status: 'refused', detail: outcome.refusal.message };
      case 'contention':
        return {
          status: 'refused',
          detail: `lost ${outcome.attempts} races to other writers of appeal ${appealId}`,
        };
      case 'forbidden':
      case 'precondition_failed':
      case 'idempotency_key_reused':
        throw new Error(`reminder issuer: unexpected pipeline outcome ${outcome.status}`);
      default: {
        const never: never = outcome;
        throw new Error(`unknown outcome ${JSON.stringify(never)}`);
      }
    }
  }
}
