/**
 * Commands to an appeal: imperative requests the decider accepts or refuses. They carry everything
 * the domain may not produce itself — ids, allocated sequence numbers and business time.
 */
import type {
  AnswerDocumentFields,
  AppealKind,
  Applicant,
  Channel,
  ElectronicRoute,
  Executor,
  FinalQuestionResult,
  IsoDate,
  Official,
  OriginalOutcome,
  Question,
  Reception,
  RelationKind,
  ReminderKind,
  Source,
  WithoutAnswerGround,
} from './events/appeal.events';

/** An instant with offset, e.g. `2018-03-06T10:00:00+07:00`. */
export type Instant = string;

export interface RegisterAppeal {
  type: 'RegisterAppeal';
  data: {
    appealId: string;
    /** allocated by the app per registration year (see registration-number.ts) */
    sequence: number;
    receivedAt: IsoDate;
    registeredAt: IsoDate;
    channel: Channel;
    kind: AppealKind;
    /** default: direct */
    source?: Source;
    /** ids allocated by the app; may be empty (anonymous) */
    applicants: Applicant[];
    questions: Question[];
    territory?: string;
    summary?: string;
    /** only for channel personal_reception */
    reception?: Reception;
    repeatOf?: string;
    /** a shorter term (1–30, e.g. 20 under art. 12 ч.1.1); default from the rules (30); needs termBasis */
    termDays?: number;
    /**
     * An anonymous appeal reporting an offence being prepared, committed or done (59-FZ art. 11
     * ч.1): kept on control with a 7-day term for forwarding to the competent body.
     */
    reportsOffence?: boolean;
    /** the norm the shorter term rests on; required with termDays */
    termBasis?: string;
    /** only for channel electronic: the route (59-FZ art. 4 п.1; e-mail only when received before 2025-03-30) */
    electronicRoute?: ElectronicRoute;
  };
}

/** Assigns the first executor, or reassigns afterwards. */
export interface AssignExecutor {
  type: 'AssignExecutor';
  data: { executor: Executor; department: string; instructions?: string; assignedAt: Instant };
}

export interface ExtendDeadline {
  type: 'ExtendDeadline';
  data: {
    days: number;
    reason: string;
    extendedAt: Instant;
    /** who decided (art. 12 ч.2: the head or an official he authorised); required for new extensions */
    decidedBy: Official;
    /** when the applicant was notified of the extension: an instant or a local date (YYYY-MM-DD) */
    applicantNotifiedAt?: string;
  };
}

export interface SendInterimAnswer {
  type: 'SendInterimAnswer';
  data: { sentAt: Instant; summary: string; finalAnswerBy?: IsoDate } & AnswerDocumentFields;
}

export interface FinalAnswerResult {
  questionCode: string;
  result: FinalQuestionResult;
  /** only with `supported` (в т.ч. меры приняты) */
  measuresTaken?: boolean;
}

export interface SendFinalAnswer {
  type: 'SendFinalAnswer';
  data: {
    sentAt: Instant;
    summary: string;
    results: FinalAnswerResult[];
    onSiteVisit?: boolean;
  } & AnswerDocumentFields;
}

export interface ReturnForRework {
  type: 'ReturnForRework';
  data: { reason: string; returnedAt: Instant };
}

/** Removal from control (снятие с контроля) after the final answer: the appeal is closed. */
export interface RemoveFromControl {
  type: 'RemoveFromControl';
  data: { closedAt: Instant };
}

export interface ForwardByCompetence {
  type: 'ForwardByCompetence';
  data: {
    to: string;
    sentAt: Instant;
    reference?: string;
    /** the questions to forward; default every question still in work */
    questionCodes?: string[];
    /** when the applicant was notified of the forwarding (59-FZ art. 8 ч.3) */
    applicantNotifiedAt?: Instant;
  };
}

/** Leaves the appeal without an answer on the merits, on a ground of 59-FZ art. 11. */
export interface LeaveWithoutAnswer {
  type: 'LeaveWithoutAnswer';
  data: {
    ground: WithoutAnswerGround;
    decidedAt: Instant;
    notice?: { sentAt: Instant; text: string };
    link?: string;
    /**
     * Ground `correspondence_terminated`: the terminations of correspondence (art. 11 ч.5) that the
     * application found for this appeal's applicant and questions (the applicant index; the domain
     * sees one appeal). Undefined on the other grounds.
     */
    terminations?: TerminationFact[];
  };
}

