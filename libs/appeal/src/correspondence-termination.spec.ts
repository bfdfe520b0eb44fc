// Termination of correspondence (59-FZ art. 11 ч.5): the head's decision and the ground it gives later appeals.
import { isRegistered, rehydrate, type AppealState } from './appeal.decider';
import {
  answeredOnMerits,
  applicableTermination,
  needsOtherTerminations,
} from './correspondence-termination';
import { toAppealView } from './appeal.view';
import {
  APPEAL_ID,
  HEAD,
  QUESTION_CODES,
  TERMINATION_EARLIER_IDS,
  assigned,
  correspondenceTerminated,
  finalAnswered,
  forwarded,
  given,
  interimAnswered,
  leaveWithoutAnswer,
  leftWithoutAnswer,
  registered,
  returnedForRework,
  terminateCorrespondence,
} from './testing';

const [A, B] = QUESTION_CODES;
const [E1, E2] = TERMINATION_EARLIER_IDS;
const fact = (
  appealId: string,
  over: Partial<{
    found: boolean;
    sameApplicant: boolean;
    earlier: boolean;
    answeredOnMerits: string[];
  }> = {},
) => ({
  appealId,
  found: true,
  sameApplicant: true,
  earlier: true,
  answeredOnMerits: [A, B],
  ...over,
});

const view = (state: AppealState) => {
  if (!isRegistered(state)) throw new Error('expected a registered appeal');
  return toAppealView(state);
};

describe('TerminateCorrespondence (art. 11 ч.5)', () => {
  it('records the decision on every question of the appeal by default; the summary shows it', () => {
    const state = given([registered(), assigned()])
      .when(terminateCorrespondence())
      .then([correspondenceTerminated()]);
    expect(view(state).correspondenceTermination).toEqual({
      decidedBy: HEAD,
      decidedAt: '2018-03-06T10:00:00+07:00',
      questionCodes: [A, B],
      earlierAppealIds: [E1, E2],
      noticeSentAt: null,
    });
    // the appeal stays under consideration: it is then left without answer (or answered)
    expect(state.status).toBe('assigned');
  });

  it('records one question and the notice when given', () => {
    const notice = { sentAt: '2018-03-07T10:00:00+07:00', text: 'переписка прекращена' };
    const state = given([registered()])
      .when(terminateCorrespondence({ questionCodes: [B], notice }))
      .then([correspondenceTerminated({ questionCodes: [B], notice })]);
    expect(view(state).correspondenceTermination).toMatchObject({
      questionCodes: [B],
      noticeSentAt: notice.sentAt,
    });
  });

  it('is allowed while the appeal is considered, and once', () => {
    given([registered(), assigned(), interimAnswered()])
      .when(terminateCorrespondence())
      .then([correspondenceTerminated()]);
    given([registered(), assigned(), finalAnswered()])
      .when(terminateCorrespondence())
      .thenRefused({ reason: 'not_allowed' });
    given([registered(), leftWithoutAnswer()])
      .when(terminateCorrespondence())
      .thenRefused({ reason: 'not_allowed' });
    const refusal = given([registered(), correspondenceTerminated()])
      .when(terminateCorrespondence())
      .thenRefused({ reason: 'termination_conflict', conflict: 'already_terminated' });
    expect(refusal.message).toMatch(/already terminated/);
  });

  it('refuses malformed input with field errors (400)', () => {
    const refusal = given([registered()])
      .when(
        terminateCorrespondence({
          decidedBy: { name: ' ', position: '' },
          grounds: '',
          questionCodes: ['9999.9999.9999.9999', A, A],
          earlierAppealIds: [E1, E1, APPEAL_ID],
          decidedAt: '2018-02-01T10:00:00+07:00',
        }),
      )
      .thenRefused({ reason: 'invalid' });
    if (refusal.reason !== 'invalid') throw new Error('unreachable');
    expect(refusal.errors.map((e) => e.field)).toEqual([
      'decidedBy.name',
      'decidedBy.position',
      'decidedAt',
      'grounds',
      'questionCodes[0]',
      'questionCodes[2]',
      'earlierAppealIds[1]',
      'earlierAppealIds[2]',
    ]);
    given([registered()])
      .when(terminateCorrespondence({ earlierAppealIds: [E1] }))
      .thenRefused({
        reason: 'invalid',
        errors: [{ field: 'earlierAppealIds', message: expect.stringMatching(/at least 2/) as string }],
      });
  });

  it('refuses with 409 naming each earlier appeal that fails, and each question short of two answers', () => {
    const refusal = given([registered()])
      .when(
        terminateCorrespondence({
          earlierAppealIds: ['x-1', 'x-2', 'x-3', 'x-4', 'x-5'],
          earlierAppeals: [
            fact('x-1', { found: false }),
            fact('x-2', { sameApplicant: false }),
            fact('x-3', { earlier: false }),
            fact('x-4', { answeredOnMerits: [] }),
            fact('x-5', { answeredOnMerits: [A] }),
          ],
        }),
      )
      .thenRefused({ reason: 'termination_conflict', conflict: 'earlier_appeals' });
    if (refusal.reason !== 'termination_conflict') throw new Error('unreachable');
    expect(refusal.problems).toEqual([
      { kind: 'not_found', appealId: 'x-1' },
      { kind: 'other_applicant', appealId: 'x-2' },
      { kind: 'not_earlier', appealId: 'x-3' },
      { kind: 'not_answered_on_merits', appealId: 'x-4', questionCodes: [A, B] },
      { kind: 'too_few_answers', questionCode: A, answered: 1, needed: 2 },
      { kind: 'too_few_answers', questionCode: B, answered: 0, needed: 2 },
    ]);
    expect(refusal.message).toMatch(/appeal x-1 not found/);
    expect(refusal.message).toMatch(
      /question .*: 0 earlier appeal\(s\) answered on the merits, at least 2 needed/,
    );
  });

  it('two answers on the merits on the terminated question are enough, whatever the other questions', () => {
    given([registered()])
      .when(
        terminateCorrespondence({
          questionCodes: [A],
          earlierAppeals: [fact(E1, { answeredOnMerits: [A] }), fact(E2, { answeredOnMerits: [A] })],
        }),
      )
      .then([correspondenceTerminated({ questionCodes: [A] })]);
  });
});

