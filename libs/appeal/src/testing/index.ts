/**
 * Test helpers for the appeal domain (`@appeal-ledger/appeal/testing`): a given/when/then harness for
 * the decider and builders for events and commands around one fixture appeal (registered 2018-03-01).
 */
import type {
  AnswerReturnedForRework,
  AppealEvent,
  AppealForwardedByCompetence,
  AppealLeftWithoutAnswer,
  AppealRegistered,
  AppealRemovedFromControl,
  AppealWithdrawn,
  DeadlineExtended,
  DeadlineReminderIssued,
  ExecutorAssigned,
  ExecutorReassigned,
  FinalAnswerSent,
  DocumentsReceived,
  DocumentsRequested,
  InterimAnswerSent,
  RelatedAppealConfirmed,
  RelatedAppealRejected,
  AnsweredWithOriginal,
  FurtherControlSet,
  MeasuresCompleted,
  ReportedToSource,
  CorrespondenceTerminated,
  ResolutionRecorded,
  ContributionRecorded,
  ApplicantMaterialsReceived,
} from '../events/appeal.events';
import type {
  AppealCommand,
  AppealCommandType,
  AssignExecutor,
  ConfirmRelatedAppeal,
  ExtendDeadline,
  ForwardByCompetence,
  IssueDeadlineReminder,
  LeaveWithoutAnswer,
  RecordDocumentsReply,
  RegisterAppeal,
  RejectRelatedAppeal,
  RecordAnswerWithOriginal,
  RemoveFromControl,
  RequestDocuments,
  ReturnForRework,
  SendFinalAnswer,
  SendInterimAnswer,
  WithdrawAppeal,
  CompleteMeasures,
  ReportToSource,
  SetFurtherControl,
  TerminateCorrespondence,
  RecordResolution,
  RecordContribution,
  RecordApplicantMaterials,
} from '../appeal.commands';
import { decide, rehydrate, type AppealState, type Decision, type Refusal } from '../appeal.decider';
import type { AppealMachineState } from '../appeal.machine';
import { appealRules, type AppealRules } from '../appeal.rules';
import { compareDates } from '../iso-date';
import { registrationDueDate } from '../registration-term';

/** Shipped calendar and classifier, Asia/Novokuznetsk, preceding working day, 30-day term. */
export const testRules: AppealRules = appealRules();

export const APPEAL_ID = 'a-0001';
export const QUESTION_CODES = ['0005.0005.0056.1149', '0003.0009.0099.0742'] as const;
export const IVANOVA = { id: 'ivanova', name: 'Иванова А.А.' };
export const SIDOROV = { id: 'sidorov', name: 'Сидоров С.С.' };
/** Who decides extensions in the fixtures (art. 12 ч.2). */
export const HEAD = { name: 'Глава района', position: 'глава района' };

type Data<T extends { data: unknown }> = Partial<T['data']>;

// ---- events --------------------------------------------------------------------------------------

export function registered(data: Data<AppealRegistered> = {}): AppealRegistered {
  const base: AppealRegistered['data'] = {
    appealId: APPEAL_ID,
    number: 'П/1',
    receivedAt: '2018-03-01',
    registeredAt: '2018-03-01',
    channel: 'written',
    form: 'written',
    kind: 'complaint',
    source: { type: 'direct' },
    applicants: [{ applicantId: 'p-1', name: 'Петров П.П.', address: 'п. Елань, ул. Мира, 1' }],
    questions: QUESTION_CODES.map((code) => ({ code })),
    collective: false,
    anonymous: false,
    termDays: 30,
    nonWorkingDayRule: 'preceding',
    // 2018-03-31 is a Saturday: the term ends on Friday 30 March.
    nominalDueDate: '2018-03-31',
    dueDate: '2018-03-30',
    ...data,
  };
  // As the decider records them (art. 8 ч.2), unless the test says otherwise; `legacyRegistered` omits them.
  const registrationDue =
    data.registrationDueDate ?? registrationDueDate(base.receivedAt, testRules.calendar);
  return {
    type: 'AppealRegistered',
    data: {
      ...base,
      registrationDueDate: registrationDue,
      registeredLate: data.registeredLate ?? compareDates(base.registeredAt, registrationDue) > 0,
    },
  };
}

