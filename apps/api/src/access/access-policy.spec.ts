/**
 * The access policy walked exhaustively: every role (and none, and several) × with/without a
 * department × every part of an appeal, every list and every action, against appeals of the
 * reader's department, of another, of none, assigned to the reader, to someone else, to nobody.
 * The expected table is written out here independently of the module, as docs/access.md states it.
 */
import { ROLES, type Principal, type Role } from '../auth/principal';
import {
  ACCESS_ACTIONS,
  APPEAL_READS,
  authorizeCommand,
  inScope,
  LIST_READS,
  listScope,
  mayAct,
  mayReadAppeal,
  type AppealAccessFacts,
  type AccessAction,
  type AppealRead,
  type ListRead,
} from './access-policy';

const OWN = 'Отдел ЖКХ';
const OTHER = 'Отдел образования';
const ME = 'me';

const APPEALS: Record<string, AppealAccessFacts> = {
  unassigned: { department: null, executorId: null },
  'own department, someone else': { department: OWN, executorId: 'someone' },
  'own department, me': { department: OWN, executorId: ME },
  'other department, someone else': { department: OTHER, executorId: 'someone' },
  'other department, me': { department: OTHER, executorId: ME },
  // issue 14: the resolution in force names me a co-executor
  'other department, me a co-executor': { department: OTHER, executorId: 'someone', coExecutorIds: [ME] },
  'own department, someone else a co-executor': {
    department: OWN,
    executorId: 'someone',
    coExecutorIds: ['another'],
  },
};

/** docs/access.md, one role at a time. */
const READS: Record<Role, readonly AppealRead[]> = {
  admin: ['summary', 'personal_data', 'history', 'related'],
  supervisor: ['summary', 'personal_data', 'history', 'related'],
  head: ['summary', 'personal_data', 'history', 'related'],
  controller: ['summary', 'personal_data', 'history', 'related'],
  registrar: ['summary', 'personal_data', 'related'],
  executor: ['summary', 'personal_data'],
};
const ACTS: Record<Role, readonly AccessAction[]> = {
  admin: [...ACCESS_ACTIONS],
  supervisor: [],
  head: [],
  controller: [
    'assign',
    'extend_deadline',
    'return_for_rework',
    'remove_from_control',
    'forward',
    'leave_without_answer',
    'request_documents',
    'link_related',
    'report_to_source',
    'further_control',
    'terminate_correspondence',
    'resolve',
    'contribute',
    'record_applicant_materials',
  ],
  registrar: [
    'register',
    'forward',
    'leave_without_answer',
    'withdraw',
    'link_related',
    'report_to_source',
    'contribute',
    'record_applicant_materials',
  ],
  executor: [
    'send_interim_answer',
    'send_final_answer',
    'request_documents',
    'contribute',
    'record_applicant_materials',
  ],
};
const LISTS: Record<Role, readonly ListRead[]> = {
  admin: [...LIST_READS],
  supervisor: LIST_READS.filter((l) => l !== 'sstu_export'),
  head: LIST_READS.filter((l) => l !== 'sstu_export'),
  controller: [...LIST_READS],
  registrar: ['control', 'journal', 'weekly_report', 'summary_report'],
  executor: ['control', 'reminders'],
};

/**
 * Does one role, held by a principal with or without a department, reach the appeal? To read, an
 * executor also reaches an appeal naming them a co-executor; to send a part (`contribute`) every role
 * but the admin's reaches only such an appeal; lists follow the assignment alone.
 */
function reachesAlone(
  role: Role,
  department: string | undefined,
  appeal: AppealAccessFacts,
  purpose: 'read' | 'list' | AccessAction = 'list',
): boolean {
  const coExecutor = appeal.coExecutorIds?.includes(ME) === true;
  if (purpose === 'contribute') return role === 'admin' || coExecutor;
  if (role === 'admin' || role === 'supervisor' || role === 'head') return true;
  if (role === 'executor') return appeal.executorId === ME || (purpose === 'read' && coExecutor);
  return department === undefined || appeal.department === department;
}

