/**
 * 59-FZ art. 8 ч.3 (forwarding by competence per question, within 7 days, with notice to the
 * applicant), art. 11 ч.1 (anonymous appeals; those reporting an offence) and art. 11 (leaving an
 * appeal without an answer on the merits, by ground).
 */
import { allowedActions, rehydrate, WITHOUT_ANSWER_RULES } from './appeal.decider';
import { isRegistered } from './appeal.decider';
import {
  assigned,
  finalAnswered,
  forwardByCompetence,
  forwarded,
  given,
  HISTORIES,
  interimAnswered,
  leaveWithoutAnswer,
  leftWithoutAnswer,
  QUESTION_CODES,
  registerAppeal,
  registered,
  returnedForRework,
  sendFinalAnswer,
} from './testing';

const [Q1, Q2] = QUESTION_CODES;
const ANONYMOUS = [{ applicantId: 'p-1', address: 'п. Елань' }];

describe('ForwardByCompetence per question (art. 8 ч.3)', () => {
  it('forwards only the listed questions; the others are kept and the appeal stays on control', () => {
    const state = given([registered(), assigned()])
      .when(forwardByCompetence({ questionCodes: [Q2], applicantNotifiedAt: '2018-03-02T11:00:00+07:00' }))
      .then([
        forwarded({
          questionCodes: [Q2],
          forwardDueDate: '2018-03-07',
          forwardedLate: false,
          applicantNotifiedAt: '2018-03-02T11:00:00+07:00',
        }),
      ]);
    expect(state.status).toBe('assigned');
    if (!isRegistered(state)) throw new Error('registered');
    expect(state.context.onControl).toBe(true);
    expect(state.context.questions.map((q) => q.result)).toEqual(['in_work', 'forwarded']);
    expect(state.context.forwardings).toEqual([
      {
        to: 'Прокуратура района',
        sentAt: '2018-03-02T10:00:00+07:00',
        questionCodes: [Q2],
        forwardedLate: false,
        applicantNotifiedAt: '2018-03-02T11:00:00+07:00',
      },
    ]);
  });

  it('forwarding the last kept question closes the appeal', () => {
    const first = forwarded({ questionCodes: [Q2], forwardDueDate: '2018-03-07', forwardedLate: false });
    const state = given([registered(), first])
      .when(forwardByCompetence({ sentAt: '2018-03-05T10:00:00+07:00' }))
      .then([
        forwarded({
          sentAt: '2018-03-05T10:00:00+07:00',
          questionCodes: [Q1],
          forwardDueDate: '2018-03-07',
          forwardedLate: false,
        }),
      ]);
    expect(state.status).toBe('closed');
    expect(isRegistered(state) && [state.context.onControl, state.context.closedReason]).toEqual([
      false,
      'forwarded',
    ]);
  });

  it('records a forwarding after the 7-day term and flags it forwardedLate (8 March 2018 is a holiday: the term ends on 7 March)', () => {
    given([registered()])
      .when(forwardByCompetence({ sentAt: '2018-03-08T10:00:00+07:00' }))
      .then([
        forwarded({
          sentAt: '2018-03-08T10:00:00+07:00',
          questionCodes: [...QUESTION_CODES],
          forwardDueDate: '2018-03-07',
          forwardedLate: true,
        }),
      ]);
  });

  it('refuses unknown, repeated and already forwarded questions, and an empty list', () => {
    given([registered()])
      .when(forwardByCompetence({ questionCodes: ['0001.0001.0001.0001', Q1, Q1] }))
      .thenRefused({
        reason: 'invalid',
        errors: [
          { field: 'questionCodes[0]', message: '"0001.0001.0001.0001" is not a question of this appeal' },
          { field: 'questionCodes[2]', message: `question ${Q1} is listed twice` },
        ],
      });
    given([registered(), forwarded({ questionCodes: [Q1] })])
      .when(forwardByCompetence({ questionCodes: [Q1] }))
      .thenRefused({
        reason: 'invalid',
        errors: [{ field: 'questionCodes[0]', message: `question ${Q1} was already forwarded` }],
      });
    given([registered()])
      .when(forwardByCompetence({ questionCodes: [] }))
      .thenRefused({ reason: 'invalid' });
  });

  it('older events without a question list forward every question (they fold unchanged)', () => {
    const state = rehydrate([registered(), assigned(), forwarded()]);
    expect(state.status).toBe('closed');
    expect(isRegistered(state) && state.context.questions.map((q) => q.result)).toEqual([
      'forwarded',
      'forwarded',
    ]);
  });

  it('a final answer after a part was forwarded needs results only for the kept questions; a rework keeps the forwarded one', () => {
    const history = [registered(), assigned(), forwarded({ questionCodes: [Q2] })];
    const answer = sendFinalAnswer({ results: [{ questionCode: Q1, result: 'explained' }] });
    const state = given(history)
      .when(answer)
      .then([
        finalAnswered({
          results: [{ questionCode: Q1, result: 'explained' }],
          late: false,
          dueDate: '2018-03-30',
        }),
      ]);
    expect(isRegistered(state) && state.context.questions.map((q) => q.result)).toEqual([
      'explained',
      'forwarded',
    ]);
    const reworked = rehydrate([
      ...history,
      finalAnswered({ results: [{ questionCode: Q1, result: 'explained' }] }),
      returnedForRework(),
    ]);
    expect(isRegistered(reworked) && reworked.context.questions.map((q) => q.result)).toEqual([
      'in_work',
      'forwarded',
    ]);
    given(history)
      .when(
        sendFinalAnswer({
          results: [
            { questionCode: Q1, result: 'explained' },
            { questionCode: Q2, result: 'supported' },
          ],
        }),
      )
      .thenRefused({
        reason: 'invalid',
        errors: [{ field: 'results[1].result', message: `question ${Q2} was forwarded by competence` }],
      });
  });
});