/** An AppealRegistered as recorded before the law pass: no registration term, term basis or route. */
export function legacyRegistered(data: Data<AppealRegistered> = {}): AppealRegistered {
  const {
    registrationDueDate: _due,
    registeredLate: _late,
    termBasis: _basis,
    electronicRoute: _route,
    ...rest
  } = registered(data).data;
  return { type: 'AppealRegistered', data: rest };
}

export function assigned(data: Data<ExecutorAssigned> = {}): ExecutorAssigned {
  return {
    type: 'ExecutorAssigned',
    data: { executor: IVANOVA, department: 'ЖКХ', assignedAt: '2018-03-02T10:00:00+07:00', ...data },
  };
}

export function reassigned(data: Data<ExecutorReassigned> = {}): ExecutorReassigned {
  return {
    type: 'ExecutorReassigned',
    data: {
      executor: SIDOROV,
      department: 'Дорожный отдел',
      previousExecutor: IVANOVA,
      previousDepartment: 'ЖКХ',
      assignedAt: '2018-03-05T10:00:00+07:00',
      ...data,
    },
  };
}

export function extended(data: Data<DeadlineExtended> = {}): DeadlineExtended {
  return {
    type: 'DeadlineExtended',
    data: {
      days: 10,
      reason: 'запрос документов',
      extendedAt: '2018-03-20T10:00:00+07:00',
      previousDueDate: '2018-03-30',
      nominalDueDate: '2018-04-10',
      dueDate: '2018-04-10',
      totalExtensionDays: 10,
      decidedBy: HEAD,
      ...data,
    },
  };
}

export function interimAnswered(data: Data<InterimAnswerSent> = {}): InterimAnswerSent {
  return {
    type: 'InterimAnswerSent',
    data: { sentAt: '2018-03-15T10:00:00+07:00', summary: 'ведётся проверка', ...data },
  };
}

export function finalAnswered(data: Data<FinalAnswerSent> = {}): FinalAnswerSent {
  return {
    type: 'FinalAnswerSent',
    data: {
      sentAt: '2018-03-28T10:00:00+07:00',
      summary: 'ответ по существу',
      results: [
        { questionCode: QUESTION_CODES[0], result: 'supported', measuresTaken: true },
        { questionCode: QUESTION_CODES[1], result: 'explained' },
      ],
      late: false,
      dueDate: '2018-03-30',
      ...data,
    },
  };
}

export function returnedForRework(data: Data<AnswerReturnedForRework> = {}): AnswerReturnedForRework {
  return {
    type: 'AnswerReturnedForRework',
    data: { reason: 'ответ не по существу', returnedAt: '2018-03-29T10:00:00+07:00', ...data },
  };
}

export function removedFromControl(data: Data<AppealRemovedFromControl> = {}): AppealRemovedFromControl {
  return { type: 'AppealRemovedFromControl', data: { closedAt: '2018-03-30T10:00:00+07:00', ...data } };
}

export function forwarded(data: Data<AppealForwardedByCompetence> = {}): AppealForwardedByCompetence {
  return {
    type: 'AppealForwardedByCompetence',
    data: { to: 'Прокуратура района', sentAt: '2018-03-02T10:00:00+07:00', ...data },
  };
}

export function leftWithoutAnswer(data: Data<AppealLeftWithoutAnswer> = {}): AppealLeftWithoutAnswer {
  return {
    type: 'AppealLeftWithoutAnswer',
    data: { ground: 'obscene', decidedAt: '2018-03-05T10:00:00+07:00', ...data },
  };
}

export function withdrawn(data: Data<AppealWithdrawn> = {}): AppealWithdrawn {
  return { type: 'AppealWithdrawn', data: { withdrawnAt: '2018-03-03T10:00:00+07:00', ...data } };
}

export function documentsRequested(data: Data<DocumentsRequested> = {}): DocumentsRequested {
  return {
    type: 'DocumentsRequested',
    data: {
      requestId: 'd-0001',
      to: 'Управление Росреестра',
      sentAt: '2018-03-05T10:00:00+07:00',
      replyDueDate: '2018-03-20',
      ...data,
    },
  };
}

export function documentsReceived(data: Data<DocumentsReceived> = {}): DocumentsReceived {
  return {
    type: 'DocumentsReceived',
    data: { requestId: 'd-0001', receivedAt: '2018-03-15T10:00:00+07:00', ...data },
  };
}