/** A decision to terminate correspondence (art. 11 ч.5) that applies to an appeal (its arrival flag). */
export interface TerminationFact {
  /** the appeal the decision was recorded on */
  terminationAppealId: string;
  decidedAt: string;
  /** the terminated questions this appeal has */
  questionCodes: string[];
}

/** What the application found of an earlier appeal named in a termination (the domain sees one appeal). */
export interface EarlierAppealFacts {
  appealId: string;
  /** it exists and the caller may read it */
  found: boolean;
  /** its applicant shares an applicant-index key with this appeal's (docs/applicant-matching.md) */
  sameApplicant: boolean;
  /** registered before this appeal */
  earlier: boolean;
  /** the codes its final answer in force answered on the merits */
  answeredOnMerits: string[];
}

/**
 * The head's decision to terminate correspondence with the applicant on these questions (59-FZ art. 11
 * ч.5). `questionCodes` absent: every question of the appeal. `earlierAppeals`: the facts of
 * `earlierAppealIds`, gathered by the application.
 */
export interface TerminateCorrespondence {
  type: 'TerminateCorrespondence';
  data: {
    decidedBy: Official;
    decidedAt: Instant;
    questionCodes?: string[];
    earlierAppealIds: string[];
    grounds: string;
    notice?: { sentAt: Instant; text: string };
    earlierAppeals: EarlierAppealFacts[];
  };
}

export interface WithdrawAppeal {
  type: 'WithdrawAppeal';
  data: { withdrawnAt: Instant; reason?: string };
}

/** Issued by the reminder process; its id is derived from (appeal, kind, due date). */
export interface IssueDeadlineReminder {
  type: 'IssueDeadlineReminder';
  data: {
    reminderId: string;
    kind: ReminderKind;
    businessDate: IsoDate;
    issuedAt: Instant;
    /** a reminder to this co-executor of their part (issue 14); absent: the appeal's own */
    coExecutorId?: string;
  };
}

/** Requests documents from another body (59-FZ art. 10 part 2); `requestId` is allocated by the app. */
export interface RequestDocuments {
  type: 'RequestDocuments';
  data: { requestId: string; to: string; sentAt: Instant; reference?: string };
}

/** Records the reply to a document request. */
export interface RecordDocumentsReply {
  type: 'RecordDocumentsReply';
  data: { requestId: string; receivedAt: Instant };
}

/** The registrar confirms that this appeal repeats or duplicates `relatedAppealId` (issue 15). */
export interface ConfirmRelatedAppeal {
  type: 'ConfirmRelatedAppeal';
  data: { relatedAppealId: string; kind: RelationKind; decidedAt: Instant };
}

/** The registrar rejects that relation (undoing it when it was confirmed). */
export interface RejectRelatedAppeal {
  type: 'RejectRelatedAppeal';
  data: { relatedAppealId: string; kind: RelationKind; decidedAt: Instant };
}

/**
 * Issued by the engine's duplicate process (decision 0008), never by people: the confirmed duplicate
 * is answered with its original, which was closed as `outcome`.
 */
export interface RecordAnswerWithOriginal {
  type: 'RecordAnswerWithOriginal';
  data: {
    originalAppealId: string;
    originalNumber: string;
    outcome: OriginalOutcome;
    closedAt: Instant;
    answer?: { sentAt: Instant; outgoingNumber?: string; outgoingDate?: IsoDate };
    recordedAt: Instant;
  };
}

/** Records the report of the result to the body that sent the appeal (`source.reportBackBy`). */
export interface ReportToSource {
  type: 'ReportToSource';
  data: { sentAt: Instant; reference: string };
}

/** Keeps an answered appeal on control until the measures are taken ("до принятия мер"). */
export interface SetFurtherControl {
  type: 'SetFurtherControl';
  data: { until: IsoDate; reason: string; setAt: Instant };
}

/** Ends further control: the measures are completed. */
export interface CompleteMeasures {
  type: 'CompleteMeasures';
  data: { completedAt: Instant };
}

