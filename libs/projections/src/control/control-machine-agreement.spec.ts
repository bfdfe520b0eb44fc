/**
 * The control read model re-derives the appeal's lifecycle state from the events (it cannot run the
 * domain's machine inside a batch projection). This property shows the two agree: on generated
 * streams that the decider accepted command by command, the control row's `state` and `on_control`
 * equal the machine's status and `onControl` after every event.
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
import { evolveControl, type ControlAppealRow } from './control.evolve';

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

describe('control.evolve agrees with the appeal machine', () => {
  it('on every generated accepted history: same state, same on_control, after every event', () => {
    fc.assert(
      fc.property(fc.array(commandAt, { minLength: 1, maxLength: 30 }), (commands) => {
        let state: AppealState = initialState();
        let row: ControlAppealRow | undefined;
        let position = 0;
        const apply = (command: AppealCommand): void => {
          const decision = decide(command, state, testRules);
          if (!decision.ok) return; // refused: nothing recorded, nothing to compare
          for (const event of decision.events) {
            state = evolve(state, event);
            row = evolveControl(row, { appealId: 'a-0001', position: ++position, event }, TZ).row;
            if (!isRegistered(state) || !row) throw new Error('a registered appeal has no row');
            expect({ state: row.state, onControl: row.on_control }).toEqual({
              state: state.status,
              onControl: state.context.onControl,
            });
          }
        };
        apply(registerAppeal());
        commands.forEach((build, step) => apply(build(step + 1)));
      }),
      { numRuns: 1000 },
    );
  });
});
