/**
 * The control read model as a pure fold: one appeal's row and the history rows (due dates,
 * assignments, answers, reminders) an event adds. The weekly report reads the histories, so any past
 * week is recomputed from business dates, whatever happened after it.
 */
import type { AppealEnvelope } from '../shared/appeal-event';
import { toLocalDate } from '../shared/business-date';
import {
  changesReadModel,
  registeredLateOf,
  type AppealStatus,
  type IsoDate,
  type ReminderKind,
  type WithoutAnswerGround,
} from '../shared/event-store';

/** The appeal's lifecycle state as the control model shows it: the domain's own statuses. */
export type ControlAppealState = AppealStatus;

/** A resolution ends consideration on the merits: a final answer, or forwarding by competence. */
export type ResolutionKind = 'final' | 'forwarded';

/** A co-executor of the head's resolution in force and the day they sent their part (issue 14). */
export interface ControlCoExecutor {
  id: string;
  name: string;
  department: string;
  /** the part's own term; null: the appeal's due date */
  due_date: IsoDate | null;
  /** business date of their first part; null while it is owed */
  contributed_on: IsoDate | null;
}

/** `rm_control.appeals`: one row per appeal. */
export interface ControlAppealRow {
  appeal_id: string;
  number: string;
  state: ControlAppealState;
  department: string | null;
  executor_id: string | null;
  executor_name: string | null;
  registered_on: IsoDate;
  nominal_due_date: IsoDate;
  /** in force now, extensions included */
  due_date: IsoDate;
  extended: boolean;
  /** registered after the three days of 59-FZ art. 8 ч.2 (registeredLateOf) */
  registered_late: boolean;
  on_control: boolean;
  /** business date it left control (removal or withdrawal) */
  off_control_on: IsoDate | null;
  interim_answers: number;
  first_interim_on: IsoDate | null;
  /** resolutions so far (the seq of the latest) */
  resolution_seq: number;
  /** the resolution in force (a final answer returned for rework is no longer in force) */
  resolution_kind: ResolutionKind | null;
  resolved_on: IsoDate | null;
  /** the due date the resolution in force was measured against */
  resolution_due_date: IsoDate | null;
  /** the resolution in force was sent after the due date in force at that moment */
  late: boolean | null;
  reminders_issued: number;
  /** the sending body asked for the result by this date (`source.reportBackBy`); null when it did not */
  report_back_by: IsoDate | null;
  /** business date the result was reported to the sending body */
  reported_to_source_on: IsoDate | null;
  /** further control after the answer ("до принятия мер"): the date it was set and its `until` */
  further_control_on: IsoDate | null;
  further_control_until: IsoDate | null;
  /** business date the measures were completed (ends further control) */
  measures_completed_on: IsoDate | null;
  /** position of the last event applied */
  position: number;
  /** questions not forwarded by competence (59-FZ art. 8 ч.3) */
  kept_questions: number;
  /** a forwarding was sent after the 7-day term of art. 8 ч.3 */
  forwarded_late: boolean;
  /** the ground it was left without an answer on (art. 11), if it was */
  without_answer_ground: WithoutAnswerGround | null;
  /** the co-executors of the resolution in force (issue 14); empty without one */
  co_executors: ControlCoExecutor[];
  /** business date of the first resolution naming co-executors ("co-executed"; never cleared) */
  co_executed_on: IsoDate | null;
  /** a confirmed duplicate joined to this original: off control until answered with it (decision 0008) */
  joined_to: string | null;
}

/** `rm_control.due_dates`: the due date in force from `effective_on` (registration, then each extension). */
export interface DueDateRow {
  appeal_id: string;
  position: number;
  effective_on: IsoDate;
  due_date: IsoDate;
}

/** `rm_control.assignments`: executor and department in force from `effective_on`. */
export interface AssignmentRow {
  appeal_id: string;
  position: number;
  effective_on: IsoDate;
  department: string;
  executor_id: string;
  executor_name: string;
}

