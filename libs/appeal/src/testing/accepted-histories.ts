/**
 * Generated histories for properties that compare a read model's own fold with the appeal machine:
 * a registration drawn from a few kinds (on control, sent by another body asking for a report,
 * anonymous off control, anonymous reporting an offence, a repeat), then commands drawn with weights,
 * business times growing with the step so none is refused for order, folded through the decider;
 * refused commands record nothing and are skipped.
 *
 * Every command type is drawn: `accepted-histories.spec.ts` fails when a command type of the domain
 * never records an event in a sample of histories, unless `NOT_GENERATED` below says why.
 */
import fc from 'fast-check';
import type { AppealCommand, AppealCommandType, RegisterAppeal } from '../appeal.commands';
import {
  decide,
  evolve,
  initialState,
  isRegistered,
  type Decision,
  type RegisteredAppealState,
} from '../appeal.decider';
import type { AppealEvent, OriginalOutcome } from '../events/appeal.events';
import {
  CO_EXECUTOR,
  EARLIER_APPEAL_ID,
  IVANOVA,
  QUESTION_CODES,
  RESPONSIBLE,
  SIDOROV,
  assignExecutor,
  completeMeasures,
  confirmRelatedAppeal,
  extendDeadline,
  forwardByCompetence,
  issueDeadlineReminder,
  leaveWithoutAnswer,
  recordAnswerWithOriginal,
  recordApplicantMaterials,
  recordContribution,
  recordDocumentsReply,
  recordResolution,
  registerAppeal,
  rejectRelatedAppeal,
  removeFromControl,
  reportToSource,
  requestDocuments,
  returnForRework,
  sendFinalAnswer,
  sendInterimAnswer,
  setFurtherControl,
  terminateCorrespondence,
  testRules,
  withdrawAppeal,
} from './index';

/** A command at step n of a history. */
export type CommandAt = (step: number) => AppealCommand;

/** A registration and the commands after it. */
export interface AcceptedHistory {
  registration: RegisterAppeal;
  commands: CommandAt[];
}

/**
 * Command types the generator does not draw, each with the reason. Empty today: every command type
 * is drawn and records events in some history.
 */
export const NOT_GENERATED: Readonly<Partial<Record<AppealCommandType, string>>> = {};

/** Step n happens on 2 March 2018 + n hours (registration is 1 March). */
export function historyTime(step: number): string {
  return new Date(Date.parse('2018-03-02T10:00:00+07:00') + step * 3_600_000).toISOString();
}

/** The date the sending body asked to be told the result by, for registrations that carry one. */
const REPORT_BACK_BY = '2018-04-02';
/** Another earlier appeal: confirming it a duplicate while one is confirmed is refused. */
const OTHER_EARLIER_APPEAL_ID = 'a-000c';

const often = (build: CommandAt) => ({ arbitrary: fc.constant(build), weight: 6 });
const sometimes = (build: CommandAt) => ({ arbitrary: fc.constant(build), weight: 3 });
// closing commands are rarer, so histories get far enough to reach rework after an interim answer
const rarely = (build: CommandAt) => ({ arbitrary: fc.constant(build), weight: 1 });
const at = historyTime;

/** The duplicate process answering with the original, closed as `outcome`. */
const answeredWithOriginal =
  (outcome: OriginalOutcome): CommandAt =>
  (step) =>
    recordAnswerWithOriginal({
      outcome,
      closedAt: at(step),
      recordedAt: at(step),
      answer:
        outcome === 'answered'
          ? { sentAt: at(step), outgoingNumber: '01-12/345', outgoingDate: '2018-03-02' }
          : undefined,
    });

export const historyRegistration: fc.Arbitrary<RegisterAppeal> = fc.oneof(
  { arbitrary: fc.constant(registerAppeal()), weight: 4 },
  // sent by another body asking for the result: ReportToSource and its reminders have a report to record
  {
    arbitrary: fc.constant(
      registerAppeal({
        source: {
          type: 'regional_administration',
          name: 'Администрация области',
          reference: '01-01/77',
          date: '2018-02-27',
          reportBackBy: REPORT_BACK_BY,
        },
      }),
    ),
    weight: 2,
  },
  // anonymous: no answer (art. 11 ч.1), registered off control
  { arbitrary: fc.constant(registerAppeal({ applicants: [] })), weight: 1 },
  // anonymous reporting an offence: on control for 7 days, to be forwarded (art. 11 ч.1)
  { arbitrary: fc.constant(registerAppeal({ applicants: [], reportsOffence: true })), weight: 1 },
  // registered as a repeat of an earlier appeal
  { arbitrary: fc.constant(registerAppeal({ repeatOf: EARLIER_APPEAL_ID })), weight: 1 },
);

