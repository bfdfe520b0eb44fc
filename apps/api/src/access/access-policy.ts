/**
 * The access policy (docs/access.md): who may read and do what with which appeal. Pure — no I/O, no
 * framework — so every read and every command asks the same functions, and the unit test walks the
 * whole table.
 *
 * - `admin` (the operator), `supervisor` (the apparatus) and `head` (the head of the administration):
 *   every appeal; the supervisor and the head read only, the admin may also act.
 * - `controller` and `registrar` with a `department` claim: the appeals of that department now;
 *   without one, or with the organisational department's (ORGANISATIONAL_DEPARTMENTS): every
 *   appeal. A registrar registers any appeal.
 * - `executor`: the appeals assigned to them now — never through an earlier assignment — and, to read,
 *   those whose resolution in force names them a co-executor (issue 14). A co-executor acts on the
 *   appeal only by sending their part (`contribute`); answering stays with the assigned executor.
 * - no role, or only roles the engine does not know: nothing.
 * A principal with several roles gets the union of what each role grants.
 */
import type { AppealCommand } from '@appeal-ledger/appeal';
import type { Principal, Role } from '../auth/principal';

/** What the policy needs to know about an appeal: its assignment now. */
export interface AppealAccessFacts {
  department: string | null;
  executorId: string | null;
  /** the co-executors of the resolution in force (issue 14); absent or empty: none */
  coExecutorIds?: readonly string[];
}

/** The parts of an appeal one may read. */
export const APPEAL_READS = ['summary', 'personal_data', 'history', 'related'] as const;
export type AppealRead = (typeof APPEAL_READS)[number];

/** The lists and reports that show many appeals. */
export const LIST_READS = [
  'control',
  'reminders',
  'journal',
  'weekly_report',
  'summary_report',
  'sstu_export',
] as const;
export type ListRead = (typeof LIST_READS)[number];

/**
 * What one may do to an appeal, as the access policy grants it. Not the domain's `APPEAL_ACTIONS`
 * (`allowedActions`, one per command): one access action may cover several commands (`link_related`:
 * confirm and reject; `further_control`: set it and complete the measures; `request_documents`: the
 * request and its reply), `erase_personal_data` is no command, and one name differs (`resolve` =
 * `record_resolution`). docs/glossary.md lists which is which.
 */
export const ACCESS_ACTIONS = [
  'register',
  'assign',
  'extend_deadline',
  'return_for_rework',
  'remove_from_control',
  'forward',
  'leave_without_answer',
  'withdraw',
  'send_interim_answer',
  'send_final_answer',
  'request_documents',
  'erase_personal_data',
  'link_related',
  'report_to_source',
  'further_control',
  'terminate_correspondence',
  // issue 14: the head's resolution (who answers, who helps) and a co-executor's part
  'resolve',
  'contribute',
  // 59-FZ art. 5 п.1: the applicant's additional materials attached to the appeal
  'record_applicant_materials',
] as const;
export type AccessAction = (typeof ACCESS_ACTIONS)[number];

/** The command types of @appeal-ledger/appeal that people send, and the action each one is (exhaustive). */
const COMMAND_ACTIONS: Readonly<
  Record<Exclude<AppealCommand['type'], 'IssueDeadlineReminder' | 'RecordAnswerWithOriginal'>, AccessAction>
> = {
  RegisterAppeal: 'register',
  AssignExecutor: 'assign',
  ExtendDeadline: 'extend_deadline',
  ReturnForRework: 'return_for_rework',
  RemoveFromControl: 'remove_from_control',
  ForwardByCompetence: 'forward',
  LeaveWithoutAnswer: 'leave_without_answer',
  WithdrawAppeal: 'withdraw',
  SendInterimAnswer: 'send_interim_answer',
  SendFinalAnswer: 'send_final_answer',
  RequestDocuments: 'request_documents',
  RecordDocumentsReply: 'request_documents',
  ConfirmRelatedAppeal: 'link_related',
  RejectRelatedAppeal: 'link_related',
  ReportToSource: 'report_to_source',
  SetFurtherControl: 'further_control',
  CompleteMeasures: 'further_control',
  TerminateCorrespondence: 'terminate_correspondence',
  RecordResolution: 'resolve',
  RecordContribution: 'contribute',
  RecordApplicantMaterials: 'record_applicant_materials',
};