describe('anonymous appeals (art. 11 ч.1)', () => {
  it('an anonymous appeal is registered off control', () => {
    const state = given([])
      .when(registerAppeal({ applicants: ANONYMOUS }))
      .then([registered({ applicants: ANONYMOUS, anonymous: true, number: 'А/1', onControl: false })]);
    expect(isRegistered(state) && state.context.onControl).toBe(false);
  });

  it('one reporting an offence is on control with a 7-day term for its forwarding', () => {
    const state = given([])
      .when(registerAppeal({ applicants: ANONYMOUS, reportsOffence: true }))
      .then([
        registered({
          applicants: ANONYMOUS,
          anonymous: true,
          number: 'А/1',
          termDays: 7,
          nominalDueDate: '2018-03-08',
          dueDate: '2018-03-07',
          reportsOffence: true,
        }),
      ]);
    expect(isRegistered(state) && [state.context.onControl, state.context.dueDate]).toEqual([
      true,
      '2018-03-07',
    ]);
  });

  it('a named appeal reporting an offence keeps its 30-day term (the flag is recorded)', () => {
    given([])
      .when(registerAppeal({ reportsOffence: true }))
      .then([registered({ reportsOffence: true })]);
  });

  it('refuses a reportsOffence that is not a boolean', () => {
    given([])
      .when(registerAppeal({ reportsOffence: 'yes' as unknown as boolean }))
      .thenRefused({
        reason: 'invalid',
        errors: [{ field: 'reportsOffence', message: 'must be true or false' }],
      });
  });
});