export function reminderIssued(data: Data<DeadlineReminderIssued> = {}): DeadlineReminderIssued {
  return {
    type: 'DeadlineReminderIssued',
    data: {
      reminderId: 'r-due-soon-2018-03-30',
      kind: 'due_soon',
      dueDate: '2018-03-30',
      businessDate: '2018-03-27',
      issuedAt: '2018-03-27T09:00:00+07:00',
      ...data,
    },
  };
}

// ---- commands ------------------------------------------------------------------------------------

export function registerAppeal(data: Data<RegisterAppeal> = {}): RegisterAppeal {
  return {
    type: 'RegisterAppeal',
    data: {
      appealId: APPEAL_ID,
      sequence: 1,
      receivedAt: '2018-03-01',
      registeredAt: '2018-03-01',
      channel: 'written',
      kind: 'complaint',
      applicants: [{ applicantId: 'p-1', name: 'Петров П.П.', address: 'п. Елань, ул. Мира, 1' }],
      questions: QUESTION_CODES.map((code) => ({ code })),
      ...data,
    },
  };
}

export function assignExecutor(data: Data<AssignExecutor> = {}): AssignExecutor {
  return {
    type: 'AssignExecutor',
    data: { executor: IVANOVA, department: 'ЖКХ', assignedAt: '2018-03-02T10:00:00+07:00', ...data },
  };
}

export function extendDeadline(data: Data<ExtendDeadline> = {}): ExtendDeadline {
  return {
    type: 'ExtendDeadline',
    data: {
      days: 10,
      reason: 'запрос документов',
      extendedAt: '2018-03-20T10:00:00+07:00',
      decidedBy: HEAD,
      ...data,
    },
  };
}

export function sendInterimAnswer(data: Data<SendInterimAnswer> = {}): SendInterimAnswer {
  return {
    type: 'SendInterimAnswer',
    data: { sentAt: '2018-03-15T10:00:00+07:00', summary: 'ведётся проверка', ...data },
  };
}

export function sendFinalAnswer(data: Data<SendFinalAnswer> = {}): SendFinalAnswer {
  return {
    type: 'SendFinalAnswer',
    data: {
      sentAt: '2018-03-28T10:00:00+07:00',
      summary: 'ответ по существу',
      results: [
        { questionCode: QUESTION_CODES[0], result: 'supported', measuresTaken: true },
        { questionCode: QUESTION_CODES[1], result: 'explained' },
      ],
      ...data,
    },
  };
}

export function returnForRework(data: Data<ReturnForRework> = {}): ReturnForRework {
  return {
    type: 'ReturnForRework',
    data: { reason: 'ответ не по существу', returnedAt: '2018-03-29T10:00:00+07:00', ...data },
  };
}

export function removeFromControl(data: Data<RemoveFromControl> = {}): RemoveFromControl {
  return { type: 'RemoveFromControl', data: { closedAt: '2018-03-30T10:00:00+07:00', ...data } };
}

export function forwardByCompetence(data: Data<ForwardByCompetence> = {}): ForwardByCompetence {
  return {
    type: 'ForwardByCompetence',
    data: { to: 'Прокуратура района', sentAt: '2018-03-02T10:00:00+07:00', ...data },
  };
}

export function leaveWithoutAnswer(data: Data<LeaveWithoutAnswer> = {}): LeaveWithoutAnswer {
  return {
    type: 'LeaveWithoutAnswer',
    data: { ground: 'obscene', decidedAt: '2018-03-05T10:00:00+07:00', ...data },
  };
}

export function withdrawAppeal(data: Data<WithdrawAppeal> = {}): WithdrawAppeal {
  return { type: 'WithdrawAppeal', data: { withdrawnAt: '2018-03-03T10:00:00+07:00', ...data } };
}

export function issueDeadlineReminder(data: Data<IssueDeadlineReminder> = {}): IssueDeadlineReminder {
  return {
    type: 'IssueDeadlineReminder',
    data: {
      reminderId: 'r-due-soon-2018-03-30',
      kind: 'due_soon',
      businessDate: '2018-03-27',
      issuedAt: '2018-03-27T09:00:00+07:00',
      ...data,
    },
  };
}