/**
 * The organisational department (организационный отдел) registers and controls the whole
 * administration's appeals (docs/domain.md): a `department` claim naming it narrows nothing. Compared
 * without regard to case, «ё» and spacing.
 */
export const ORGANISATIONAL_DEPARTMENTS: readonly string[] = ['Организационный отдел', 'Орготдел'];

const normalised = (name: string): string =>
  name.trim().toLowerCase().replace(/ё/g, 'е').replace(/\s+/g, ' ');
const ORGANISATIONAL = new Set(ORGANISATIONAL_DEPARTMENTS.map(normalised));

/** The department a principal's department-bound roles are narrowed to; undefined: the whole administration. */
export function departmentOf(principal: Principal): string | undefined {
  const claim = principal.department;
  return claim === undefined || ORGANISATIONAL.has(normalised(claim)) ? undefined : claim;
}

/** How far one role reaches: every appeal, its department's (every appeal without a department claim), or those assigned to the person. */
type Reach = 'all' | 'department' | 'assigned';

const REACH: Readonly<Record<Role, Reach>> = {
  admin: 'all',
  supervisor: 'all',
  head: 'all',
  controller: 'department',
  registrar: 'department',
  executor: 'assigned',
};

/** Which roles may read each part of one appeal (each within its reach). */
const APPEAL_READ_ROLES: Readonly<Record<AppealRead, readonly Role[]>> = {
  summary: ['admin', 'supervisor', 'head', 'controller', 'registrar', 'executor'],
  personal_data: ['admin', 'supervisor', 'head', 'controller', 'registrar', 'executor'],
  history: ['admin', 'supervisor', 'head', 'controller'],
  // earlier appeals of the same applicant on the same question (GET /appeals/{id}/related)
  related: ['admin', 'supervisor', 'head', 'controller', 'registrar'],
};

/** Which roles may read each list (each sees the rows within its reach). */
const LIST_READ_ROLES: Readonly<Record<ListRead, readonly Role[]>> = {
  control: ['admin', 'supervisor', 'head', 'controller', 'registrar', 'executor'],
  reminders: ['admin', 'supervisor', 'head', 'controller', 'executor'],
  journal: ['admin', 'supervisor', 'head', 'controller', 'registrar'],
  weekly_report: ['admin', 'supervisor', 'head', 'controller', 'registrar'],
  // Counts for the whole administration with no department dimension: only whole-administration readers.
  summary_report: ['admin', 'supervisor', 'head', 'controller', 'registrar'],
  // The ССТУ.РФ export carries applicants' names and addresses: only the roles that report send it.
  sstu_export: ['admin', 'controller'],
};

/** Lists a department-scoped reader may not read at all (they cannot be narrowed to a department). */
const WHOLE_ADMINISTRATION_ONLY: readonly ListRead[] = ['summary_report', 'sstu_export'];

/** Which roles may take each action (each within its reach); the supervisor takes none. */
const ACTION_ROLES: Readonly<Record<AccessAction, readonly Role[]>> = {
  register: ['admin', 'registrar'],
  assign: ['admin', 'controller'],
  extend_deadline: ['admin', 'controller'],
  return_for_rework: ['admin', 'controller'],
  remove_from_control: ['admin', 'controller'],
  forward: ['admin', 'registrar', 'controller'],
  // the registrar finds the ground at registration (anonymous, unreadable…), the controller later (art. 11)
  leave_without_answer: ['admin', 'registrar', 'controller'],
  withdraw: ['admin', 'registrar'],
  send_interim_answer: ['admin', 'executor'],
  send_final_answer: ['admin', 'executor'],
  request_documents: ['admin', 'controller', 'executor'],
  erase_personal_data: ['admin'],
  // the registrar confirms or rejects a proposed repeat/duplicate; the controller may correct it
  link_related: ['admin', 'registrar', 'controller'],
  // the controlling side informs the sending body and keeps the answer's measures on control
  report_to_source: ['admin', 'controller', 'registrar'],
  further_control: ['admin', 'controller'],
  // the head's decision (art. 11 ч.5) is recorded by the controlling side (the head reads as supervisor)
  terminate_correspondence: ['admin', 'controller'],
  // the controller (the head's office) records the head's resolution, as an assignment
  resolve: ['admin', 'controller'],
  // a co-executor named in the resolution sends their part, whatever their role; the admin for them
  contribute: ['admin', 'controller', 'registrar', 'executor'],
  // the applicant brings them to the office (registrar, controller) or to the executor who has the appeal
  record_applicant_materials: ['admin', 'registrar', 'controller', 'executor'],
};

