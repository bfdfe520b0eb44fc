/**
 * The ССТУ read model folds the status changes itself (`sstuStateAt`) instead of running the appeal
 * machine. This property shows the two agree: on generated streams the decider accepted command by
 * command, after every event the fold of every change gives each question the machine's result and
 * measures taken, and the same "extended" and "withdrawn".
 */
import fc from 'fast-check';
import {
  decide,
  evolve,
  initialState,
  isRegistered,
  type AppealCommand,
  type AppealState,
} from '@appeal-ledger/appeal';
import {
  IVANOVA,
  QUESTION_CODES,
  SIDOROV,
  assignExecutor,
  extendDeadline,
  forwardByCompetence,
  issueDeadlineReminder,
  recordDocumentsReply,
  registerAppeal,
  removeFromControl,
  requestDocuments,
  returnForRework,
  sendFinalAnswer,
  sendInterimAnswer,
  testRules,
  withdrawAppeal,
} from '@appeal-ledger/appeal/testing';
import { evolveSstu, sstuStateAt, type SstuAppealRow } from './sstu.evolve';

const TZ = testRules.timeZone;

/**
 * Commands a generated history draws from; business times grow with the step so none is refused for
 * order. Closing commands are rarer, so histories get far enough to reach rework after an interim answer.
 */
const often = <T>(arbitrary: fc.Arbitrary<T>) => ({ arbitrary, weight: 6 });
const rarely = <T>(arbitrary: fc.Arbitrary<T>) => ({ arbitrary, weight: 1 });
const commandAt = fc.oneof(
  often(
    fc.constant((step: number): AppealCommand => assignExecutor({ assignedAt: at(step), executor: IVANOVA })),
  ),
  often(
    fc.constant((step: number): AppealCommand => assignExecutor({ assignedAt: at(step), executor: SIDOROV })),
  ),
  often(fc.constant((step: number): AppealCommand => extendDeadline({ days: 5, extendedAt: at(step) }))),
  often(fc.constant((step: number): AppealCommand => sendInterimAnswer({ sentAt: at(step) }))),
  often(fc.constant((step: number): AppealCommand => sendFinalAnswer({ sentAt: at(step) }))),
  often(
    fc.constant((step: number): AppealCommand =>
      sendFinalAnswer({
        sentAt: at(step),
        results: [
          { questionCode: QUESTION_CODES[0], result: 'left_without_answer' },
          { questionCode: QUESTION_CODES[1], result: 'supported', measuresTaken: step % 2 === 0 },
        ],
      }),
    ),
  ),
  often(fc.constant((step: number): AppealCommand => returnForRework({ returnedAt: at(step) }))),
  rarely(fc.constant((step: number): AppealCommand => removeFromControl({ closedAt: at(step) }))),
  rarely(fc.constant((step: number): AppealCommand => forwardByCompetence({ sentAt: at(step) }))),
  rarely(fc.constant((step: number): AppealCommand => withdrawAppeal({ withdrawnAt: at(step) }))),
  often(
    fc.constant((step: number): AppealCommand =>
      requestDocuments({ requestId: `d-${step}`, sentAt: at(step) }),
    ),
  ),
  often(
    fc.constant((step: number): AppealCommand =>
      recordDocumentsReply({ requestId: `d-${step - 1}`, receivedAt: at(step) }),
    ),
  ),
  often(
    fc.constant((step: number): AppealCommand =>
      issueDeadlineReminder({
        reminderId: `r-${step}`,
        kind: 'due_soon',
        businessDate: '2018-03-27',
        issuedAt: at(step),
      }),
    ),
  ),
);

/** Step n happens on 2 March + n hours (registration is 1 March). */
function at(step: number): string {
  return new Date(Date.parse('2018-03-02T10:00:00+07:00') + step * 3_600_000).toISOString();
}

describe('sstu.evolve agrees with the appeal machine', () => {
  it('on every generated accepted history: same results, measures, extension and withdrawal after every event', () => {
    fc.assert(
      fc.property(fc.array(commandAt, { minLength: 1, maxLength: 30 }), (commands) => {
        let state: AppealState = initialState();
        let row: SstuAppealRow | undefined;
        let position = 0;
        const apply = (command: AppealCommand): void => {
          const decision = decide(command, state, testRules);
          if (!decision.ok) return; // refused: nothing recorded, nothing to compare
          for (const event of decision.events) {
            state = evolve(state, event);
            row = evolveSstu(row, { appealId: 'a-0001', position: ++position, event }, TZ);
            if (!isRegistered(state) || !row) throw new Error('a registered appeal has no row');
            const folded = sstuStateAt(row, '9999-12-31');
            expect({
              questions: folded.questions.map((q) => [q.code, q.result, q.measuresTaken]),
              extended: folded.extended,
              withdrawn: folded.withdrawn,
            }).toEqual({
              questions: state.context.questions.map((q) => [q.code, q.result, q.measuresTaken === true]),
              extended: state.context.totalExtensionDays > 0,
              withdrawn: state.context.withdrawn,
            });
          }
        };
        apply(registerAppeal());
        commands.forEach((build, step) => apply(build(step + 1)));
      }),
      { numRuns: 500 },
    );
  });
});