export const REQUEST_ID = 'd-0001';

export function requestDocuments(data: Data<RequestDocuments> = {}): RequestDocuments {
  return {
    type: 'RequestDocuments',
    data: {
      requestId: REQUEST_ID,
      to: 'Управление Росреестра',
      sentAt: '2018-03-05T10:00:00+07:00',
      ...data,
    },
  };
}

export function recordDocumentsReply(data: Data<RecordDocumentsReply> = {}): RecordDocumentsReply {
  return {
    type: 'RecordDocumentsReply',
    data: { requestId: REQUEST_ID, receivedAt: '2018-03-15T10:00:00+07:00', ...data },
  };
}

export const EARLIER_APPEAL_ID = 'a-0000';

export function relatedConfirmed(data: Data<RelatedAppealConfirmed> = {}): RelatedAppealConfirmed {
  return {
    type: 'RelatedAppealConfirmed',
    data: {
      relatedAppealId: EARLIER_APPEAL_ID,
      kind: 'duplicate',
      decidedAt: '2018-03-06T11:00:00+07:00',
      ...data,
    },
  };
}

export function relatedRejected(data: Data<RelatedAppealRejected> = {}): RelatedAppealRejected {
  return {
    type: 'RelatedAppealRejected',
    data: {
      relatedAppealId: EARLIER_APPEAL_ID,
      kind: 'duplicate',
      decidedAt: '2018-03-06T11:00:00+07:00',
      ...data,
    },
  };
}

export function confirmRelatedAppeal(data: Data<ConfirmRelatedAppeal> = {}): ConfirmRelatedAppeal {
  return {
    type: 'ConfirmRelatedAppeal',
    data: {
      relatedAppealId: EARLIER_APPEAL_ID,
      kind: 'duplicate',
      decidedAt: '2018-03-06T11:00:00+07:00',
      ...data,
    },
  };
}

export function rejectRelatedAppeal(data: Data<RejectRelatedAppeal> = {}): RejectRelatedAppeal {
  return {
    type: 'RejectRelatedAppeal',
    data: {
      relatedAppealId: EARLIER_APPEAL_ID,
      kind: 'duplicate',
      decidedAt: '2018-03-06T11:00:00+07:00',
      ...data,
    },
  };
}

export function answeredWithOriginal(data: Data<AnsweredWithOriginal> = {}): AnsweredWithOriginal {
  return {
    type: 'AnsweredWithOriginal',
    data: {
      originalAppealId: EARLIER_APPEAL_ID,
      originalNumber: 'Ф/1',
      outcome: 'answered',
      closedAt: '2018-03-21T10:00:00+07:00',
      answer: {
        sentAt: '2018-03-20T10:00:00+07:00',
        outgoingNumber: '01-12/345',
        outgoingDate: '2018-03-20',
      },
      recordedAt: '2018-03-21T10:00:05+07:00',
      ...data,
    },
  };
}

export function recordAnswerWithOriginal(
  data: Data<RecordAnswerWithOriginal> = {},
): RecordAnswerWithOriginal {
  return { type: 'RecordAnswerWithOriginal', data: { ...answeredWithOriginal().data, ...data } };
}

// A record over the command types: a new command without a builder here fails to compile.
const ONE_OF_EACH: Record<AppealCommandType, () => AppealCommand> = {
  RegisterAppeal: () => registerAppeal(),
  AssignExecutor: () => assignExecutor(),
  ExtendDeadline: () => extendDeadline(),
  SendInterimAnswer: () => sendInterimAnswer(),
  SendFinalAnswer: () => sendFinalAnswer(),
  ReturnForRework: () => returnForRework(),
  RemoveFromControl: () => removeFromControl(),
  ForwardByCompetence: () => forwardByCompetence(),
  WithdrawAppeal: () => withdrawAppeal(),
  IssueDeadlineReminder: () => issueDeadlineReminder(),
  RequestDocuments: () => requestDocuments(),
  RecordDocumentsReply: () => recordDocumentsReply(),
  LeaveWithoutAnswer: () => leaveWithoutAnswer(),
  ConfirmRelatedAppeal: () => confirmRelatedAppeal(),
  RejectRelatedAppeal: () => rejectRelatedAppeal(),
  RecordAnswerWithOriginal: () => recordAnswerWithOriginal(),
  ReportToSource: () => reportToSource(),
  SetFurtherControl: () => setFurtherControl(),
  CompleteMeasures: () => completeMeasures(),
  TerminateCorrespondence: () => terminateCorrespondence(),
  RecordResolution: () => recordResolution(),
  RecordContribution: () => recordContribution(),
  RecordApplicantMaterials: () => recordApplicantMaterials(),
};