export const historyCommand: fc.Arbitrary<CommandAt> = fc.oneof(
  often((step) => assignExecutor({ assignedAt: at(step), executor: IVANOVA })),
  // a second executor: ExecutorReassigned
  often((step) => assignExecutor({ assignedAt: at(step), executor: SIDOROV, department: 'Дорожный отдел' })),
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
  // one question forwarded, the other kept: the appeal stays on control
  sometimes((step) => forwardByCompetence({ sentAt: at(step), questionCodes: [QUESTION_CODES[0]] })),
  sometimes((step) => forwardByCompetence({ sentAt: at(step), questionCodes: [QUESTION_CODES[1]] })),
  rarely((step) => withdrawAppeal({ withdrawnAt: at(step) })),
  rarely((step) => leaveWithoutAnswer({ ground: 'obscene', decidedAt: at(step) })),
  often((step) => setFurtherControl({ setAt: at(step) })),
  often((step) => completeMeasures({ completedAt: at(step) })),
  sometimes((step) => reportToSource({ sentAt: at(step) })),
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
  sometimes((step) =>
    issueDeadlineReminder({
      reminderId: `r-${step}`,
      kind: 'report_back_soon',
      businessDate: '2018-03-30',
      issuedAt: at(step),
    }),
  ),
  // related appeals (issue 15): a duplicate with no answer of its own is joined to its original and
  // leaves control (decision 0008); a rejection, or confirming a repeat instead, unjoins it
  often((step) => confirmRelatedAppeal({ kind: 'duplicate', decidedAt: at(step) })),
  sometimes((step) => confirmRelatedAppeal({ kind: 'repeat', decidedAt: at(step) })),
  rarely((step) =>
    confirmRelatedAppeal({
      kind: 'duplicate',
      relatedAppealId: OTHER_EARLIER_APPEAL_ID,
      decidedAt: at(step),
    }),
  ),
  sometimes((step) => rejectRelatedAppeal({ kind: 'duplicate', decidedAt: at(step) })),
  rarely((step) => rejectRelatedAppeal({ kind: 'repeat', decidedAt: at(step) })),
  // the duplicate process: the original was closed (accepted only on a confirmed duplicate)
  sometimes(answeredWithOriginal('answered')),
  rarely(answeredWithOriginal('forwarded')),
  rarely(answeredWithOriginal('left_without_answer')),
  rarely(answeredWithOriginal('withdrawn')),
  // the head's resolution with a co-executor, and the co-executor's part (issue 14)
  sometimes((step) =>
    recordResolution({
      decidedAt: at(step),
      responsible: RESPONSIBLE,
      coExecutors: [{ ...CO_EXECUTOR, dueDate: '2018-03-20' }],
    }),
  ),
  sometimes((step) => recordContribution({ coExecutorId: CO_EXECUTOR.id, sentAt: at(step) })),
  rarely((step) => terminateCorrespondence({ decidedAt: at(step) })),
);

/** A registration, then 1–30 generated commands. */
export const acceptedHistory: fc.Arbitrary<AcceptedHistory> = fc.record({
  registration: historyRegistration,
  commands: fc.array(historyCommand, { minLength: 1, maxLength: 30 }),
});

/**
 * Folds a registration and the history through the decider (test rules); calls `onEvent` after every
 * recorded event with the machine's state after it and the event's position (1, 2, …), and
 * `onDecision` (when given) after every decision.
 */
export function foldHistory(
  history: AcceptedHistory,
  onEvent: (state: RegisteredAppealState, event: AppealEvent, position: number) => void,
  onDecision?: (command: AppealCommand, decision: Decision) => void,
): void {
  let state = initialState();
  let position = 0;
  const apply = (command: AppealCommand): void => {
    const decision = decide(command, state, testRules);
    onDecision?.(command, decision);
    if (!decision.ok) return;
    for (const event of decision.events) {
      state = evolve(state, event);
      if (!isRegistered(state)) throw new Error('an appeal with events is registered');
      onEvent(state, event, ++position);
    }
  };
  apply(history.registration);
  history.commands.forEach((build, step) => apply(build(step + 1)));
}
