import { allowedActions, isAssignedExecutor, rehydrate } from './appeal.decider';
import { toAppealView } from './appeal.view';
import { MAX_CO_EXECUTORS, pendingCoExecutors } from './co-executors.decider';
import {
  CO_EXECUTOR,
  HEAD,
  IVANOVA,
  RESPONSIBLE,
  SIDOROV,
  assigned,
  contributionRecorded,
  finalAnswered,
  forwarded,
  given,
  interimAnswered,
  reassigned,
  recordContribution,
  recordResolution,
  registered,
  removedFromControl,
  resolutionRecorded,
  returnedForRework,
  withdrawn,
  reminderIssued,
  issueDeadlineReminder,
} from './testing';

const TEXT = 'Иванова — подготовить ответ; Сидоров — сведения о ремонте дороги';

describe("the head's resolution (issue 14)", () => {
  it('on a registered appeal assigns the responsible executor and records the resolution', () => {
    const after = given([registered()])
      .when(recordResolution())
      .then([assigned({ instructions: TEXT }), resolutionRecorded()]);
    expect(after.status).toBe('assigned');
    // the responsible executor is the assigned one: the answer commands check that
    expect(isAssignedExecutor(after, RESPONSIBLE.id)).toBe(true);
    expect(isAssignedExecutor(after, CO_EXECUTOR.id)).toBe(false);
  });

  it('on an appeal assigned to the responsible executor records the resolution alone', () => {
    given([registered(), assigned()]).when(recordResolution()).then([resolutionRecorded()]);
  });

  it('naming another responsible executor reassigns the appeal to them', () => {
    given([registered(), assigned(), interimAnswered()])
      .when(
        recordResolution({
          responsible: { ...SIDOROV, department: 'Дорожный отдел' },
          coExecutors: [{ ...IVANOVA, department: 'ЖКХ' }],
        }),
      )
      .then([
        reassigned({ instructions: TEXT, assignedAt: '2018-03-02T10:00:00+07:00' }),
        resolutionRecorded({
          responsible: { ...SIDOROV, department: 'Дорожный отдел' },
          coExecutors: [{ ...IVANOVA, department: 'ЖКХ' }],
        }),
      ]);
  });

  it('the same resolution again records nothing (a retried request)', () => {
    given([registered(), assigned(), resolutionRecorded()]).when(recordResolution()).then([]);
  });

  it('a later resolution replaces the co-executors; one named again keeps their part', () => {
    const after = given([registered(), assigned(), resolutionRecorded(), contributionRecorded()])
      .when(
        recordResolution({
          decidedAt: '2018-03-16T10:00:00+07:00',
          coExecutors: [CO_EXECUTOR, { id: 'petrov', name: 'Петров П.П.', department: 'Правовой отдел' }],
        }),
      )
      .then([
        resolutionRecorded({
          decidedAt: '2018-03-16T10:00:00+07:00',
          coExecutors: [CO_EXECUTOR, { id: 'petrov', name: 'Петров П.П.', department: 'Правовой отдел' }],
        }),
      ]);
    const view = toAppealView(after as Parameters<typeof toAppealView>[0]);
    expect(view.coExecutors).toEqual([
      { ...CO_EXECUTOR, dueDate: null, contributedAt: '2018-03-15T10:00:00+07:00', contributions: 1 },
      {
        id: 'petrov',
        name: 'Петров П.П.',
        department: 'Правовой отдел',
        dueDate: null,
        contributedAt: null,
        contributions: 0,
      },
    ]);
  });

  it('refuses invalid fields, naming each', () => {
    given([registered()])
      .when(
        recordResolution({
          author: { name: '', position: 'глава' },
          text: ' ',
          decidedAt: '2018-02-27T10:00:00+07:00',
          responsible: { id: 'ivanova', name: 'Иванова А.А.', department: '' },
          internalDueDate: '2018-04-15',
          coExecutors: [
            { ...CO_EXECUTOR, dueDate: '2018-04-02' },
            { ...CO_EXECUTOR },
            { ...RESPONSIBLE, dueDate: '2018-03-31' },
          ],
        }),
      )
      .thenRefused({
        reason: 'invalid',
        errors: [
          { field: 'author.name', message: 'must be a non-empty string' },
          { field: 'text', message: 'must be a non-empty string' },
          {
            field: 'decidedAt',
            message: 'is 2018-02-27 (Asia/Novokuznetsk), before the registration date 2018-03-01',
          },
          { field: 'responsible.department', message: 'must be a non-empty string' },
          { field: 'internalDueDate', message: "is 2018-04-15, after the appeal's due date 2018-03-30" },
          {
            field: 'coExecutors[0].dueDate',
            message: "is 2018-04-02, after the appeal's due date 2018-03-30",
          },
          { field: 'coExecutors[1].id', message: 'sidorov is listed twice' },
          {
            field: 'coExecutors[2].dueDate',
            message: "is 2018-03-31, after the appeal's due date 2018-03-30",
          },
        ],
      });
  });

  it('refuses the responsible executor among the co-executors, and a part due before the resolution', () => {
    given([registered()])
      .when(
        recordResolution({
          decidedAt: '2018-03-10T10:00:00+07:00',
          coExecutors: [
            { ...RESPONSIBLE, department: 'ЖКХ' },
            { ...CO_EXECUTOR, dueDate: '2018-03-09' },
          ],
        }),
      )
      .thenRefused({
        reason: 'invalid',
        errors: [
          {
            field: 'coExecutors[0].id',
            message: 'ivanova is the responsible executor: not also a co-executor',
          },
          {
            field: 'coExecutors[1].dueDate',
            message: "is 2018-03-09, before the resolution's date 2018-03-10",
          },
        ],
      });
  });

  it(`refuses more than ${MAX_CO_EXECUTORS} co-executors`, () => {
    const many = Array.from({ length: MAX_CO_EXECUTORS + 1 }, (_, i) => ({
      id: `u${i}`,
      name: `Сотрудник ${i}`,
      department: 'ЖКХ',
    }));
    given([registered()])
      .when(recordResolution({ coExecutors: many }))
      .thenRefused({
        reason: 'invalid',
        errors: [{ field: 'coExecutors', message: `at most ${MAX_CO_EXECUTORS} co-executors, got 21` }],
      });
  });

  it.each([
    ['final_answered', [registered(), assigned(), finalAnswered()]],
    ['closed (removed from control)', [registered(), assigned(), finalAnswered(), removedFromControl()]],
    ['closed (forwarded)', [registered(), forwarded()]],
    ['closed (withdrawn)', [registered(), withdrawn()]],
  ] as const)('is refused in %s', (_name, events) => {
    given([...events])
      .when(recordResolution())
      .thenRefused({ reason: 'not_allowed' });
  });
});