/** One command of each type, with valid data for the fixture appeal. */
export function oneOfEachCommand(): AppealCommand[] {
  return Object.values(ONE_OF_EACH).map((build) => build());
}

/** A history that leaves the fixture appeal in each machine state. */
export const HISTORIES: Record<AppealMachineState, AppealEvent[]> = {
  unregistered: [],
  registered: [registered()],
  assigned: [registered(), assigned()],
  interim_answered: [registered(), assigned(), interimAnswered()],
  final_answered: [registered(), assigned(), finalAnswered()],
  closed: [registered(), assigned(), finalAnswered(), removedFromControl()],
};

// ---- given / when / then -------------------------------------------------------------------------

export interface Then {
  readonly decision: Decision;
  /** the state the `given` events fold into */
  readonly state: AppealState;
  /** Asserts the command was accepted with exactly these events; returns the state after them. */
  then(expected: AppealEvent[]): AppealState;
  /** Asserts a refusal; fields given are compared (arrays exactly). */
  thenRefused(expected: Partial<Refusal> & Pick<Refusal, 'reason'>): Refusal;
}

export function given(events: readonly AppealEvent[], rules: AppealRules = testRules) {
  return {
    when(command: AppealCommand): Then {
      const state = rehydrate(events);
      const decision = decide(command, state, rules);
      return {
        decision,
        state,
        then(expected) {
          expect(decision).toEqual({ ok: true, events: expected });
          return rehydrate([...events, ...expected]);
        },
        thenRefused(expected) {
          expect(decision).toMatchObject({ ok: false, ...expected });
          if (decision.ok) throw new Error('unreachable: expect() above failed first');
          return decision;
        },
      };
    },
  };
}

// ---- report to the sending body, further control ---------------------------------------------------

export function reportToSource(data: Data<ReportToSource> = {}): ReportToSource {
  return {
    type: 'ReportToSource',
    data: { sentAt: '2018-03-29T10:00:00+07:00', reference: 'исх. 01-12/345', ...data },
  };
}

export function setFurtherControl(data: Data<SetFurtherControl> = {}): SetFurtherControl {
  return {
    type: 'SetFurtherControl',
    data: {
      until: '2018-06-30',
      reason: 'ремонт кровли запланирован на II квартал',
      setAt: '2018-03-29T10:00:00+07:00',
      ...data,
    },
  };
}

export function completeMeasures(data: Data<CompleteMeasures> = {}): CompleteMeasures {
  return { type: 'CompleteMeasures', data: { completedAt: '2018-06-20T10:00:00+07:00', ...data } };
}

export function reportedToSource(data: Data<ReportedToSource> = {}): ReportedToSource {
  return {
    type: 'ReportedToSource',
    data: {
      sentAt: '2018-03-29T10:00:00+07:00',
      reference: 'исх. 01-12/345',
      reportBackBy: '2018-04-02',
      late: false,
      ...data,
    },
  };
}

export function furtherControlSet(data: Data<FurtherControlSet> = {}): FurtherControlSet {
  return {
    type: 'FurtherControlSet',
    data: {
      until: '2018-06-30',
      reason: 'ремонт кровли запланирован на II квартал',
      setAt: '2018-03-29T10:00:00+07:00',
      ...data,
    },
  };
}

export function measuresCompleted(data: Data<MeasuresCompleted> = {}): MeasuresCompleted {
  return { type: 'MeasuresCompleted', data: { completedAt: '2018-06-20T10:00:00+07:00', ...data } };
}

// ---- termination of correspondence (59-FZ art. 11 ч.5) -----------------------------------------------

/** Two earlier appeals of the same applicant, each answered on the merits on both fixture questions. */
export const TERMINATION_EARLIER_IDS = ['a-0000', 'a-000b'] as const;