/** Whether the principal is a co-executor of the resolution in force. */
const isCoExecutor = (principal: Principal, facts: AppealAccessFacts): boolean =>
  facts.coExecutorIds?.includes(principal.id) === true;

/**
 * The rows of a list one may see: every row, or those of one department and/or assigned to one
 * person (a row matching either is visible). `department` and `executorId` both absent: none.
 */
export type ReadScope = { all: true } | { all: false; department?: string; executorId?: string };

export type AccessDecision = { allowed: true } | { allowed: false; reason: string };

const ALLOWED: AccessDecision = { allowed: true };
const deny = (reason: string): AccessDecision => ({ allowed: false, reason });

/**
 * Whether a role held by `principal` reaches the appeal: to read (`read`: an executor also reaches
 * the appeals whose resolution names them a co-executor) or to act.
 */
function reaches(principal: Principal, role: Role, facts: AppealAccessFacts, read = false): boolean {
  switch (REACH[role]) {
    case 'all':
      return true;
    case 'department': {
      const own = departmentOf(principal);
      return own === undefined || facts.department === own;
    }
    case 'assigned':
      return (
        (facts.executorId !== null && facts.executorId === principal.id) ||
        (read && isCoExecutor(principal, facts))
      );
  }
}

/** For `contribute`: every role but the admin's reaches only an appeal naming the principal a co-executor. */
function reachesFor(
  action: AccessAction,
  principal: Principal,
  role: Role,
  facts: AppealAccessFacts,
): boolean {
  if (action === 'contribute') return REACH[role] === 'all' || isCoExecutor(principal, facts);
  return reaches(principal, role, facts);
}

function heldOf(principal: Principal, roles: readonly Role[]): Role[] {
  return principal.roles.filter((r) => roles.includes(r));
}

/** May `principal` read this part of the appeal whose assignment now is `facts`? */
export function mayReadAppeal(principal: Principal, facts: AppealAccessFacts, what: AppealRead): boolean {
  return heldOf(principal, APPEAL_READ_ROLES[what]).some((role) => reaches(principal, role, facts, true));
}

/**
 * Whether `principal` reads every appeal's summary whatever its assignment (the admin, the supervisor,
 * a controller or registrar of the whole administration): what `mayReadAppeal(…, 'summary')` answers
 * for any facts, known without them — so references to other appeals need no lookup for them.
 */
export function readsEveryAppeal(principal: Principal): boolean {
  return heldOf(principal, APPEAL_READ_ROLES.summary).some(
    (role) =>
      REACH[role] === 'all' || (REACH[role] === 'department' && departmentOf(principal) === undefined),
  );
}

/** Roles that may read a list at all (for the route's role check). */
export function listReaders(list: ListRead): Role[] {
  return [...LIST_READ_ROLES[list]];
}

/** The rows of `list` that `principal` may see; undefined when they may not read the list at all. */
export function listScope(principal: Principal, list: ListRead): ReadScope | undefined {
  const held = heldOf(principal, LIST_READ_ROLES[list]);
  if (held.length === 0) return undefined;
  let department: string | undefined;
  let executorId: string | undefined;
  for (const role of held) {
    const reach = REACH[role];
    if (reach === 'all') return { all: true };
    if (reach === 'department') {
      department = departmentOf(principal);
      if (department === undefined) return { all: true };
    }
    if (reach === 'assigned') executorId = principal.id;
  }
  if (WHOLE_ADMINISTRATION_ONLY.includes(list)) return undefined;
  return {
    all: false,
    ...(department !== undefined ? { department } : {}),
    ...(executorId !== undefined ? { executorId } : {}),
  };
}