describe("a co-executor's part (issue 14)", () => {
  const resolved = [registered(), assigned(), resolutionRecorded()];

  it('is recorded with its term and whether it was late', () => {
    const after = given(resolved).when(recordContribution()).then([contributionRecorded()]);
    given(resolved)
      .when(recordContribution({ sentAt: '2018-03-21T10:00:00+07:00' }))
      .then([contributionRecorded({ sentAt: '2018-03-21T10:00:00+07:00', late: true })]);
    const view = toAppealView(after as Parameters<typeof toAppealView>[0]);
    expect(view.resolution).toEqual({
      author: HEAD,
      decidedAt: '2018-03-02T10:00:00+07:00',
      responsible: RESPONSIBLE,
      internalDueDate: null,
    });
    expect(view.coExecutors?.[0]?.contributedAt).toBe('2018-03-15T10:00:00+07:00');
  });

  it("without a part's own term is measured against the appeal's due date", () => {
    given([registered(), assigned(), resolutionRecorded({ coExecutors: [CO_EXECUTOR] })])
      .when(recordContribution({ sentAt: '2018-03-29T10:00:00+07:00' }))
      .then([contributionRecorded({ sentAt: '2018-03-29T10:00:00+07:00', dueDate: '2018-03-30' })]);
  });

  it('is refused with 409 when the resolution names no co-executors, and not offered', () => {
    const none = [registered(), assigned(), resolutionRecorded({ coExecutors: [] })];
    given(none)
      .when(recordContribution())
      .thenRefused({ reason: 'control_conflict', conflict: 'no_co_executors' });
    given([registered(), assigned()])
      .when(recordContribution())
      .thenRefused({ reason: 'control_conflict', conflict: 'no_co_executors' });
    expect(allowedActions(rehydrate(none))).not.toContain('contribute');
    expect(allowedActions(rehydrate(resolved))).toContain('contribute');
  });

  it('is refused from someone not named, and before the resolution', () => {
    given(resolved)
      .when(recordContribution({ coExecutorId: 'petrov', sentAt: '2018-03-01T10:00:00+07:00', text: '' }))
      .thenRefused({
        reason: 'invalid',
        errors: [
          {
            field: 'coExecutorId',
            message: 'petrov is not a co-executor of this appeal (co-executors: sidorov)',
          },
          { field: 'text', message: 'must be a non-empty string' },
          { field: 'sentAt', message: 'is before the resolution (2018-03-02T10:00:00+07:00)' },
        ],
      });
  });

  it('is refused after the final answer, and allowed again after a rework', () => {
    given([...resolved, finalAnswered()])
      .when(recordContribution())
      .thenRefused({ reason: 'not_allowed' });
    given([...resolved, finalAnswered(), returnedForRework()])
      .when(recordContribution({ sentAt: '2018-03-29T11:00:00+07:00' }))
      .then([contributionRecorded({ sentAt: '2018-03-29T11:00:00+07:00', late: true })]);
  });

  it('pendingCoExecutors lists those who have not sent their part, with their term', () => {
    const c = rehydrate([...resolved]);
    if (c.status === 'unregistered') throw new Error('registered');
    expect(pendingCoExecutors(c.context)).toEqual([{ ...CO_EXECUTOR, dueDate: '2018-03-20' }]);
    const after = rehydrate([...resolved, contributionRecorded()]);
    if (after.status === 'unregistered') throw new Error('registered');
    expect(pendingCoExecutors(after.context)).toEqual([]);
  });

  it('old streams fold as before: no resolution, no co-executors, no new summary fields', () => {
    const state = rehydrate([registered(), assigned(), finalAnswered()]);
    if (state.status === 'unregistered') throw new Error('registered');
    expect(state.context.resolution).toBeNull();
    expect(state.context.coExecutors).toEqual([]);
    const view = toAppealView(state);
    expect('resolution' in view).toBe(false);
    expect('coExecutors' in view).toBe(false);
  });
});