describe('answeredOnMerits: the final answer in force, on the merits', () => {
  it('counts supported, explained, not supported and answered; not forwarded or left without answer', () => {
    const answered = rehydrate([registered(), assigned(), finalAnswered()]);
    if (!isRegistered(answered)) throw new Error('unreachable');
    expect(answeredOnMerits(answered.context)).toEqual([A, B]);
    const part = rehydrate([
      registered(),
      forwarded({ questionCodes: [B] }),
      assigned(),
      finalAnswered({ results: [{ questionCode: A, result: 'not_supported' }] }),
    ]);
    if (!isRegistered(part)) throw new Error('unreachable');
    expect(answeredOnMerits(part.context)).toEqual([A]);
    for (const events of [
      [registered(), assigned()],
      [registered(), assigned(), finalAnswered(), returnedForRework()],
      [registered(), leftWithoutAnswer()],
    ]) {
      const state = rehydrate(events);
      if (!isRegistered(state)) throw new Error('unreachable');
      expect(answeredOnMerits(state.context)).toEqual([]);
    }
  });
});

describe('LeaveWithoutAnswer on ground correspondence_terminated', () => {
  const found = [
    { terminationAppealId: 'a-0009', decidedAt: '2018-02-20T10:00:00+07:00', questionCodes: [A, B] },
  ];

  it('is allowed for a later appeal a termination applies to, and records which one', () => {
    given([registered(), assigned()])
      .when(leaveWithoutAnswer({ ground: 'correspondence_terminated', terminations: found }))
      .then([
        {
          type: 'AppealLeftWithoutAnswer',
          data: {
            ground: 'correspondence_terminated',
            decidedAt: '2018-03-05T10:00:00+07:00',
            terminationAppealId: 'a-0009',
          },
        },
      ]);
  });

  it('is allowed for the appeal the decision was recorded on; no notice is required', () => {
    const state = given([registered(), correspondenceTerminated()])
      .when(
        leaveWithoutAnswer({ ground: 'correspondence_terminated', decidedAt: '2018-03-07T10:00:00+07:00' }),
      )
      .then([
        {
          type: 'AppealLeftWithoutAnswer',
          data: {
            ground: 'correspondence_terminated',
            decidedAt: '2018-03-07T10:00:00+07:00',
            terminationAppealId: APPEAL_ID,
          },
        },
      ]);
    expect(view(state)).toMatchObject({
      state: 'closed',
      withoutAnswerGround: 'correspondence_terminated',
      closedReason: 'left_without_answer',
    });
  });

  it('is refused (409) when no termination applies', () => {
    for (const terminations of [undefined, []]) {
      const refusal = given([registered()])
        .when(
          leaveWithoutAnswer({ ground: 'correspondence_terminated', ...(terminations && { terminations }) }),
        )
        .thenRefused({ reason: 'termination_conflict', conflict: 'not_terminated' });
      if (refusal.reason !== 'termination_conflict') throw new Error('unreachable');
      expect(refusal.problems).toEqual([{ kind: 'no_termination' }]);
    }
  });

  it('is refused (409) when a question still in work is not terminated: it deserves its answer', () => {
    const refusal = given([registered()])
      .when(
        leaveWithoutAnswer({
          ground: 'correspondence_terminated',
          terminations: [{ ...found[0], questionCodes: [A] }],
        }),
      )
      .thenRefused({ reason: 'termination_conflict', conflict: 'not_terminated' });
    if (refusal.reason !== 'termination_conflict') throw new Error('unreachable');
    expect(refusal.problems).toEqual([{ kind: 'questions_not_terminated', questionCodes: [B] }]);
    // a question forwarded by competence is not this body's to answer
    given([registered(), forwarded({ questionCodes: [B] })])
      .when(
        leaveWithoutAnswer({
          ground: 'correspondence_terminated',
          terminations: [{ ...found[0], questionCodes: [A] }],
        }),
      )
      .then([
        {
          type: 'AppealLeftWithoutAnswer',
          data: {
            ground: 'correspondence_terminated',
            decidedAt: '2018-03-05T10:00:00+07:00',
            terminationAppealId: 'a-0009',
          },
        },
      ]);
  });

  it("needs other appeals' terminations unless its own covers every question in work", () => {
    const context = (events: Parameters<typeof rehydrate>[0]) => {
      const state = rehydrate(events);
      if (!isRegistered(state)) throw new Error('expected a registered appeal');
      return state.context;
    };
    const cases = [
      { events: [registered()], needs: true },
      { events: [registered(), correspondenceTerminated()], needs: false },
      { events: [registered(), correspondenceTerminated({ questionCodes: [A] })], needs: true },
      {
        events: [
          registered(),
          forwarded({ questionCodes: [B] }),
          correspondenceTerminated({ questionCodes: [A] }),
        ],
        needs: false,
      },
    ];
    const others = [[], found, [{ ...found[0], questionCodes: [B] }]];
    for (const { events, needs } of cases) {
      const c = context(events);
      expect(needsOtherTerminations(c)).toBe(needs);
      // when it does not, what is found elsewhere changes nothing
      if (!needs)
        for (const other of others)
          expect(applicableTermination(c, other)).toEqual(applicableTermination(c, []));
    }
  });

  it('the other grounds ignore terminations', () => {
    given([registered()])
      .when(leaveWithoutAnswer({ terminations: found }))
      .then([
        {
          type: 'AppealLeftWithoutAnswer',
          data: { ground: 'obscene', decidedAt: '2018-03-05T10:00:00+07:00' },
        },
      ]);
  });
});
