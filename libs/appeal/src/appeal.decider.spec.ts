// The appeal decider: every transition, every refusal, input validation and the derived facts.
import type { AppealMachineState } from './appeal.machine';
import type { AppealAction, AppealCommand } from './appeal.commands';
import { actionOf } from './appeal.commands';
import {
  allowedActions,
  decide,
  isAssignedExecutor,
  isRegistered,
  MAX_INTERIM_ANSWERS,
  rehydrate,
} from './appeal.decider';
import { appealRules } from './appeal.rules';
import {
  HISTORIES,
  IVANOVA,
  QUESTION_CODES,
  SIDOROV,
  assignExecutor,
  assigned,
  extendDeadline,
  extended,
  finalAnswered,
  forwardByCompetence,
  forwarded,
  given,
  interimAnswered,
  issueDeadlineReminder,
  oneOfEachCommand,
  reassigned,
  registerAppeal,
  registered,
  reminderIssued,
  removeFromControl,
  removedFromControl,
  returnForRework,
  returnedForRework,
  sendFinalAnswer,
  sendInterimAnswer,
  testRules,
  withdrawAppeal,
  withdrawn,
} from './testing';

const contextOf = (events: Parameters<typeof rehydrate>[0]) => {
  const state = rehydrate(events);
  if (!isRegistered(state)) throw new Error('expected a registered appeal');
  return state;
};