/** `rm_control.resolutions`: every final answer / forwarding, with the date it was returned for rework. */
export interface ResolutionRow {
  appeal_id: string;
  seq: number;
  kind: ResolutionKind;
  sent_on: IsoDate;
  due_date: IsoDate;
  late: boolean;
  returned_on: IsoDate | null;
}

/** `rm_control.reminders`: reminders issued. */
export interface ReminderRow {
  reminder_id: string;
  appeal_id: string;
  kind: ReminderKind;
  business_date: IsoDate;
  due_date: IsoDate;
}

/** `rm_control.forwardings`: every forwarding by competence (whole appeal or some questions). */
export interface ForwardingRow {
  appeal_id: string;
  position: number;
  sent_on: IsoDate;
  /** the 7-day term of art. 8 ч.3 (null: recorded before it was judged) */
  due_date: IsoDate | null;
  late: boolean;
  questions: number;
  /** every question kept so far was forwarded: the appeal left control */
  whole: boolean;
}

/** `rm_control.without_answers`: appeals left without an answer on the merits (art. 11). */
export interface WithoutAnswerRow {
  appeal_id: string;
  position: number;
  decided_on: IsoDate;
  ground: WithoutAnswerGround;
  notice_late: boolean;
}

export type ControlWrite =
  | { table: 'forwardings'; row: ForwardingRow }
  | { table: 'without_answers'; row: WithoutAnswerRow }
  | { table: 'due_dates'; row: DueDateRow }
  | { table: 'assignments'; row: AssignmentRow }
  | { table: 'resolutions'; row: ResolutionRow }
  | { table: 'reminders'; row: ReminderRow };

export interface ControlChange {
  row: ControlAppealRow | undefined;
  writes: ControlWrite[];
}

/** State after the resolution in force is withdrawn (rework): back to where the executor was. */
const unresolvedState = (row: ControlAppealRow): ControlAppealState => {
  if (row.interim_answers > 0) return 'interim_answered';
  return row.executor_id === null ? 'registered' : 'assigned';
};

function resolutionRow(row: ControlAppealRow, appealId: string): ResolutionRow {
  if (row.resolution_kind === null || row.resolved_on === null || row.resolution_due_date === null) {
    throw new Error(`appeal ${appealId}: no resolution in force`);
  }
  return {
    appeal_id: appealId,
    seq: row.resolution_seq,
    kind: row.resolution_kind,
    sent_on: row.resolved_on,
    due_date: row.resolution_due_date,
    late: row.late ?? false,
    returned_on: null,
  };
}

/** The relation with `originalId` is undone: a duplicate joined to it is back on control. */
function unjoin(row: ControlAppealRow, originalId: string): void {
  if (row.joined_to !== originalId) return;
  row.joined_to = null;
  if (row.state === 'closed') return;
  row.on_control = true;
  row.off_control_on = null;
}

/**
 * Applies one event to one appeal's row. Events for an appeal the fold has not seen registered are
 * ignored (nothing to attach them to), as are repeated registrations.
 */