describe('LeaveWithoutAnswer (art. 11)', () => {
  const notice = {
    sentAt: '2018-03-05T10:00:00+07:00',
    text: 'Сообщаем о недопустимости злоупотребления правом',
  };

  it.each(['registered', 'assigned', 'interim_answered'] as const)(
    '%s → closed, questions left without answer, off control',
    (status) => {
      const state = given(HISTORIES[status])
        .when(leaveWithoutAnswer({ notice }))
        .then([leftWithoutAnswer({ notice })]);
      expect(state.status).toBe('closed');
      if (!isRegistered(state)) throw new Error('registered');
      expect(state.context.questions.map((q) => q.result)).toEqual([
        'left_without_answer',
        'left_without_answer',
      ]);
      expect([
        state.context.onControl,
        state.context.closedReason,
        state.context.withoutAnswerGround,
      ]).toEqual([false, 'left_without_answer', 'obscene']);
    },
  );

  it('is refused after the final answer and once closed (not_allowed)', () => {
    given(HISTORIES.final_answered).when(leaveWithoutAnswer()).thenRefused({ reason: 'not_allowed' });
    given([registered(), leftWithoutAnswer()])
      .when(leaveWithoutAnswer())
      .thenRefused({ reason: 'not_allowed' });
    expect(allowedActions(rehydrate([registered(), leftWithoutAnswer()]))).toEqual([]);
  });

  it.each(['unreadable', 'unclear_essence', 'court_decision'] as const)(
    '%s: the notice is due within 7 days of registration, a later one is flagged noticeLate',
    (ground) => {
      given([registered()])
        .when(leaveWithoutAnswer({ ground, notice: { ...notice, sentAt: '2018-03-07T17:00:00+07:00' } }))
        .then([
          leftWithoutAnswer({
            ground,
            notice: { ...notice, sentAt: '2018-03-07T17:00:00+07:00' },
            noticeDueDate: '2018-03-07',
            noticeLate: false,
          }),
        ]);
      given([registered()])
        .when(leaveWithoutAnswer({ ground, notice: { ...notice, sentAt: '2018-03-12T10:00:00+07:00' } }))
        .then([
          leftWithoutAnswer({
            ground,
            notice: { ...notice, sentAt: '2018-03-12T10:00:00+07:00' },
            noticeDueDate: '2018-03-07',
            noticeLate: true,
          }),
        ]);
    },
  );

  it.each(['unreadable', 'unclear_essence', 'court_decision', 'state_secret', 'answer_published'] as const)(
    '%s: refused without a notice to a named applicant',
    (ground) => {
      const refusal = given([registered()])
        .when(leaveWithoutAnswer({ ground, link: 'https://adm.example.ru/faq/1' }))
        .thenRefused({ reason: 'invalid' });
      expect(refusal.reason === 'invalid' && refusal.errors.map((e) => e.field)).toEqual(['notice']);
    },
  );

  it('state_secret: the notice is due within the consideration term', () => {
    given([registered()])
      .when(leaveWithoutAnswer({ ground: 'state_secret', notice }))
      .then([
        leftWithoutAnswer({ ground: 'state_secret', notice, noticeDueDate: '2018-03-30', noticeLate: false }),
      ]);
  });

  it('cites 59-FZ art. 11 as the law has it: the part, the notice and its term per ground', () => {
    // ч.1 anonymous: no answer; ч.2 a court decision: returned within 7 days of registration with an
    // explanation; ч.3 obscene: may be left, the applicant may be told; ч.4 unreadable and ч.4.1 no
    // essence: notice within 7 days; ч.5.1 the answer is published (art. 10 ч.4): the site's address
    // within 7 days; ч.6 a secret: the applicant is told (no term of its own: the appeal's term).
    expect(WITHOUT_ANSWER_RULES).toEqual({
      anonymous: { article: 'art. 11 ч.1', notice: 'none', term: 'none' },
      court_decision: { article: 'art. 11 ч.2', notice: 'required', term: 'seven_days' },
      obscene: { article: 'art. 11 ч.3', notice: 'optional', term: 'none' },
      unreadable: { article: 'art. 11 ч.4', notice: 'required', term: 'seven_days' },
      unclear_essence: { article: 'art. 11 ч.4.1', notice: 'required', term: 'seven_days' },
      answer_published: { article: 'art. 11 ч.5.1', notice: 'required', term: 'seven_days' },
      // ч.5: correspondence terminated by the head's decision, of which the applicant was notified
      correspondence_terminated: { article: 'art. 11 ч.5', notice: 'optional', term: 'none' },
      state_secret: { article: 'art. 11 ч.6', notice: 'required', term: 'consideration' },
    });
  });

  it('answer_published: the address is due within 7 days of registration (art. 11 ч.5.1), later is noticeLate', () => {
    const late = { ...notice, sentAt: '2018-03-08T10:00:00+07:00' };
    given([registered()])
      .when(
        leaveWithoutAnswer({
          ground: 'answer_published',
          notice: late,
          link: 'https://adm.example.ru/faq/1',
        }),
      )
      .then([
        leftWithoutAnswer({
          ground: 'answer_published',
          notice: late,
          link: 'https://adm.example.ru/faq/1',
          noticeDueDate: '2018-03-07',
          noticeLate: true,
        }),
      ]);
  });

  it('obscene: no notice required and no term (art. 11 ч.3)', () => {
    given([registered()])
      .when(leaveWithoutAnswer({ ground: 'obscene' }))
      .then([leftWithoutAnswer({ ground: 'obscene' })]);
  });

  it('answer_published needs the link to the published answer', () => {
    given([registered()])
      .when(leaveWithoutAnswer({ ground: 'answer_published', notice }))
      .thenRefused({
        reason: 'invalid',
        errors: [
          { field: 'link', message: 'the address of the published answer is required (59-FZ art. 11 ч.5.1)' },
        ],
      });
    given([registered()])
      .when(leaveWithoutAnswer({ ground: 'answer_published', notice, link: 'https://adm.example.ru/faq/1' }))
      .then([
        leftWithoutAnswer({
          ground: 'answer_published',
          notice,
          link: 'https://adm.example.ru/faq/1',
          noticeDueDate: '2018-03-07',
          noticeLate: false,
        }),
      ]);
  });

  it('anonymous: only for an anonymous appeal that reports no offence; no notice needed', () => {
    const anonymous = registered({ applicants: ANONYMOUS, anonymous: true, onControl: false });
    given([anonymous])
      .when(leaveWithoutAnswer({ ground: 'anonymous' }))
      .then([leftWithoutAnswer({ ground: 'anonymous' })]);
    given([registered()])
      .when(leaveWithoutAnswer({ ground: 'anonymous' }))
      .thenRefused({ reason: 'invalid', errors: [expect.objectContaining({ field: 'ground' }) as never] });
    given([registered({ applicants: ANONYMOUS, anonymous: true, reportsOffence: true })])
      .when(leaveWithoutAnswer({ ground: 'anonymous' }))
      .thenRefused({ reason: 'invalid', errors: [expect.objectContaining({ field: 'ground' }) as never] });
  });

  it('an anonymous appeal needs no notice on a notice ground (there is no one to tell)', () => {
    given([registered({ applicants: ANONYMOUS, anonymous: true, onControl: false })])
      .when(leaveWithoutAnswer({ ground: 'unreadable' }))
      .then([leftWithoutAnswer({ ground: 'unreadable', noticeDueDate: '2018-03-07' })]);
  });

  it('refuses an unknown ground and a malformed notice', () => {
    given([registered()])
      .when(leaveWithoutAnswer({ ground: 'boring' as never }))
      .thenRefused({ reason: 'invalid' });
    given([registered()])
      .when(leaveWithoutAnswer({ notice: { sentAt: 'now', text: '' } }))
      .thenRefused({ reason: 'invalid' });
  });

  it('keeps questions forwarded earlier as forwarded', () => {
    const state = rehydrate([
      registered(),
      interimAnswered(),
      forwarded({ questionCodes: [Q1] }),
      leftWithoutAnswer(),
    ]);
    expect(isRegistered(state) && state.context.questions.map((q) => q.result)).toEqual([
      'forwarded',
      'left_without_answer',
    ]);
  });
});