describe('RegisterAppeal', () => {
  it('registers: number, form, term and flags derived', () => {
    given([]).when(registerAppeal()).then([registered()]);
  });

  it.each([
    ['written', 'written'],
    ['electronic', 'electronic'],
    ['personal_reception', 'oral'],
    ['phone', 'oral'],
  ] as const)('derives form %s → %s', (channel, form) => {
    const { decision } = given([]).when(registerAppeal({ channel }));
    expect(decision).toMatchObject({ ok: true, events: [{ data: { channel, form } }] });
  });

  it('marks two or more applicants collective', () => {
    const applicants = [
      { applicantId: 'p-1', name: 'Петров П.П.', address: 'п. Елань' },
      { applicantId: 'p-2', name: 'Дёмина Д.Д.', email: 'd@example.org' },
    ];
    given([])
      .when(registerAppeal({ applicants }))
      .then([registered({ applicants, collective: true })]);
  });

  it('registers an appeal without a name as anonymous, numbered with the fallback initial', () => {
    const applicants = [{ applicantId: 'p-1', address: 'п. Елань' }];
    given([])
      .when(registerAppeal({ applicants }))
      .then([registered({ applicants, anonymous: true, number: 'А/1', onControl: false })]);
  });

  it('registers an appeal without postal address or e-mail as anonymous', () => {
    const applicants = [{ applicantId: 'p-1', name: 'Петров П.П.', phone: '+7 900 000-00-00' }];
    given([])
      .when(registerAppeal({ applicants }))
      .then([registered({ applicants, anonymous: true, number: 'А/1', onControl: false })]);
  });

  it('accepts e-mail instead of a postal address', () => {
    const applicants = [{ applicantId: 'p-1', name: 'ёлкина е.е.', email: 'e@example.org' }];
    given([])
      .when(registerAppeal({ applicants }))
      .then([registered({ applicants, number: 'Ё/1' })]);
  });

  it('registers with no applicants at all as anonymous', () => {
    given([])
      .when(registerAppeal({ applicants: [] }))
      .then([registered({ applicants: [], anonymous: true, number: 'А/1', onControl: false })]);
  });

  it('keeps source, territory, summary, reception and repeatOf', () => {
    const extra = {
      channel: 'personal_reception' as const,
      source: {
        type: 'regional_administration' as const,
        name: 'АКО',
        reference: '01-12/345',
        date: '2018-02-27',
      },
      territory: 'п. Елань',
      summary: 'ремонт дороги',
      reception: { officialRole: 'head' as const, officialName: 'Глава', onSite: true },
      repeatOf: 'a-0000',
    };
    given([])
      .when(registerAppeal(extra))
      .then([registered({ ...extra, form: 'oral' })]);
  });

  it('applies the configured rule, term profile, pattern and fallback initial', () => {
    const rules = appealRules({
      nonWorkingDayRule: 'following',
      numberPattern: '{initial}-{seq:4}/{year}',
      anonymousInitial: 'Н',
    });
    given([], rules)
      .when(registerAppeal({ sequence: 42 }))
      .then([registered({ number: 'П-0042/2018', nonWorkingDayRule: 'following', dueDate: '2018-04-02' })]);
    given([], rules)
      .when(registerAppeal({ applicants: [], termDays: 20, termBasis: '59-ФЗ ст. 12 ч. 1.1' }))
      .then([
        registered({
          applicants: [],
          anonymous: true,
          number: 'Н-0001/2018',
          termDays: 20,
          termBasis: '59-ФЗ ст. 12 ч. 1.1',
          nonWorkingDayRule: 'following',
          nominalDueDate: '2018-03-21',
          dueDate: '2018-03-21',
          onControl: false,
        }),
      ]);
  });

  it('moves a term ending on a holiday to the preceding working day', () => {
    given([])
      .when(registerAppeal({ receivedAt: '2018-04-09', registeredAt: '2018-04-09' }))
      .then([
        registered({
          receivedAt: '2018-04-09',
          registeredAt: '2018-04-09',
          nominalDueDate: '2018-05-09',
          dueDate: '2018-05-08',
        }),
      ]);
  });

  it.each<[string, AppealCommand, string, RegExp]>([
    [
      'registeredAt before receivedAt',
      registerAppeal({ receivedAt: '2018-03-02' }),
      'registeredAt',
      /before receivedAt/,
    ],
    ['a malformed date', registerAppeal({ registeredAt: '01.03.2018' }), 'registeredAt', /YYYY-MM-DD/],
    ['an impossible date', registerAppeal({ receivedAt: '2018-02-30' }), 'receivedAt', /YYYY-MM-DD/],
    [
      'a malformed code',
      registerAppeal({ questions: [{ code: '5.5.56.1149' }] }),
      'questions[0].code',
      /NNNN\.NNNN/,
    ],
    [
      'a section outside 0001–0005',
      registerAppeal({ questions: [{ code: '0006.0005.0056.1149' }] }),
      'questions[0].code',
      /section 0006/,
    ],
    [
      'an unknown theme',
      registerAppeal({ questions: [{ code: '0005.0004.0056.1149' }] }),
      'questions[0].code',
      /theme 0005\.0004/,
    ],
    [
      'a question twice',
      registerAppeal({ questions: [{ code: QUESTION_CODES[0] }, { code: QUESTION_CODES[0] }] }),
      'questions[1].code',
      /twice/,
    ],
    ['no questions', registerAppeal({ questions: [] }), 'questions', /at least one/],
    [
      'reception for a written appeal',
      registerAppeal({ reception: { officialRole: 'head', onSite: false } }),
      'reception',
      /personal_reception/,
    ],
    ['an unknown channel', registerAppeal({ channel: 'pigeon' as 'written' }), 'channel', /one of/],
    ['an unknown kind', registerAppeal({ kind: 'wish' as 'proposal' }), 'kind', /one of/],
    [
      'an unknown source type',
      registerAppeal({ source: { type: 'press' as 'direct' } }),
      'source.type',
      /one of/,
    ],
    [
      'an applicant without id',
      registerAppeal({ applicants: [{ applicantId: '', name: 'Петров П.П.' }] }),
      'applicants[0].applicantId',
      /non-empty/,
    ],
    ['no appeal id', registerAppeal({ appealId: '' }), 'appealId', /non-empty/],
    ['a zero sequence', registerAppeal({ sequence: 0 }), 'sequence', /whole number/],
    [
      'a term profile of 0 days',
      registerAppeal({ termDays: 0, termBasis: 'закон области' }),
      'termDays',
      /whole number/,
    ],
    ['a repeat of itself', registerAppeal({ repeatOf: 'a-0001' }), 'repeatOf', /itself/],
    [
      'a year without calendar data',
      registerAppeal({ receivedAt: '2099-03-01', registeredAt: '2099-03-01' }),
      'registeredAt',
      /no data for 2099/,
    ],
  ])('refuses %s as invalid', (_what, command, field, message) => {
    const refusal = given([]).when(command).thenRefused({ reason: 'invalid' });
    expect(refusal).toMatchObject({
      errors: expect.arrayContaining([
        { field, message: expect.stringMatching(message) as string },
      ]) as unknown,
    });
  });

  it('reports every invalid field at once', () => {
    const refusal = given([])
      .when(registerAppeal({ registeredAt: 'x', channel: 'pigeon' as 'written', questions: [] }))
      .thenRefused({ reason: 'invalid' });
    expect(refusal.reason === 'invalid' && refusal.errors.map((e) => e.field)).toEqual([
      'registeredAt',
      'channel',
      'questions',
    ]);
  });

  it.each(['registered', 'assigned', 'interim_answered', 'final_answered', 'closed'] as const)(
    'refuses registering onto an existing appeal (%s) as already_exists',
    (state) => {
      given(HISTORIES[state]).when(registerAppeal()).thenRefused({ reason: 'already_exists' });
    },
  );
});