const principal = (roles: Role[], department?: string): Principal => ({
  id: ME,
  name: 'Я',
  roles,
  ...(department !== undefined ? { department } : {}),
});

/** Every single role, no role, and every pair of roles. */
const ROLE_SETS: Role[][] = [
  [],
  ...ROLES.map((r) => [r]),
  ...ROLES.flatMap((a, i) => ROLES.slice(i + 1).map((b) => [a, b])),
];
const DEPARTMENTS = [undefined, OWN];

describe('the access policy, exhaustively', () => {
  for (const roles of ROLE_SETS) {
    for (const department of DEPARTMENTS) {
      const who = principal(roles, department);
      const label = `${roles.join('+') || 'no role'}${department ? ` of ${department}` : ''}`;

      it(`${label}: reads of one appeal`, () => {
        for (const [name, appeal] of Object.entries(APPEALS)) {
          for (const what of APPEAL_READS) {
            const expected = roles.some(
              (r) => READS[r].includes(what) && reachesAlone(r, department, appeal, 'read'),
            );
            expect({ appeal: name, what, allowed: mayReadAppeal(who, appeal, what) }).toEqual({
              appeal: name,
              what,
              allowed: expected,
            });
          }
        }
      });

      it(`${label}: actions`, () => {
        for (const [name, appeal] of Object.entries(APPEALS)) {
          for (const action of ACCESS_ACTIONS) {
            const facts = action === 'register' ? undefined : appeal;
            const expected = roles.some(
              (r) =>
                ACTS[r].includes(action) &&
                (facts === undefined || reachesAlone(r, department, facts, action)),
            );
            expect({ appeal: name, action, allowed: mayAct(who, action, facts).allowed }).toEqual({
              appeal: name,
              action,
              allowed: expected,
            });
          }
        }
      });

      it(`${label}: lists show exactly the rows of the appeals it may read`, () => {
        for (const list of LIST_READS) {
          const readers = roles.filter((r) => LISTS[r].includes(list));
          const scope = listScope(who, list);
          const whole = readers.some((r) =>
            reachesAlone(r, department, { department: null, executorId: null }),
          );
          const wholeOnly = list === 'summary_report' || list === 'sstu_export';
          const expectedNone = readers.length === 0 || (wholeOnly && !whole);
          expect({ list, readable: scope !== undefined }).toEqual({ list, readable: !expectedNone });
          if (scope === undefined) continue;
          for (const [name, appeal] of Object.entries(APPEALS)) {
            const expected = readers.some((r) => reachesAlone(r, department, appeal));
            expect({ list, appeal: name, visible: inScope(scope, appeal) }).toEqual({
              list,
              appeal: name,
              visible: expected,
            });
          }
        }
      });
    }
  }

  it('an unknown role is no role: roles are filtered when the token is read, and the policy grants none', () => {
    const who = { id: ME, name: 'Я', roles: ['chief' as Role] };
    for (const appeal of Object.values(APPEALS)) {
      for (const what of APPEAL_READS) expect(mayReadAppeal(who, appeal, what)).toBe(false);
    }
    for (const list of LIST_READS) expect(listScope(who, list)).toBeUndefined();
  });

  it("the organisational department's claim narrows nothing (any case, «ё», spacing)", () => {
    for (const claim of ['Организационный отдел', '  организационный   ОТДЕЛ ', 'Орготдел']) {
      for (const role of ['controller', 'registrar'] as const) {
        const who = principal([role], claim);
        expect({ claim, role, scope: listScope(who, 'control') }).toEqual({
          claim,
          role,
          scope: { all: true },
        });
        for (const appeal of Object.values(APPEALS)) expect(mayReadAppeal(who, appeal, 'summary')).toBe(true);
      }
    }
    expect(
      mayAct(principal(['controller'], 'Организационный отдел'), 'assign', APPEALS.unassigned).allowed,
    ).toBe(true);
  });

  it('visibility follows the assignment now: the reassigned executor reads nothing', () => {
    const executor = principal(['executor']);
    expect(mayReadAppeal(executor, { department: OWN, executorId: ME }, 'personal_data')).toBe(true);
    expect(mayReadAppeal(executor, { department: OWN, executorId: 'successor' }, 'personal_data')).toBe(
      false,
    );
  });

  it("a department's controller assigns only within the department; the organisational one anywhere", () => {
    const state = (department: string | null) => ({ context: { department, executor: null } });
    const assign = (department: string) => ({
      type: 'AssignExecutor',
      data: { executor: { id: 'x', name: 'X' }, department },
    });
    const own = principal(['controller'], OWN);
    expect(authorizeCommand(own, state(OWN), assign(OWN)).allowed).toBe(true);
    expect(authorizeCommand(own, state(OWN), assign(OTHER)).allowed).toBe(false);
    expect(authorizeCommand(own, state(OTHER), assign(OWN)).allowed).toBe(false);
    expect(authorizeCommand(own, state(null), assign(OWN)).allowed).toBe(false);
    const org = principal(['controller']);
    expect(authorizeCommand(org, state(null), assign(OTHER)).allowed).toBe(true);
    expect(authorizeCommand(org, state(OWN), assign(OTHER)).allowed).toBe(true);
  });

  it('the command hook maps every command people send, and refuses the rest', () => {
    const admin = principal(['admin']);
    const state = { context: { department: OWN, executor: { id: ME } } };
    for (const type of [
      'AssignExecutor',
      'ExtendDeadline',
      'ReturnForRework',
      'RemoveFromControl',
      'ForwardByCompetence',
      'WithdrawAppeal',
      'SendInterimAnswer',
      'SendFinalAnswer',
      'RecordApplicantMaterials',
    ]) {
      expect({ type, allowed: authorizeCommand(admin, state, { type }).allowed }).toEqual({
        type,
        allowed: true,
      });
    }
    expect(authorizeCommand(admin, undefined, { type: 'RegisterAppeal' }).allowed).toBe(true);
    expect(authorizeCommand(admin, state, { type: 'IssueDeadlineReminder' }).allowed).toBe(false);
  });

  it('a co-executor sends only their own part; the admin records one for anyone', () => {
    const state = { context: { department: OWN, executor: { id: 'someone' }, coExecutors: [{ id: ME }] } };
    const part = (coExecutorId: string) => ({ type: 'RecordContribution', data: { coExecutorId } });
    expect(authorizeCommand(principal(['executor']), state, part(ME)).allowed).toBe(true);
    expect(authorizeCommand(principal(['executor']), state, part('another')).allowed).toBe(false);
    expect(authorizeCommand(principal(['controller'], OWN), state, part('another')).allowed).toBe(false);
    expect(authorizeCommand(principal(['admin']), state, part('another')).allowed).toBe(true);
    // a co-executor does not answer: that stays with the assigned executor
    expect(authorizeCommand(principal(['executor']), state, { type: 'SendFinalAnswer' }).allowed).toBe(false);
  });

  it("a department's controller names a responsible executor only within the department", () => {
    const state = { context: { department: OWN, executor: null } };
    const resolve = (department: string) => ({
      type: 'RecordResolution',
      data: { responsible: { department } },
    });
    expect(authorizeCommand(principal(['controller'], OWN), state, resolve(OWN)).allowed).toBe(true);
    expect(authorizeCommand(principal(['controller'], OWN), state, resolve(OTHER)).allowed).toBe(false);
  });

  it("a refusal names neither the appeal's state nor its people", () => {
    const decision = authorizeCommand(
      principal(['executor']),
      { context: { department: OWN, executor: { id: 'someone' } } },
      { type: 'SendFinalAnswer' },
    );
    expect(decision.allowed).toBe(false);
    if (!decision.allowed) expect(decision.reason).not.toMatch(/someone|assigned_|registered|interim/);
  });
});
