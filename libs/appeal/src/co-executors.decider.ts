/**
 * The head's resolution with co-executors and the co-executors' parts (issue 14). Office practice of
 * Russian СЭД («Дело», Directum RX, 1С:Документооборот): the resolution names the responsible executor
 * (ответственный исполнитель), who answers the applicant, and co-executors (соисполнители), who send
 * their parts to him. 59-FZ has no norm on it; art. 10 ч.1 п.1 (objective, full consideration) is what
 * the practice serves. Pure, as the rest of the decider.
 */
import {
  REMINDER_KINDS,
  type AppealEvent,
  type DeadlineReminderIssued,
  type ContributionRecorded,
  type ExecutorAssigned,
  type ExecutorReassigned,
  type IsoDate,
  type ResolutionRecorded,
} from './events/appeal.events';
import type { IssueDeadlineReminder, RecordContribution, RecordResolution } from './appeal.commands';
import type { AppealContext } from './appeal.machine';
import type { AppealRules } from './appeal.rules';
import {
  accept,
  businessInstant,
  businessInstantOk,
  controlConflict,
  invalid,
  type Decision,
  type RegisteredAppealState,
} from './appeal.decider';
import { compareDates, localDate } from './iso-date';
import { Errors } from './validation';

/** Co-executors one resolution may name (a bound on the event, not a rule of law). */
export const MAX_CO_EXECUTORS = 20;

/** A date of the resolution: a calendar date, not before `from`, not after the appeal's due date. */
function termWithin(
  errors: Errors,
  field: string,
  value: unknown,
  from: IsoDate | undefined,
  c: AppealContext,
): void {
  if (!errors.date(field, value)) return;
  if (from !== undefined && compareDates(value, from) < 0)
    errors.add(field, `is ${value}, before the resolution's date ${from}`);
  if (compareDates(value, c.dueDate) > 0)
    errors.add(field, `is ${value}, after the appeal's due date ${c.dueDate}`);
}

function person(errors: Errors, field: string, value: unknown): boolean {
  if (typeof value !== 'object' || value === null) {
    errors.add(field, 'must be an object { id, name, department }');
    return false;
  }
  const p = value as Record<string, unknown>;
  const before = errors.list.length;
  errors.text(`${field}.id`, p.id);
  errors.text(`${field}.name`, p.name);
  errors.text(`${field}.department`, p.department);
  return errors.list.length === before;
}

export function recordResolution(
  command: RecordResolution,
  state: RegisteredAppealState,
  rules: AppealRules,
): Decision {
  const d = command.data;
  const c = state.context;
  const errors = new Errors();
  if (typeof d.author !== 'object' || d.author === null)
    errors.add('author', 'required: { name, position } of the official who gave the resolution');
  else {
    errors.text('author.name', d.author.name);
    errors.text('author.position', d.author.position);
  }
  errors.text('text', d.text);
  const decidedOk = businessInstantOk(errors, 'decidedAt', d.decidedAt, c, rules);
  const decidedOn = decidedOk ? localDate(d.decidedAt, rules.timeZone) : undefined;
  const responsibleOk = person(errors, 'responsible', d.responsible);
  if (d.internalDueDate !== undefined) termWithin(errors, 'internalDueDate', d.internalDueDate, decidedOn, c);
  if (!Array.isArray(d.coExecutors)) errors.add('coExecutors', 'must be a list (may be empty)');
  else if (d.coExecutors.length > MAX_CO_EXECUTORS)
    errors.add('coExecutors', `at most ${MAX_CO_EXECUTORS} co-executors, got ${d.coExecutors.length}`);
  else {
    const seen = new Set<string>();
    d.coExecutors.forEach((co, i) => {
      const field = `coExecutors[${i}]`;
      if (!person(errors, field, co)) return;
      if (seen.has(co.id)) errors.add(`${field}.id`, `${co.id} is listed twice`);
      seen.add(co.id);
      if (responsibleOk && co.id === d.responsible.id)
        errors.add(`${field}.id`, `${co.id} is the responsible executor: not also a co-executor`);
      if (co.dueDate !== undefined) termWithin(errors, `${field}.dueDate`, co.dueDate, decidedOn, c);
    });
  }
  if (!errors.empty) return invalid(errors.list);

  const responsible = {
    id: d.responsible.id,
    name: d.responsible.name,
    department: d.responsible.department,
  };
  const resolution: ResolutionRecorded = {
    type: 'ResolutionRecorded',
    data: {
      author: { name: d.author.name, position: d.author.position },
      text: d.text,
      decidedAt: d.decidedAt,
      responsible,
      coExecutors: d.coExecutors.map((co) => ({
        id: co.id,
        name: co.name,
        department: co.department,
        ...(co.dueDate !== undefined && { dueDate: co.dueDate }),
      })),
      ...(d.internalDueDate !== undefined && { internalDueDate: d.internalDueDate }),
    },
  };
  // The same resolution again (a retried request): nothing new happened.
  if (c.resolution !== null && sameResolution(c, resolution)) return accept();
  const events: AppealEvent[] = [];
  const executor = { id: responsible.id, name: responsible.name };
  // The responsible executor is the assigned one: the answer commands check that assignment.
  if (c.executor === null) {
    const assigned: ExecutorAssigned = {
      type: 'ExecutorAssigned',
      data: { executor, department: responsible.department, instructions: d.text, assignedAt: d.decidedAt },
    };
    events.push(assigned);
  } else if (c.executor.id !== responsible.id || c.department !== responsible.department) {
    const reassigned: ExecutorReassigned = {
      type: 'ExecutorReassigned',
      data: {
        executor,
        department: responsible.department,
        previousExecutor: c.executor,
        previousDepartment: c.department ?? '',
        instructions: d.text,
        assignedAt: d.decidedAt,
      },
    };
    events.push(reassigned);
  }
  events.push(resolution);
  return accept(...events);
}