describe('AssignExecutor', () => {
  it('assigns the first executor: registered → assigned', () => {
    const state = given([registered()])
      .when(assignExecutor({ instructions: 'рассмотреть' }))
      .then([assigned({ instructions: 'рассмотреть' })]);
    expect(state.status).toBe('assigned');
  });

  it.each(['assigned', 'interim_answered'] as const)('reassigns in %s and stays there', (status) => {
    const state = given(HISTORIES[status])
      .when(
        assignExecutor({
          executor: SIDOROV,
          department: 'Дорожный отдел',
          assignedAt: '2018-03-05T10:00:00+07:00',
        }),
      )
      .then([reassigned()]);
    expect(state.status).toBe(status);
    expect(isRegistered(state) && [state.context.executor, state.context.department]).toEqual([
      SIDOROV,
      'Дорожный отдел',
    ]);
  });

  it('records nothing when the same executor and department are assigned again', () => {
    given([registered(), assigned()])
      .when(assignExecutor({ assignedAt: '2018-03-06T10:00:00+07:00' }))
      .then([]);
  });

  it('refuses an assignment without executor, department or valid time', () => {
    const refusal = given([registered()])
      .when(assignExecutor({ executor: { id: '', name: '' }, department: ' ', assignedAt: '2018-03-02' }))
      .thenRefused({ reason: 'invalid' });
    expect(refusal.reason === 'invalid' && refusal.errors.map((e) => e.field)).toEqual([
      'executor.id',
      'executor.name',
      'department',
      'assignedAt',
    ]);
  });

  it('refuses business time before the registration date (local)', () => {
    // 2018-02-28T16:59:59Z is 23:59:59 on 28 February in Novokuznetsk.
    given([registered()])
      .when(assignExecutor({ assignedAt: '2018-02-28T16:59:59Z' }))
      .thenRefused({
        reason: 'invalid',
        errors: [
          {
            field: 'assignedAt',
            message: 'is 2018-02-28 (Asia/Novokuznetsk), before the registration date 2018-03-01',
          },
        ],
      });
    given([registered()])
      .when(assignExecutor({ assignedAt: '2018-02-28T17:00:00Z' }))
      .then([assigned({ assignedAt: '2018-02-28T17:00:00Z' })]);
  });
});

describe('ExtendDeadline', () => {
  it.each(['registered', 'assigned', 'interim_answered'] as const)(
    'extends in %s from the nominal end and stays',
    (status) => {
      const state = given(HISTORIES[status]).when(extendDeadline()).then([extended()]);
      expect(state.status).toBe(status);
      expect(isRegistered(state) && state.context.dueDate).toBe('2018-04-10');
    },
  );

  it('applies the day-off rule the appeal was registered under', () => {
    given([
      registered({
        registeredAt: '2018-04-09',
        receivedAt: '2018-04-09',
        nominalDueDate: '2018-05-09',
        dueDate: '2018-05-10',
        nonWorkingDayRule: 'following',
      }),
    ])
      .when(extendDeadline({ days: 1, extendedAt: '2018-05-04T10:00:00+07:00' }))
      .then([
        extended({
          days: 1,
          extendedAt: '2018-05-04T10:00:00+07:00',
          previousDueDate: '2018-05-10',
          nominalDueDate: '2018-05-10',
          dueDate: '2018-05-10',
          totalExtensionDays: 1,
        }),
      ]);
  });

  it('allows several extensions totalling 30 days', () => {
    given([registered(), assigned(), extended()])
      .when(extendDeadline({ days: 20, extendedAt: '2018-04-05T10:00:00+07:00' }))
      .then([
        extended({
          days: 20,
          extendedAt: '2018-04-05T10:00:00+07:00',
          previousDueDate: '2018-04-10',
          nominalDueDate: '2018-04-30',
          dueDate: '2018-04-28',
          totalExtensionDays: 30,
        }),
      ]);
  });

  it('refuses extensions beyond 30 days in total as limit_exceeded', () => {
    const thirty = extended({
      days: 20,
      previousDueDate: '2018-04-10',
      nominalDueDate: '2018-04-30',
      dueDate: '2018-04-28',
      totalExtensionDays: 30,
    });
    given([registered(), assigned(), extended(), thirty])
      .when(extendDeadline({ days: 1 }))
      .thenRefused({ reason: 'limit_exceeded', limit: 30, totalExtensionDays: 30, requestedDays: 1 });
    const refusal = given([registered(), extended()])
      .when(extendDeadline({ days: 21 }))
      .thenRefused({ reason: 'limit_exceeded' });
    expect(refusal.message).toMatch(/at most 30 days .* 10 are used; at most 20 remain/);
  });

  it.each([0, 31, 2.5])('refuses an extension of %s days as invalid', (days) => {
    given([registered()])
      .when(extendDeadline({ days }))
      .thenRefused({
        reason: 'invalid',
        errors: [{ field: 'days', message: expect.stringMatching(/1 to 30/) as string }],
      });
  });

  it('refuses an extension without a reason', () => {
    given([registered()])
      .when(extendDeadline({ reason: '' }))
      .thenRefused({
        reason: 'invalid',
        errors: [{ field: 'reason', message: 'must be a non-empty string' }],
      });
  });
});

