/**
 * Issues the reminder that applies to one appeal today, on the appeal's own stream: load the
 * stream, work out the kind from the due date in force there (not the read model's, which may lag
 * an extension), let the decider accept it, append with the reminder id as the event id. Another
 * instance racing for the same reminder makes the store answer with the original append (same id),
 * so the reminder is recorded once.
 */
import {
  decide,
  evolve,
  isAllowed,
  type AppealEvent,
  type AppealRules,
  type AppealState,
  type IsoDate,
  type ReminderKind,
  type RegisteredAppealState,
} from '@appeal-ledger/appeal';
import {
  DuplicateEventIdError,
  WrongExpectedRevisionError,
  type AppendResult,
  type EventMetadata,
  type JsonObject,
  type NewEvent,
} from '@appeal-ledger/event-store';
import { applicableReminder, reminderId } from '../schedule/reminder.schedule';

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

export class ReminderIssuer {
  constructor(private readonly options: ReminderIssuerOptions) {}

  /** Reads the appeals a pass is about to issue to in one batch, when the access can. */
  async prefetch(appealIds: string[]): Promise<void> {
    await this.options.access.prefetch?.(appealIds);
  }

  /** Issues the reminder that applies to `appealId` on `businessDate`, stamped `issuedAt` (an instant). */
  async issue(appealId: string, businessDate: IsoDate, issuedAt: string): Promise<IssueOutcome> {
    const { access, rules, daysBefore } = this.options;
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      const appeal = await access.load(appealId);
      if (!appeal) return { status: 'not_found' };
      const { state } = appeal;
      const context = state.context;
      if (!isAllowed(state, 'issue_reminder')) return { status: 'not_applicable' };
      const kind = applicableReminder(context.dueDate, businessDate, daysBefore, rules.calendar);
      if (kind === null) return { status: 'not_applicable' };
      const id = reminderId(appealId, kind, context.dueDate);
      const known = { reminderId: id, kind, dueDate: context.dueDate };
      const decision = decide(
        { type: 'IssueDeadlineReminder', data: { reminderId: id, kind, businessDate, issuedAt } },
        state,
        rules,
      );
      if (!decision.ok) return { status: 'refused', detail: decision.message };
      // The decider records nothing for a reminder of this kind and due date already on the stream.
      if (decision.events.length === 0) return { status: 'already_issued', ...known };
      const events = decision.events.map((event) => toNewEvent(id, event, this.metadata(id, issuedAt)));
      try {
        const result = await access.append(appealId, events, appeal.revision);
        if (result.nextExpectedRevision !== appeal.revision + events.length) {
          // The store already held this id, and the stream has moved on since.
          access.forget(appealId);
          return { status: 'already_issued', ...known };
        }
        access.remember(appealId, {
          state: fold(state, decision.events),
          revision: result.nextExpectedRevision,
          position: result.position,
        });
        return { status: 'issued', ...known, position: result.position };
      } catch (error) {
        access.forget(appealId);
        if (error instanceof DuplicateEventIdError) return { status: 'already_issued', ...known };
        if (!(error instanceof WrongExpectedRevisionError)) throw error;
        // Someone wrote to the appeal since we read it: decide again on its new state.
      }
    }
    return { status: 'refused', detail: `lost ${MAX_ATTEMPTS} races to other writers of appeal ${appealId}` };
  }

  private metadata(id: string, issuedAt: string): EventMetadata {
    return {
      occurredAt: issuedAt,
      actor: { ...REMINDER_ACTOR },
      commandId: id,
      correlationId: id,
      causationId: id,
      schemaVersion: this.options.schemaVersion,
      command: 'IssueDeadlineReminder',
    };
  }
}

function toNewEvent(id: string, event: AppealEvent, metadata: EventMetadata): NewEvent {
  return { id, type: event.type, data: event.data as unknown as JsonObject, metadata };
}

function fold(state: RegisteredAppealState, events: readonly AppealEvent[]): RegisteredAppealState {
  const next = events.reduce<AppealState>(evolve, state);
  if (next.status === 'unregistered') throw new Error('an appeal cannot become unregistered');
  return next;
}