export function terminateCorrespondence(data: Data<TerminateCorrespondence> = {}): TerminateCorrespondence {
  return {
    type: 'TerminateCorrespondence',
    data: {
      decidedBy: HEAD,
      decidedAt: '2018-03-06T10:00:00+07:00',
      earlierAppealIds: [...TERMINATION_EARLIER_IDS],
      grounds: 'на вопросы даны ответы по существу дважды; новых доводов нет',
      earlierAppeals: TERMINATION_EARLIER_IDS.map((appealId) => ({
        appealId,
        found: true,
        sameApplicant: true,
        earlier: true,
        answeredOnMerits: [...QUESTION_CODES],
      })),
      ...data,
    },
  };
}

// ---- the head's resolution with co-executors, their parts (issue 14) --------------------------------

/** The fixtures' co-executor: Sidorov of the roads department, his part due 2018-03-20. */
export const CO_EXECUTOR = { id: 'sidorov', name: 'Сидоров С.С.', department: 'Дорожный отдел' };
export const RESPONSIBLE = { id: 'ivanova', name: 'Иванова А.А.', department: 'ЖКХ' };

export function recordResolution(data: Data<RecordResolution> = {}): RecordResolution {
  return {
    type: 'RecordResolution',
    data: {
      author: HEAD,
      text: 'Иванова — подготовить ответ; Сидоров — сведения о ремонте дороги',
      decidedAt: '2018-03-02T10:00:00+07:00',
      responsible: RESPONSIBLE,
      coExecutors: [{ ...CO_EXECUTOR, dueDate: '2018-03-20' }],
      ...data,
    },
  };
}

export function correspondenceTerminated(
  data: Partial<CorrespondenceTerminated['data']> = {},
): CorrespondenceTerminated {
  return {
    type: 'CorrespondenceTerminated',
    data: {
      decidedBy: HEAD,
      decidedAt: '2018-03-06T10:00:00+07:00',
      questionCodes: [...QUESTION_CODES],
      earlierAppealIds: [...TERMINATION_EARLIER_IDS],
      grounds: 'на вопросы даны ответы по существу дважды; новых доводов нет',
      ...data,
    },
  };
}

export function resolutionRecorded(data: Data<ResolutionRecorded> = {}): ResolutionRecorded {
  return {
    type: 'ResolutionRecorded',
    data: {
      author: HEAD,
      text: 'Иванова — подготовить ответ; Сидоров — сведения о ремонте дороги',
      decidedAt: '2018-03-02T10:00:00+07:00',
      responsible: RESPONSIBLE,
      coExecutors: [{ ...CO_EXECUTOR, dueDate: '2018-03-20' }],
      ...data,
    },
  };
}

export function recordContribution(data: Data<RecordContribution> = {}): RecordContribution {
  return {
    type: 'RecordContribution',
    data: {
      coExecutorId: CO_EXECUTOR.id,
      text: 'ремонт дороги включён в план на май',
      sentAt: '2018-03-15T10:00:00+07:00',
      ...data,
    },
  };
}

export function contributionRecorded(data: Data<ContributionRecorded> = {}): ContributionRecorded {
  return {
    type: 'ContributionRecorded',
    data: {
      coExecutor: CO_EXECUTOR,
      text: 'ремонт дороги включён в план на май',
      sentAt: '2018-03-15T10:00:00+07:00',
      dueDate: '2018-03-20',
      late: false,
      ...data,
    },
  };
}
// ---- the applicant's additional materials (59-FZ art. 5 п.1) ----------------------------------------

export function recordApplicantMaterials(
  data: Data<RecordApplicantMaterials> = {},
): RecordApplicantMaterials {
  return {
    type: 'RecordApplicantMaterials',
    data: {
      receivedAt: '2018-03-14T10:00:00+07:00',
      description: 'копия договора управления, фотографии подъезда',
      pages: 4,
      ...data,
    },
  };
}

export function applicantMaterialsReceived(
  data: Data<ApplicantMaterialsReceived> = {},
): ApplicantMaterialsReceived {
  return {
    type: 'ApplicantMaterialsReceived',
    data: {
      receivedAt: '2018-03-14T10:00:00+07:00',
      description: 'копия договора управления, фотографии подъезда',
      pages: 4,
      ...data,
    },
  };
}
export * from './accepted-histories';