describe('SendInterimAnswer', () => {
  it('assigned → interim_answered', () => {
    const state = given([registered(), assigned()])
      .when(sendInterimAnswer({ finalAnswerBy: '2018-03-29' }))
      .then([interimAnswered({ finalAnswerBy: '2018-03-29' })]);
    expect(state.status).toBe('interim_answered');
  });

  it('another interim answer keeps interim_answered and counts', () => {
    const state = given(HISTORIES.interim_answered)
      .when(sendInterimAnswer({ sentAt: '2018-03-20T10:00:00+07:00' }))
      .then([interimAnswered({ sentAt: '2018-03-20T10:00:00+07:00' })]);
    expect(state.status).toBe('interim_answered');
    expect(isRegistered(state) && state.context.interimAnswers).toBe(2);
  });

  it(`given ${MAX_INTERIM_ANSWERS} interim answers, when another is sent, then it is refused with the limit`, () => {
    const answers = Array.from({ length: MAX_INTERIM_ANSWERS }, () => interimAnswered());
    const refusal = given([...HISTORIES.assigned, ...answers])
      .when(sendInterimAnswer())
      .thenRefused({ reason: 'interim_answer_limit' });
    expect(refusal).toMatchObject({ limit: MAX_INTERIM_ANSWERS, interimAnswers: MAX_INTERIM_ANSWERS });
    given([...HISTORIES.assigned, ...answers.slice(1)])
      .when(sendInterimAnswer())
      .then([interimAnswered()]);
  });

  it.each(['0050-03-05T00:00:00Z', '0999-12-31T23:00:00+07:00', '0005-03-05T00:00:00Z'])(
    'given an instant before the year 1000 (%s), then it is before registration, compared as a date',
    (sentAt) => {
      const refusal = given(HISTORIES.assigned)
        .when(sendInterimAnswer({ sentAt }))
        .thenRefused({ reason: 'invalid' });
      expect(refusal.reason === 'invalid' && refusal.errors).toEqual([
        {
          field: 'sentAt',
          message: expect.stringMatching(/^is 0\d{3}-\d{2}-\d{2} .*before the registration date/) as unknown,
        },
      ]);
    },
  );

  it('given an instant whose local date is past 9999, then it is refused, not thrown', () => {
    const refusal = given(HISTORIES.assigned)
      .when(sendInterimAnswer({ sentAt: '9999-12-31T23:00:00Z' }))
      .thenRefused({ reason: 'invalid' });
    expect(refusal.reason === 'invalid' && refusal.errors[0]?.message).toMatch(/within years 0001–9999/);
  });

  it('refuses an empty summary and a malformed date', () => {
    const refusal = given(HISTORIES.assigned)
      .when(sendInterimAnswer({ summary: '', finalAnswerBy: '29.03.2018' }))
      .thenRefused({ reason: 'invalid' });
    expect(refusal.reason === 'invalid' && refusal.errors.map((e) => e.field)).toEqual([
      'summary',
      'finalAnswerBy',
    ]);
  });
});