/**
 * The head's resolution: the responsible executor (assigned by it, the one who answers) and the
 * co-executors who prepare parts (issue 14; office practice, not a 59-FZ norm).
 */
export interface RecordResolution {
  type: 'RecordResolution';
  data: {
    author: Official;
    text: string;
    decidedAt: Instant;
    responsible: { id: string; name: string; department: string };
    coExecutors: { id: string; name: string; department: string; dueDate?: IsoDate }[];
    internalDueDate?: IsoDate;
  };
}

/** A co-executor's part sent to the responsible executor; `coExecutorId` is the co-executor's user id. */
export interface RecordContribution {
  type: 'RecordContribution';
  data: { coExecutorId: string; text: string; sentAt: Instant };
}

/**
 * Records the additional documents and materials the applicant presented to the appeal under
 * consideration (59-FZ art. 5 п.1); `description` says what they are (free text).
 */
export interface RecordApplicantMaterials {
  type: 'RecordApplicantMaterials';
  data: { receivedAt: Instant; description: string; pages?: number };
}

export type AppealCommand =
  | RegisterAppeal
  | AssignExecutor
  | ExtendDeadline
  | SendInterimAnswer
  | SendFinalAnswer
  | ReturnForRework
  | RemoveFromControl
  | ForwardByCompetence
  | WithdrawAppeal
  | IssueDeadlineReminder
  | RequestDocuments
  | RecordDocumentsReply
  | LeaveWithoutAnswer
  | ConfirmRelatedAppeal
  | RejectRelatedAppeal
  | RecordAnswerWithOriginal
  | ReportToSource
  | SetFurtherControl
  | CompleteMeasures
  | TerminateCorrespondence
  | RecordResolution
  | RecordContribution
  | RecordApplicantMaterials;

export type AppealCommandType = AppealCommand['type'];

/** What a user may do to an appeal; the API reports these as `allowedActions` (in this order). */
export const APPEAL_ACTIONS = [
  'register',
  'assign',
  'extend_deadline',
  'send_interim_answer',
  'send_final_answer',
  'return_for_rework',
  'remove_from_control',
  'forward',
  'withdraw',
  'issue_reminder',
  'request_documents',
  'record_documents_reply',
  'leave_without_answer',
  'confirm_related',
  'reject_related',
  'answer_with_original',
  'report_to_source',
  'set_further_control',
  'complete_measures',
  'terminate_correspondence',
  'record_resolution',
  'contribute',
  'record_applicant_materials',
] as const;
export type AppealAction = (typeof APPEAL_ACTIONS)[number];

export function actionOf(command: AppealCommand): AppealAction {
  switch (command.type) {
    case 'RegisterAppeal':
      return 'register';
    case 'AssignExecutor':
      return 'assign';
    case 'ExtendDeadline':
      return 'extend_deadline';
    case 'SendInterimAnswer':
      return 'send_interim_answer';
    case 'SendFinalAnswer':
      return 'send_final_answer';
    case 'ReturnForRework':
      return 'return_for_rework';
    case 'RemoveFromControl':
      return 'remove_from_control';
    case 'ForwardByCompetence':
      return 'forward';
    case 'WithdrawAppeal':
      return 'withdraw';
    case 'IssueDeadlineReminder':
      return 'issue_reminder';
    case 'RequestDocuments':
      return 'request_documents';
    case 'RecordDocumentsReply':
      return 'record_documents_reply';
    case 'LeaveWithoutAnswer':
      return 'leave_without_answer';
    case 'ConfirmRelatedAppeal':
      return 'confirm_related';
    case 'RejectRelatedAppeal':
      return 'reject_related';
    case 'RecordAnswerWithOriginal':
      return 'answer_with_original';
    case 'ReportToSource':
      return 'report_to_source';
    case 'SetFurtherControl':
      return 'set_further_control';
    case 'CompleteMeasures':
      return 'complete_measures';
    case 'TerminateCorrespondence':
      return 'terminate_correspondence';
    case 'RecordResolution':
      return 'record_resolution';
    case 'RecordContribution':
      return 'contribute';
    case 'RecordApplicantMaterials':
      return 'record_applicant_materials';
    default: {
      const unknown: never = command;
      throw new RangeError(`unknown command: ${JSON.stringify(unknown)}`);
    }
  }
}