/**
 * The same resolution again (a retried request): the same author, date, responsible executor,
 * co-executors and terms. The text is not compared: the state keeps none (it is sealed free text).
 */
function sameResolution(c: AppealContext, event: ResolutionRecorded): boolean {
  const r = c.resolution;
  if (r === null) return false;
  const { text: _text, ...d } = event.data;
  const now = {
    author: r.author,
    decidedAt: r.decidedAt,
    responsible: r.responsible,
    coExecutors: c.coExecutors.map((co) => ({
      id: co.id,
      name: co.name,
      department: co.department,
      ...(co.dueDate !== null && { dueDate: co.dueDate }),
    })),
    ...(r.internalDueDate !== null && { internalDueDate: r.internalDueDate }),
  };
  return JSON.stringify(now) === JSON.stringify(d);
}

export function recordContribution(
  command: RecordContribution,
  state: RegisteredAppealState,
  rules: AppealRules,
): Decision {
  const d = command.data;
  const c = state.context;
  if (c.coExecutors.length === 0 || c.resolution === null) {
    return controlConflict(
      'no_co_executors',
      `cannot record a co-executor's part: the resolution on appeal ${c.number} names no co-executors`,
    );
  }
  const errors = new Errors();
  const co = errors.text('coExecutorId', d.coExecutorId)
    ? c.coExecutors.find((x) => x.id === d.coExecutorId)
    : undefined;
  if (co === undefined && errors.empty)
    errors.add(
      'coExecutorId',
      `${d.coExecutorId} is not a co-executor of this appeal (co-executors: ${c.coExecutors.map((x) => x.id).join(', ')})`,
    );
  errors.text('text', d.text);
  if (businessInstantOk(errors, 'sentAt', d.sentAt, c, rules)) {
    if (Date.parse(d.sentAt) < Date.parse(c.resolution.decidedAt))
      errors.add('sentAt', `is before the resolution (${c.resolution.decidedAt})`);
  }
  if (!errors.empty || co === undefined) return invalid(errors.list);
  const dueDate = co.dueDate ?? c.dueDate;
  const contribution: ContributionRecorded = {
    type: 'ContributionRecorded',
    data: {
      coExecutor: { id: co.id, name: co.name, department: co.department },
      text: d.text,
      sentAt: d.sentAt,
      dueDate,
      late: compareDates(localDate(d.sentAt, rules.timeZone), dueDate) > 0,
    },
  };
  return accept(contribution);
}

/** The co-executors who have not sent their part, with the term of each (their own or the appeal's). */
export function pendingCoExecutors(
  c: AppealContext,
): { id: string; name: string; department: string; dueDate: IsoDate }[] {
  return c.coExecutors
    .filter((co) => co.contributedAt === null)
    .map((co) => ({ id: co.id, name: co.name, department: co.department, dueDate: co.dueDate ?? c.dueDate }));
}

/**
 * A reminder to a co-executor of their part (`IssueDeadlineReminder` with `coExecutorId`): only to one
 * still owing it, the kind fitting the part's term (its own, or the appeal's due date); at most one
 * per co-executor, kind and term, however often the process retries.
 */
export function issueCoExecutorReminder(
  command: IssueDeadlineReminder,
  state: RegisteredAppealState,
  rules: AppealRules,
): Decision {
  const d = command.data;
  const c = state.context;
  const errors = new Errors();
  errors.text('reminderId', d.reminderId);
  const kindOk = errors.oneOf('kind', d.kind, REMINDER_KINDS);
  const dateOk = errors.date('businessDate', d.businessDate);
  businessInstant(errors, 'issuedAt', d.issuedAt, c, rules);
  const part = pendingCoExecutors(c).find((co) => co.id === d.coExecutorId);
  if (part === undefined) errors.add('coExecutorId', `${String(d.coExecutorId)} owes no part of this appeal`);
  else if (kindOk && dateOk) {
    const order = compareDates(d.businessDate, part.dueDate);
    const fits = d.kind === 'due_soon' ? order < 0 : d.kind === 'due_today' ? order === 0 : order > 0;
    if (!fits)
      errors.add(
        'kind',
        `${d.kind} does not fit business date ${d.businessDate} and the part's term ${part.dueDate}`,
      );
  }
  if (!errors.empty || part === undefined) return invalid(errors.list);
  if (
    c.reminders.some(
      (r) =>
        r.reminderId === d.reminderId ||
        (r.coExecutorId === part.id && r.kind === d.kind && r.dueDate === part.dueDate),
    )
  )
    return accept();
  const coExecutor = { id: part.id, name: part.name, department: part.department };
  const event: DeadlineReminderIssued = {
    type: 'DeadlineReminderIssued',
    data: {
      reminderId: d.reminderId,
      kind: d.kind,
      dueDate: part.dueDate,
      businessDate: d.businessDate,
      issuedAt: d.issuedAt,
      department: part.department,
      executor: { id: part.id, name: part.name },
      coExecutor,
    },
  };
  return accept(event);
}