describe('SendFinalAnswer', () => {
  it.each(['assigned', 'interim_answered'] as const)(
    '%s → final_answered with a result per question',
    (status) => {
      const state = given(HISTORIES[status])
        .when(sendFinalAnswer({ onSiteVisit: true }))
        .then([finalAnswered({ onSiteVisit: true })]);
      expect(state.status).toBe('final_answered');
      expect(isRegistered(state) && state.context.questions.map((q) => [q.code, q.result])).toEqual([
        [QUESTION_CODES[0], 'supported'],
        [QUESTION_CODES[1], 'explained'],
      ]);
    },
  );

  it('is late when the local date of sending is after the due date', () => {
    // 17:00Z on 30 March is already 31 March in Novokuznetsk (UTC+7).
    given(HISTORIES.assigned)
      .when(sendFinalAnswer({ sentAt: '2018-03-30T16:59:59Z' }))
      .then([finalAnswered({ sentAt: '2018-03-30T16:59:59Z', late: false })]);
    given(HISTORIES.assigned)
      .when(sendFinalAnswer({ sentAt: '2018-03-30T17:00:00Z' }))
      .then([finalAnswered({ sentAt: '2018-03-30T17:00:00Z', late: true })]);
  });

  it('given many results with foreign codes, then the appeal’s codes are said once, not once per result', () => {
    const results = Array.from({ length: 500 }, (_, i) => ({
      questionCode: `0002.0007.0001.${String(i).padStart(4, '0')}`,
      result: 'explained' as const,
    }));
    const refusal = given(HISTORIES.assigned)
      .when(sendFinalAnswer({ results }))
      .thenRefused({ reason: 'invalid' });
    const errors = refusal.reason === 'invalid' ? refusal.errors : [];
    const naming = errors.filter((e) => e.message.includes(QUESTION_CODES[0]));
    // "no result for" each of the appeal's questions, and the list of its codes once.
    expect(naming.map((e) => e.field)).toEqual(['results', 'results']);
    expect(errors.filter((e) => e.field === 'results').length).toBe(QUESTION_CODES.length + 1);
  });

  it('judges lateness in the administration’s zone (2018-03-31T20:00:00Z is 1 April in Novokuznetsk)', () => {
    const dueOn31 = [registered({ dueDate: '2018-03-31' }), assigned()];
    given(dueOn31)
      .when(sendFinalAnswer({ sentAt: '2018-03-31T20:00:00Z' }))
      .then([finalAnswered({ sentAt: '2018-03-31T20:00:00Z', dueDate: '2018-03-31', late: true })]);
    given(dueOn31, appealRules({ timeZone: 'Europe/Moscow' }))
      .when(sendFinalAnswer({ sentAt: '2018-03-31T20:00:00Z' }))
      .then([finalAnswered({ sentAt: '2018-03-31T20:00:00Z', dueDate: '2018-03-31', late: false })]);
  });

  it('measures lateness against the extended due date', () => {
    given([...HISTORIES.assigned, extended()])
      .when(sendFinalAnswer({ sentAt: '2018-04-05T10:00:00+07:00' }))
      .then([finalAnswered({ sentAt: '2018-04-05T10:00:00+07:00', dueDate: '2018-04-10', late: false })]);
  });

  it.each<[string, Parameters<typeof sendFinalAnswer>[0], string, RegExp]>([
    [
      'a question without result',
      { results: [{ questionCode: QUESTION_CODES[0], result: 'explained' }] },
      'results',
      /no result for question 0003\.0009\.0099\.0742/,
    ],
    [
      'a question answered twice',
      {
        results: [
          { questionCode: QUESTION_CODES[0], result: 'explained' },
          { questionCode: QUESTION_CODES[1], result: 'explained' },
          { questionCode: QUESTION_CODES[0], result: 'supported' },
        ],
      },
      'results[2].questionCode',
      /more than one result/,
    ],
    [
      'an unknown question code',
      {
        results: [
          { questionCode: QUESTION_CODES[0], result: 'explained' },
          { questionCode: QUESTION_CODES[1], result: 'explained' },
          { questionCode: '0002.0007.0001.0001', result: 'explained' },
        ],
      },
      'results[2].questionCode',
      /not a question of this appeal/,
    ],
    [
      'in_work as a result',
      {
        results: [
          { questionCode: QUESTION_CODES[0], result: 'in_work' as 'explained' },
          { questionCode: QUESTION_CODES[1], result: 'explained' },
        ],
      },
      'results[0].result',
      /one of supported/,
    ],
    [
      'measures taken on an unsupported question',
      {
        results: [
          { questionCode: QUESTION_CODES[0], result: 'explained', measuresTaken: true },
          { questionCode: QUESTION_CODES[1], result: 'explained' },
        ],
      },
      'results[0].measuresTaken',
      /only on a supported/,
    ],
    ['a malformed sentAt', { sentAt: '28.03.2018 10:00' }, 'sentAt', /ISO 8601/],
    ['an empty summary', { summary: '' }, 'summary', /non-empty/],
  ])('refuses %s as invalid', (_what, data, field, message) => {
    const refusal = given(HISTORIES.assigned).when(sendFinalAnswer(data)).thenRefused({ reason: 'invalid' });
    expect(refusal).toMatchObject({
      errors: expect.arrayContaining([
        { field, message: expect.stringMatching(message) as string },
      ]) as unknown,
    });
  });
});