export function evolveControl(
  current: ControlAppealRow | undefined,
  envelope: AppealEnvelope,
  timeZone: string,
): ControlChange {
  const { appealId, position, event } = envelope;
  const local = (value: string): IsoDate => toLocalDate(value, timeZone);

  if (event.type === 'AppealRegistered') {
    if (current) return { row: current, writes: [] };
    const d = event.data;
    const registeredOn = local(d.registeredAt);
    return {
      row: {
        appeal_id: appealId,
        number: d.number,
        state: 'registered',
        department: null,
        executor_id: null,
        executor_name: null,
        registered_on: registeredOn,
        nominal_due_date: d.nominalDueDate,
        due_date: d.dueDate,
        extended: false,
        registered_late: registeredLateOf(d),
        // an anonymous appeal gets no answer and is registered off control (art. 11 ч.1)
        on_control: d.onControl !== false,
        off_control_on: d.onControl === false ? registeredOn : null,
        interim_answers: 0,
        first_interim_on: null,
        resolution_seq: 0,
        resolution_kind: null,
        resolved_on: null,
        resolution_due_date: null,
        late: null,
        reminders_issued: 0,
        report_back_by: d.source.reportBackBy ?? null,
        reported_to_source_on: null,
        further_control_on: null,
        further_control_until: null,
        measures_completed_on: null,
        position,
        kept_questions: d.questions.length,
        forwarded_late: false,
        without_answer_ground: null,
        co_executors: [],
        co_executed_on: null,
        joined_to: null,
      },
      writes: [
        {
          table: 'due_dates',
          row: { appeal_id: appealId, position, effective_on: registeredOn, due_date: d.dueDate },
        },
      ],
    };
  }
  if (!current) return { row: undefined, writes: [] };
  const row: ControlAppealRow = { ...current, position };
  // The events that name no `control` in the domain's EVENT_READ_MODELS (e.g. document requests)
  // change nothing here but the position.
  if (!changesReadModel('control', event)) return { row, writes: [] };

  switch (event.type) {
    case 'ExecutorAssigned':
    case 'ExecutorReassigned': {
      const d = event.data;
      row.department = d.department;
      row.executor_id = d.executor.id;
      row.executor_name = d.executor.name;
      if (row.state === 'registered') row.state = 'assigned';
      const assignment: AssignmentRow = {
        appeal_id: appealId,
        position,
        effective_on: local(d.assignedAt),
        department: d.department,
        executor_id: d.executor.id,
        executor_name: d.executor.name,
      };
      return { row, writes: [{ table: 'assignments', row: assignment }] };
    }
    case 'DeadlineExtended': {
      const d = event.data;
      row.due_date = d.dueDate;
      row.nominal_due_date = d.nominalDueDate;
      row.extended = true;
      const dueDate: DueDateRow = {
        appeal_id: appealId,
        position,
        effective_on: local(d.extendedAt),
        due_date: d.dueDate,
      };
      return { row, writes: [{ table: 'due_dates', row: dueDate }] };
    }
    case 'InterimAnswerSent': {
      row.interim_answers += 1;
      row.first_interim_on ??= local(event.data.sentAt);
      if (row.state === 'registered' || row.state === 'assigned') row.state = 'interim_answered';
      return { row, writes: [] };
    }
    case 'FinalAnswerSent': {
      const d = event.data;
      const sentOn = local(d.sentAt);
      row.resolution_seq += 1;
      row.resolution_kind = 'final';
      row.resolved_on = sentOn;
      row.resolution_due_date = d.dueDate;
      row.late = d.late; // the domain judged it against the due date in force when sent
      row.state = 'final_answered';
      return { row, writes: [{ table: 'resolutions', row: resolutionRow(row, appealId) }] };
    }
    case 'AppealForwardedByCompetence': {
      const d = event.data;
      const sentOn = local(d.sentAt);
      // older events (no list) forward every question kept; a part keeps the appeal on control
      const forwardedNow = d.questionCodes === undefined ? row.kept_questions : d.questionCodes.length;
      // a row folded before kept_questions existed reads 0 there: such a forwarding is whole
      const whole = d.questionCodes === undefined || forwardedNow >= row.kept_questions;
      row.kept_questions = Math.max(0, row.kept_questions - forwardedNow);
      if (d.forwardedLate === true) row.forwarded_late = true;
      const forwarding: ForwardingRow = {
        appeal_id: appealId,
        position,
        sent_on: sentOn,
        due_date: d.forwardDueDate ?? null,
        late: d.forwardedLate === true,
        questions: forwardedNow,
        whole,
      };
      if (!whole) return { row, writes: [{ table: 'forwardings', row: forwarding }] };
      // forwarding the rest ends consideration here: the appeal leaves control
      row.resolution_seq += 1;
      row.resolution_kind = 'forwarded';
      row.resolved_on = sentOn;
      row.resolution_due_date = row.due_date;
      row.late = sentOn > row.due_date;
      row.state = 'closed';
      row.on_control = false;
      row.off_control_on ??= sentOn;
      return {
        row,
        writes: [
          { table: 'forwardings', row: forwarding },
          { table: 'resolutions', row: resolutionRow(row, appealId) },
        ],
      };
    }
    case 'AppealLeftWithoutAnswer': {
      const d = event.data;
      const on = local(d.decidedAt);
      row.state = 'closed';
      row.on_control = false;
      row.off_control_on ??= on;
      row.without_answer_ground = d.ground;
      const left: WithoutAnswerRow = {
        appeal_id: appealId,
        position,
        decided_on: on,
        ground: d.ground,
        notice_late: d.noticeLate === true,
      };
      return { row, writes: [{ table: 'without_answers', row: left }] };
    }
    case 'AnswerReturnedForRework': {
      if (row.resolution_kind === null || row.resolved_on === null || row.resolution_due_date === null) {
        return { row, writes: [] };
      }
      const returned: ResolutionRow = {
        ...resolutionRow(row, appealId),
        returned_on: local(event.data.returnedAt),
      };
      row.resolution_kind = null;
      row.resolved_on = null;
      row.resolution_due_date = null;
      row.late = null;
      row.state = unresolvedState(row);
      // further control belonged to the answer returned (as in the domain)
      row.further_control_on = null;
      row.further_control_until = null;
      row.measures_completed_on = null;
      return { row, writes: [{ table: 'resolutions', row: returned }] };
    }
    case 'AppealWithdrawn':
    case 'AppealRemovedFromControl': {
      const on = local(event.type === 'AppealWithdrawn' ? event.data.withdrawnAt : event.data.closedAt);
      row.state = 'closed';
      row.on_control = false;
      row.off_control_on ??= on;
      return { row, writes: [] };
    }
    case 'DeadlineReminderIssued': {
      const d = event.data;
      row.reminders_issued += 1;
      const reminder: ReminderRow = {
        reminder_id: d.reminderId,
        appeal_id: appealId,
        kind: d.kind,
        business_date: d.businessDate,
        due_date: d.dueDate,
      };
      return { row, writes: [{ table: 'reminders', row: reminder }] };
    }
    case 'ReportedToSource':
      row.reported_to_source_on = local(event.data.sentAt);
      return { row, writes: [] };
    case 'FurtherControlSet':
      row.further_control_on = local(event.data.setAt);
      row.further_control_until = event.data.until;
      row.measures_completed_on = null;
      return { row, writes: [] };
    case 'MeasuresCompleted':
      row.measures_completed_on = local(event.data.completedAt);
      return { row, writes: [] };
    case 'ResolutionRecorded': {
      // as the appeal machine does: a later resolution replaces the co-executors, one named again keeps its part
      const before = new Map((row.co_executors ?? []).map((c) => [c.id, c]));
      row.co_executors = event.data.coExecutors.map((c) => ({
        id: c.id,
        name: c.name,
        department: c.department,
        due_date: c.dueDate ?? null,
        contributed_on: before.get(c.id)?.contributed_on ?? null,
      }));
      if (row.co_executors.length > 0) row.co_executed_on ??= local(event.data.decidedAt);
      return { row, writes: [] };
    }
    case 'ContributionRecorded': {
      const d = event.data;
      const on = local(d.sentAt);
      row.co_executors = (row.co_executors ?? []).map((c) =>
        c.id === d.coExecutor.id ? { ...c, contributed_on: c.contributed_on ?? on } : c,
      );
      return { row, writes: [] };
    }
    case 'RelatedAppealConfirmed': {
      const d = event.data;
      if (d.kind === 'duplicate' && d.joined === true && row.on_control && row.state !== 'closed') {
        // a duplicate joined to its original leaves control: the original is the one on control
        row.joined_to = d.relatedAppealId;
        row.on_control = false;
        row.off_control_on = local(d.decidedAt);
      } else if (d.kind === 'repeat') unjoin(row, d.relatedAppealId);
      return { row, writes: [] };
    }
    case 'RelatedAppealRejected':
      unjoin(row, event.data.relatedAppealId);
      return { row, writes: [] };
    case 'AnsweredWithOriginal': {
      const on = local(event.data.closedAt);
      row.state = 'closed';
      row.on_control = false;
      row.off_control_on ??= on < row.registered_on ? row.registered_on : on;
      row.joined_to = null;
      return { row, writes: [] };
    }
    default: {
      const unhandled: never = event;
      return unhandled;
    }
  }
}