describe("a co-executor's reminder of their part (issue 14)", () => {
  const resolved = [registered(), assigned(), resolutionRecorded()];
  const remind = (data: Parameters<typeof issueDeadlineReminder>[0] = {}) =>
    issueDeadlineReminder({
      reminderId: 'r-co-1',
      kind: 'due_soon',
      businessDate: '2018-03-15',
      issuedAt: '2018-03-15T09:00:00+07:00',
      coExecutorId: CO_EXECUTOR.id,
      ...data,
    });
  const issued = (data: Partial<ReturnType<typeof reminderIssued>['data']> = {}) =>
    reminderIssued({
      reminderId: 'r-co-1',
      kind: 'due_soon',
      dueDate: '2018-03-20',
      businessDate: '2018-03-15',
      issuedAt: '2018-03-15T09:00:00+07:00',
      department: CO_EXECUTOR.department,
      executor: { id: CO_EXECUTOR.id, name: CO_EXECUTOR.name },
      coExecutor: CO_EXECUTOR,
      ...data,
    });

  it("is issued by the part's term, to the co-executor and their department", () => {
    given(resolved).when(remind()).then([issued()]);
  });

  it("once per kind and term, and apart from the appeal's own reminder", () => {
    given([...resolved, issued()])
      .when(remind({ reminderId: 'r-co-2' }))
      .then([]);
    // the appeal's own due_soon is not held back by the co-executor's
    const own = given([...resolved, issued({ dueDate: '2018-03-30' })]).when(
      issueDeadlineReminder({
        reminderId: 'r-own',
        kind: 'due_soon',
        businessDate: '2018-03-27',
        issuedAt: '2018-03-27T09:00:00+07:00',
      }),
    );
    expect(own.decision.ok && own.decision.events.length).toBe(1);
  });

  it('is refused once the part was sent, to someone not named, and when the kind does not fit the term', () => {
    given([...resolved, contributionRecorded()])
      .when(remind())
      .thenRefused({
        reason: 'invalid',
        errors: [{ field: 'coExecutorId', message: 'sidorov owes no part of this appeal' }],
      });
    given(resolved)
      .when(remind({ coExecutorId: 'petrov' }))
      .thenRefused({ reason: 'invalid' });
    given(resolved)
      .when(remind({ kind: 'overdue' }))
      .thenRefused({
        reason: 'invalid',
        errors: [
          {
            field: 'kind',
            message: "overdue does not fit business date 2018-03-15 and the part's term 2018-03-20",
          },
        ],
      });
  });
});