describe('ReturnForRework', () => {
  it('final_answered → assigned when no interim answer was sent; results back to in_work', () => {
    const state = given(HISTORIES.final_answered).when(returnForRework()).then([returnedForRework()]);
    expect(state.status).toBe('assigned');
    expect(isRegistered(state) && state.context.questions.map((q) => q.result)).toEqual([
      'in_work',
      'in_work',
    ]);
    expect(isRegistered(state) && state.context.finalAnswer).toBeNull();
  });

  it('final_answered → interim_answered when an interim answer had been sent', () => {
    const state = given([...HISTORIES.interim_answered, finalAnswered()])
      .when(returnForRework())
      .then([returnedForRework()]);
    expect(state.status).toBe('interim_answered');
  });

  it('refuses a rework without a reason', () => {
    given(HISTORIES.final_answered)
      .when(returnForRework({ reason: '' }))
      .thenRefused({ reason: 'invalid' });
  });
});

describe('RemoveFromControl', () => {
  it('final_answered → closed, off control', () => {
    const state = given(HISTORIES.final_answered).when(removeFromControl()).then([removedFromControl()]);
    expect(state.status).toBe('closed');
    expect(isRegistered(state) && [state.context.onControl, state.context.closedReason]).toEqual([
      false,
      'removed_from_control',
    ]);
  });

  it('refuses a malformed closedAt', () => {
    given(HISTORIES.final_answered)
      .when(removeFromControl({ closedAt: 'now' }))
      .thenRefused({ reason: 'invalid' });
  });
});

describe('ForwardByCompetence', () => {
  it.each(['registered', 'assigned', 'interim_answered'] as const)(
    '%s → closed, every question forwarded, off control',
    (status) => {
      const state = given(HISTORIES[status])
        .when(forwardByCompetence({ reference: '01-05/12' }))
        .then([
          forwarded({
            reference: '01-05/12',
            questionCodes: [...QUESTION_CODES],
            // 8 March 2018 is a holiday: the 7-day term ends on 7 March (preceding working day)
            forwardDueDate: '2018-03-07',
            forwardedLate: false,
          }),
        ]);
      expect(state.status).toBe('closed');
      expect(isRegistered(state) && state.context.questions.map((q) => q.result)).toEqual([
        'forwarded',
        'forwarded',
      ]);
      expect(isRegistered(state) && [state.context.onControl, state.context.forwarded]).toEqual([
        false,
        true,
      ]);
    },
  );

  it('refuses forwarding to nobody', () => {
    given([registered()])
      .when(forwardByCompetence({ to: '' }))
      .thenRefused({ reason: 'invalid', errors: [{ field: 'to', message: 'must be a non-empty string' }] });
  });
});

describe('WithdrawAppeal', () => {
  it.each(['registered', 'assigned', 'interim_answered'] as const)('%s → closed, off control', (status) => {
    const state = given(HISTORIES[status])
      .when(withdrawAppeal({ reason: 'вопрос решён' }))
      .then([withdrawn({ reason: 'вопрос решён' })]);
    expect(state.status).toBe('closed');
    expect(isRegistered(state) && [state.context.onControl, state.context.withdrawn]).toEqual([false, true]);
  });

  it('refuses a malformed withdrawnAt', () => {
    given([registered()])
      .when(withdrawAppeal({ withdrawnAt: '2018-03-03' }))
      .thenRefused({ reason: 'invalid' });
  });
});