/** Whether a row with this assignment is within the scope. */
export function inScope(scope: ReadScope, facts: AppealAccessFacts): boolean {
  if (scope.all) return true;
  if (scope.department !== undefined && facts.department === scope.department) return true;
  return scope.executorId !== undefined && facts.executorId === scope.executorId;
}

/** The action a command type is, or undefined for a command no user may send (reminders). */
function accessActionOf(commandType: string): AccessAction | undefined {
  return Object.hasOwn(COMMAND_ACTIONS, commandType)
    ? COMMAND_ACTIONS[commandType as keyof typeof COMMAND_ACTIONS]
    : undefined;
}

/**
 * May `principal` take `action` on the appeal whose assignment now is `facts` (undefined for a new
 * appeal)? `target` is the department an assignment moves the appeal to. The reasons name neither
 * the appeal's state nor its people, so a refusal reveals nothing about the appeal.
 */
export function mayAct(
  principal: Principal,
  action: AccessAction,
  facts: AppealAccessFacts | undefined,
  target?: { department?: string },
): AccessDecision {
  const held = heldOf(principal, ACTION_ROLES[action]);
  if (held.length === 0) {
    return deny(
      `this action needs one of the roles: ${ACTION_ROLES[action].join(', ')}; you have: ${principal.roles.join(', ') || 'none'}`,
    );
  }
  if (facts === undefined) return ALLOWED; // registration: of any appeal
  const reaching = held.filter((role) => reachesFor(action, principal, role, facts));
  if (reaching.length === 0) {
    if (action === 'contribute')
      return deny('only a co-executor named in the resolution in force may send their part');
    return deny(
      held.every((r) => REACH[r] === 'assigned')
        ? 'only the executor the appeal is assigned to now may do this'
        : `this appeal is not within your department (${departmentOf(principal) ?? '—'})`,
    );
  }
  // A department's controller keeps the appeal in their department.
  const moving = target?.department;
  const own = departmentOf(principal);
  if (
    moving !== undefined &&
    own !== undefined &&
    !reaching.some((r) => REACH[r] === 'all') &&
    moving !== own
  ) {
    return deny(`you may assign only within your department (${own})`);
  }
  return ALLOWED;
}

/**
 * The command hook: may `principal` send `command` to the appeal whose state is `state`? Runs
 * before the appeal's state is consulted for anything else (If-Match, the decider's refusals).
 */
export function authorizeCommand(
  principal: Principal,
  state: Parameters<typeof factsOf>[0] | undefined,
  command: { type: string; data?: unknown },
): AccessDecision {
  const action = accessActionOf(command.type);
  if (action === undefined) return deny(`${command.type} is not a command people send`);
  const data = command.data as
    { department?: unknown; responsible?: { department?: unknown }; coExecutorId?: unknown } | undefined;
  const department =
    action === 'assign' && typeof data?.department === 'string'
      ? data.department
      : action === 'resolve' && typeof data?.responsible?.department === 'string'
        ? data.responsible.department
        : undefined;
  // a co-executor sends their own part; only the admin records one for another
  if (
    action === 'contribute' &&
    !principal.roles.includes('admin') &&
    data?.coExecutorId !== undefined &&
    data.coExecutorId !== principal.id
  )
    return deny('a co-executor sends only their own part');
  return mayAct(
    principal,
    action,
    state === undefined ? undefined : factsOf(state),
    department === undefined ? undefined : { department },
  );
}

/** The assignment now, from an appeal's folded state. */
export function factsOf(state: {
  context: {
    department: string | null;
    executor: { id: string } | null;
    coExecutors?: readonly { id: string }[];
  };
}): AppealAccessFacts {
  const coExecutors = state.context.coExecutors ?? [];
  return {
    department: state.context.department || null,
    executorId: state.context.executor?.id ?? null,
    ...(coExecutors.length > 0 && { coExecutorIds: coExecutors.map((c) => c.id) }),
  };
}
