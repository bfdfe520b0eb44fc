/**
 * Generated histories for properties that compare a read model's own fold with the appeal machine:
 * commands drawn with weights, business times growing with the step so none is refused for order,
 * folded through the decider; refused commands record nothing and are skipped.
 */
import fc from 'fast-check';
import type { AppealCommand } from '../appeal.commands';
import { decide, evolve, initialState, isRegistered, type RegisteredAppealState } from '../appeal.decider';
import type { AppealEvent } from '../events/appeal.events';
import {
  IVANOVA,
  QUESTION_CODES,
  SIDOROV,
  assignExecutor,
  completeMeasures,
  extendDeadline,
  forwardByCompetence,
  issueDeadlineReminder,
  leaveWithoutAnswer,
  recordApplicantMaterials,
  recordDocumentsReply,
  registerAppeal,
  removeFromControl,
  requestDocuments,
  returnForRework,
  sendFinalAnswer,
  sendInterimAnswer,
  setFurtherControl,
  testRules,
  withdrawAppeal,
} from './index';

/** A command at step n of a history. */
export type CommandAt = (step: number) => AppealCommand;

/** Step n happens on 2 March 2018 + n hours (registration is 1 March). */
export function historyTime(step: number): string {
  return new Date(Date.parse('2018-03-02T10:00:00+07:00') + step * 3_600_000).toISOString();
}

const often = (build: CommandAt) => ({ arbitrary: fc.constant(build), weight: 6 });
// closing commands are rarer, so histories get far enough to reach rework after an interim answer
const rarely = (build: CommandAt) => ({ arbitrary: fc.constant(build), weight: 1 });
const at = historyTime;

export const historyCommand: fc.Arbitrary<CommandAt> = fc.oneof(
  often((step) => assignExecutor({ assignedAt: at(step), executor: IVANOVA })),
  often((step) => assignExecutor({ assignedAt: at(step), executor: SIDOROV })),
  often((step) => extendDeadline({ days: 5, extendedAt: at(step) })),
  often((step) => sendInterimAnswer({ sentAt: at(step) })),
  often((step) => sendFinalAnswer({ sentAt: at(step) })),
  often((step) =>
    sendFinalAnswer({
      sentAt: at(step),
      results: [
        { questionCode: QUESTION_CODES[0], result: 'left_without_answer' },
        { questionCode: QUESTION_CODES[1], result: 'supported', measuresTaken: step % 2 === 0 },
      ],
    }),
  ),
  often((step) => returnForRework({ returnedAt: at(step) })),
  rarely((step) => removeFromControl({ closedAt: at(step) })),
  rarely((step) => forwardByCompetence({ sentAt: at(step) })),
  rarely((step) => withdrawAppeal({ withdrawnAt: at(step) })),
  rarely((step) => leaveWithoutAnswer({ ground: 'obscene', decidedAt: at(step) })),
  often((step) => setFurtherControl({ setAt: at(step) })),
  often((step) => completeMeasures({ completedAt: at(step) })),
  often((step) => requestDocuments({ requestId: `d-${step}`, sentAt: at(step) })),
  often((step) => recordDocumentsReply({ requestId: `d-${step - 1}`, receivedAt: at(step) })),
  // no read model shows them: a fold passes them by (59-FZ art. 5 п.1)
  rarely((step) => recordApplicantMaterials({ receivedAt: at(step) })),
  often((step) =>
    issueDeadlineReminder({
      reminderId: `r-${step}`,
      kind: 'due_soon',
      businessDate: '2018-03-27',
      issuedAt: at(step),
    }),
  ),
);

/** A registration, then 1–30 generated commands. */
export const acceptedHistory: fc.Arbitrary<CommandAt[]> = fc.array(historyCommand, {
  minLength: 1,
  maxLength: 30,
});

/**
 * Folds a registration and the history through the decider (test rules); calls `onEvent` after every
 * recorded event with the machine's state after it and the event's position (1, 2, …).
 */
export function foldHistory(
  history: readonly CommandAt[],
  onEvent: (state: RegisteredAppealState, event: AppealEvent, position: number) => void,
): void {
  let state = initialState();
  let position = 0;
  const apply = (command: AppealCommand): void => {
    const decision = decide(command, state, testRules);
    if (!decision.ok) return;
    for (const event of decision.events) {
      state = evolve(state, event);
      if (!isRegistered(state)) throw new Error('an appeal with events is registered');
      onEvent(state, event, ++position);
    }
  };
  apply(registerAppeal());
  history.forEach((build, step) => apply(build(step + 1)));
}