describe('IssueDeadlineReminder', () => {
  it('records a reminder in registered (no executor yet)', () => {
    given([registered()]).when(issueDeadlineReminder()).then([reminderIssued()]);
  });

  it.each(['assigned', 'interim_answered'] as const)(
    'records a reminder in %s with executor and department, staying there',
    (status) => {
      const state = given(HISTORIES[status])
        .when(issueDeadlineReminder())
        .then([reminderIssued({ executor: IVANOVA, department: 'ЖКХ' })]);
      expect(state.status).toBe(status);
      expect(isRegistered(state) && state.context.reminders).toHaveLength(1);
    },
  );

  it('counts reminders', () => {
    const today = reminderIssued({
      reminderId: 'r-today',
      kind: 'due_today',
      businessDate: '2018-03-30',
      issuedAt: '2018-03-30T09:00:00+07:00',
    });
    expect(contextOf([registered(), reminderIssued(), today]).context.reminders.map((r) => r.kind)).toEqual([
      'due_soon',
      'due_today',
    ]);
  });

  it('issues overdue and due_today reminders matching the due date', () => {
    given([registered()])
      .when(
        issueDeadlineReminder({
          reminderId: 'r-over',
          kind: 'overdue',
          businessDate: '2018-04-02',
          issuedAt: '2018-04-02T09:00:00+07:00',
        }),
      )
      .then([
        reminderIssued({
          reminderId: 'r-over',
          kind: 'overdue',
          businessDate: '2018-04-02',
          issuedAt: '2018-04-02T09:00:00+07:00',
        }),
      ]);
  });

  it('records nothing for a repeat (same id, or same kind and due date)', () => {
    given([registered(), reminderIssued()]).when(issueDeadlineReminder()).then([]);
    given([registered(), reminderIssued()])
      .when(issueDeadlineReminder({ reminderId: 'other', businessDate: '2018-03-28' }))
      .then([]);
  });

  it('reminds again after an extension moved the due date', () => {
    given([registered(), reminderIssued(), extended()])
      .when(
        issueDeadlineReminder({
          reminderId: 'r-due-soon-2018-04-10',
          businessDate: '2018-04-05',
          issuedAt: '2018-04-05T09:00:00+07:00',
        }),
      )
      .then([
        reminderIssued({
          reminderId: 'r-due-soon-2018-04-10',
          dueDate: '2018-04-10',
          businessDate: '2018-04-05',
          issuedAt: '2018-04-05T09:00:00+07:00',
        }),
      ]);
  });

  it('refuses a reminder whose kind does not fit the due date in force (stale read model)', () => {
    given([registered(), extended()])
      .when(issueDeadlineReminder({ kind: 'due_today', businessDate: '2018-03-30' }))
      .thenRefused({
        reason: 'invalid',
        errors: [
          {
            field: 'kind',
            message: 'due_today does not fit business date 2018-03-30 and due date 2018-04-10',
          },
        ],
      });
  });
});

describe('refusals by state', () => {
  // Expected from docs/domain.md and docs/api.md, in APPEAL_ACTIONS order; the decider asks the machine.
  const ALLOWED: Record<AppealMachineState, AppealAction[]> = {
    unregistered: ['register'],
    registered: [
      'assign',
      'extend_deadline',
      'forward',
      'withdraw',
      'issue_reminder',
      'request_documents',
      'record_documents_reply',
      'leave_without_answer',
      'confirm_related',
      'reject_related',
      'terminate_correspondence',
      'record_resolution',
      'record_applicant_materials',
    ],
    assigned: [
      'assign',
      'extend_deadline',
      'send_interim_answer',
      'send_final_answer',
      'forward',
      'withdraw',
      'issue_reminder',
      'request_documents',
      'record_documents_reply',
      'leave_without_answer',
      'confirm_related',
      'reject_related',
      'terminate_correspondence',
      'record_resolution',
      'record_applicant_materials',
    ],
    interim_answered: [
      'assign',
      'extend_deadline',
      'send_interim_answer',
      'send_final_answer',
      'forward',
      'withdraw',
      'issue_reminder',
      'request_documents',
      'record_documents_reply',
      'leave_without_answer',
      'confirm_related',
      'reject_related',
      'terminate_correspondence',
      'record_resolution',
      'record_applicant_materials',
    ],
    final_answered: [
      'return_for_rework',
      'remove_from_control',
      'record_documents_reply',
      'confirm_related',
      'reject_related',
      'set_further_control',
    ],
    closed: [],
  };
  // Accepted by the machine in these states but offered only when the context fits (control_conflict otherwise).
  const CONTEXT_DEPENDENT: Partial<Record<AppealMachineState, AppealAction[]>> = {
    // answer_with_original: only a confirmed duplicate, refused as invalid otherwise (related-appeals spec)
    registered: ['report_to_source', 'answer_with_original'],
    assigned: ['report_to_source', 'contribute', 'answer_with_original'],
    interim_answered: ['report_to_source', 'contribute', 'answer_with_original'],
    // answered: reminded only of a report owed to the sending body
    final_answered: ['issue_reminder', 'report_to_source', 'complete_measures'],
  };
  const histories: [string, AppealMachineState, Parameters<typeof given>[0]][] = [
    ...(Object.keys(HISTORIES) as AppealMachineState[]).map(
      (s): [string, AppealMachineState, Parameters<typeof given>[0]] => [s, s, HISTORIES[s]],
    ),
    ['closed by forwarding', 'closed', [registered(), forwarded()]],
    ['closed by withdrawal', 'closed', [registered(), assigned(), interimAnswered(), withdrawn()]],
  ];

  it.each(histories)('allowedActions in %s', (_name, state, events) => {
    expect(allowedActions(rehydrate(events))).toEqual(ALLOWED[state]);
  });

  const cases = histories.flatMap(([name, state, events]) =>
    oneOfEachCommand()
      .filter((command) => !ALLOWED[state].includes(actionOf(command)))
      .filter((command) => !(CONTEXT_DEPENDENT[state] ?? []).includes(actionOf(command)))
      .filter((command) => !(command.type === 'RegisterAppeal' && state !== 'unregistered')) // already_exists, above
      .map((command): [string, string, AppealMachineState, Parameters<typeof given>[0], AppealCommand] => [
        command.type,
        name,
        state,
        events,
        command,
      ]),
  );

  // People are offered what they may do: the reminder process's own action is left out of refusals.
  it.each(cases)('refuses %s in %s as not_allowed', (_type, _name, state, events, command) => {
    const offered = ALLOWED[state].filter(
      (a) => a !== 'issue_reminder' || actionOf(command) === 'issue_reminder',
    );
    given(events).when(command).thenRefused({ reason: 'not_allowed', state, allowedActions: offered });
  });

  it('covers every command in every state', () => {
    // 23 commands × 8 histories, minus allowed and context-dependent ones, minus registrations onto existing appeals.
    expect(cases).toHaveLength(184 - (1 + 14 + 17 + 17 + 8 + 0 + 0 + 0) - 7 - 1 - 3); // - 1: issue_reminder once answered; - 3: answer_with_original
  });

  it('says what was refused and what is allowed', () => {
    const refusal = given(HISTORIES.assigned)
      .when(removeFromControl())
      .thenRefused({ reason: 'not_allowed' });
    expect(refusal.message).toBe(
      "cannot remove from control (close): appeal is `assigned`; allowed: assign an executor, extend the deadline, send an interim answer, send a final answer, forward by competence, withdraw, request documents from another body, record the reply to a document request, leave without an answer on the merits, confirm a repeat or duplicate, reject a repeat or duplicate, terminate correspondence on the question (art. 11 ч.5), record the head's resolution, record the applicant's additional materials",
    );
    expect(given([]).when(assignExecutor()).thenRefused({ reason: 'not_allowed' }).message).toBe(
      'cannot assign an executor: appeal is not registered; allowed: register',
    );
    expect(
      given(HISTORIES.closed).when(withdrawAppeal()).thenRefused({ reason: 'not_allowed' }).message,
    ).toBe('cannot withdraw: appeal is `closed`; allowed: nothing');
  });
});

describe('decide is pure', () => {
  it('returns the same decision for the same input and does not touch the state', () => {
    const state = rehydrate(HISTORIES.assigned);
    const before = JSON.stringify(isRegistered(state) && state.context);
    const a = decide(sendFinalAnswer(), state, testRules);
    const b = decide(sendFinalAnswer(), state, testRules);
    expect(a).toEqual(b);
    expect(JSON.stringify(isRegistered(state) && state.context)).toBe(before);
  });
});

describe('isAssignedExecutor', () => {
  it('knows the assigned executor', () => {
    expect(isAssignedExecutor(rehydrate(HISTORIES.assigned), IVANOVA.id)).toBe(true);
    expect(isAssignedExecutor(rehydrate(HISTORIES.assigned), SIDOROV.id)).toBe(false);
    expect(isAssignedExecutor(rehydrate([]), IVANOVA.id)).toBe(false);
  });
});
