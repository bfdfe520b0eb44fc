/**
 * Domain events of one appeal: facts in the past tense. The `type` strings are stable and stored;
 * never rename them — add a new version and an upcaster instead (the upcaster runs where stored
 * events are read: apps/api appeal.repository.ts `upcast`; read models get them as stored). Dates are calendar dates
 * (`YYYY-MM-DD`) in the administration's time zone unless the field name ends in `At` and holds an
 * instant.
 */

export type IsoDate = string; // YYYY-MM-DD

// Each vocabulary is one `as const` list; its type is derived from it, so the two cannot drift.
export const CHANNELS = ['written', 'electronic', 'personal_reception', 'phone'] as const;
export type Channel = (typeof CHANNELS)[number];
export const FORMS = ['written', 'electronic', 'oral'] as const;
export type Form = (typeof FORMS)[number];
export const APPEAL_KINDS = ['proposal', 'application', 'complaint'] as const;
export type AppealKind = (typeof APPEAL_KINDS)[number];
export const SOURCE_TYPES = [
  'direct',
  'presidential_administration',
  'regional_administration',
  'other_body',
] as const;
export type SourceType = (typeof SOURCE_TYPES)[number];
export const OFFICIAL_ROLES = ['head', 'deputy', 'department_head', 'specialist'] as const;
export type OfficialRole = (typeof OFFICIAL_ROLES)[number];
/** The results a final answer gives a question (ССТУ's vocabulary): the one list of them. */
export const FINAL_QUESTION_RESULTS = [
  'supported',
  'explained',
  'not_supported',
  'forwarded',
  'answered',
  'left_without_answer',
] as const;
export type FinalQuestionResult = (typeof FINAL_QUESTION_RESULTS)[number];
/** A question's result: `in_work` until a final answer (or forwarding) gives it one of the above. */
export const QUESTION_RESULTS = ['in_work', ...FINAL_QUESTION_RESULTS] as const;
export type QuestionResult = (typeof QUESTION_RESULTS)[number];
export type NonWorkingDayRule = 'preceding' | 'following';
/** Reminders of the consideration term (art. 12): `dueDate` of the reminder is the appeal's due date. */
export const TERM_REMINDER_KINDS = ['due_soon', 'due_today', 'overdue'] as const;
/**
 * Reminders of the report owed to the sending body (`source.reportBackBy`, issue 14): `dueDate` of the
 * reminder is the date it asked for. Added to `DeadlineReminderIssued` after the term kinds (events
 * recorded before carry only those, and fold as before); a consumer of reminders that knows only the
 * term kinds should pass these by.
 */
export const REPORT_BACK_REMINDER_KINDS = ['report_back_soon', 'report_back_overdue'] as const;
export const REMINDER_KINDS = [...TERM_REMINDER_KINDS, ...REPORT_BACK_REMINDER_KINDS] as const;
export type ReminderKind = (typeof REMINDER_KINDS)[number];
export type TermReminderKind = (typeof TERM_REMINDER_KINDS)[number];
export type ReportBackReminderKind = (typeof REPORT_BACK_REMINDER_KINDS)[number];

/** Whether a reminder is about the report to the sending body (not the consideration term). */
export function isReportBackReminderKind(kind: ReminderKind): kind is ReportBackReminderKind {
  return (REPORT_BACK_REMINDER_KINDS as readonly string[]).includes(kind);
}

export interface Source {
  type: SourceType;
  name?: string;
  reference?: string;
  date?: IsoDate;
  /**
   * The sending body asked to be told the result ("с запросом результата") by this date; the appeal
   * owes it a report until `ReportedToSource`. Absent on appeals without such a request.
   */
  reportBackBy?: IsoDate;
}

/**
 * An applicant as the domain sees it. In stored events the personal fields are sealed per applicant
 * (see apps/api personal-data vault); after the applicant's key is destroyed they read as `erased`.
 */
export interface Applicant {
  applicantId: string;
  name?: string;
  address?: string;
  email?: string;
  phone?: string;
  erased?: boolean;
}

export interface Question {
  code: string;
  summary?: string;
}

export interface Reception {
  officialRole: OfficialRole;
  officialName?: string;
  onSite: boolean;
}

export interface Executor {
  id: string;
  name: string;
}

/** An official who took a decision (e.g. the head extending a term, 59-FZ art. 12 ч.2). */
export interface Official {
  name: string;
  position: string;
}

/**
 * How an appeal in electronic form arrived (59-FZ art. 4 п.1). From 30 March 2025 (547-FZ) only the
 * Gosuslugi portal (ЕПГУ, its feedback platform ПОС), the body's other information system or its
 * official site, each identifying the citizen, carry one; an e-mail does not (ELECTRONIC_EMAIL_UNTIL).
 */
export const ELECTRONIC_ROUTES = ['epgu', 'official_site', 'information_system', 'email'] as const;
export type ElectronicRoute = (typeof ELECTRONIC_ROUTES)[number];
/** The last receipt date on which an e-mail was an appeal in electronic form (547-FZ in force 2025-03-30). */
export const ELECTRONIC_EMAIL_UNTIL: IsoDate = '2025-03-29';

/** 59-FZ art. 8 ч.2: a written appeal is registered within 3 days of its receipt (calendar days). */
export const REGISTRATION_TERM_DAYS = 3;

export interface AppealRegistered {
  type: 'AppealRegistered';
  data: {
    appealId: string;
    number: string;
    receivedAt: IsoDate;
    registeredAt: IsoDate;
    channel: Channel;
    form: Form;
    kind: AppealKind;
    source: Source;
    applicants: Applicant[];
    questions: Question[];
    territory?: string;
    summary?: string;
    reception?: Reception;
    repeatOf?: string;
    collective: boolean;
    anonymous: boolean;
    /** consideration term in calendar days (30 by law; shorter profiles by configuration) */
    termDays: number;
    nonWorkingDayRule: NonWorkingDayRule;
    /** nominal (unadjusted) end of the term: registeredAt + termDays */
    nominalDueDate: IsoDate;
    /** the term's end after the day-off rule */
    dueDate: IsoDate;
    /**
     * An anonymous appeal reports an offence being prepared, committed or done (59-FZ art. 11 ч.1):
     * it must be forwarded to the competent body within 7 days, so its term is 7 days. Written only
     * when true; absent in older events.
     */
    reportsOffence?: boolean;
    /**
     * `false`: the appeal is not on control for an answer (anonymous, art. 11 ч.1: no answer is
     * given). Written only when false; absent (older events included) means on control.
     */
    onControl?: boolean;
    /**
     * The norm a shorter term rests on (e.g. "59-FZ art. 12 ч.1.1", a regional law); with termDays below
     * the law's 30. Added in schema version 2 (law pass): absent on older events.
     */
    termBasis?: string;
    /** electronic appeals: the route it came by (ELECTRONIC_ROUTES); absent on older events */
    electronicRoute?: ElectronicRoute;
    /**
     * The last day to register it (art. 8 ч.2: receivedAt + 3 calendar days, a day off moved to the
     * next working day) and whether registeredAt is after it (registration-term.ts). Absent on older events: see
     * `registeredLateOf`.
     */
    registrationDueDate?: IsoDate;
    registeredLate?: boolean;
  };
}

export interface ExecutorAssigned {
  type: 'ExecutorAssigned';
  data: { executor: Executor; department: string; instructions?: string; assignedAt: string };
}

export interface ExecutorReassigned {
  type: 'ExecutorReassigned';
  data: {
    executor: Executor;
    department: string;
    previousExecutor: Executor;
    previousDepartment: string;
    instructions?: string;
    assignedAt: string;
  };
}

export interface DeadlineExtended {
  type: 'DeadlineExtended';
  data: {
    days: number;
    reason: string;
    extendedAt: string;
    previousDueDate: IsoDate;
    nominalDueDate: IsoDate;
    dueDate: IsoDate;
    /** total days of extension so far, this one included (≤ 30) */
    totalExtensionDays: number;
    /** who decided the extension (art. 12 ч.2: the head or an authorised official); absent on older events */
    decidedBy?: Official;
    /** when the applicant was notified of the extension (art. 12 ч.2); absent when not recorded */
    applicantNotifiedAt?: string;
  };
}

export interface InterimAnswerSent {
  type: 'InterimAnswerSent';
  data: { sentAt: string; summary: string; finalAnswerBy?: IsoDate } & AnswerDocumentFields;
}

export interface FinalAnswerSent {
  type: 'FinalAnswerSent';
  data: {
    sentAt: string;
    summary: string;
    results: { questionCode: string; result: FinalQuestionResult; measuresTaken?: boolean }[];
    onSiteVisit?: boolean;
    /** sent after the due date in force at that moment */
    late: boolean;
    dueDate: IsoDate;
  } & AnswerDocumentFields;
}

export interface AnswerReturnedForRework {
  type: 'AnswerReturnedForRework';
  data: { reason: string; returnedAt: string };
}

export interface AppealForwardedByCompetence {
  type: 'AppealForwardedByCompetence';
  data: {
    to: string;
    sentAt: string;
    reference?: string;
    /**
     * The questions forwarded (59-FZ art. 8 ч.3: those outside the body's competence). Absent —
     * as in every event recorded before per-question forwarding — means every question still in work.
     */
    questionCodes?: string[];
    /** the last day of the 7-day term of art. 8 ч.3 (absent in older events) */
    forwardDueDate?: IsoDate;
    /** sent after `forwardDueDate` (absent in older events: not judged) */
    forwardedLate?: boolean;
    /** when the applicant was notified of the forwarding (art. 8 ч.3) */
    applicantNotifiedAt?: string;
  };
}

/** Grounds on which an appeal is left without an answer on the merits (59-FZ art. 11). */
export const WITHOUT_ANSWER_GROUNDS = [
  'anonymous',
  'obscene',
  'unreadable',
  'unclear_essence',
  'state_secret',
  'answer_published',
  'court_decision',
  'correspondence_terminated',
] as const;
export type WithoutAnswerGround = (typeof WITHOUT_ANSWER_GROUNDS)[number];

/**
 * The appeal is left without an answer on the merits (59-FZ art. 11 ч.1–4.1, 5.1, 6; for
 * `court_decision` it is returned with an explanation, ч.2): every question still in work becomes
 * `left_without_answer` and the appeal leaves control. `notice.text` is free text (sealed).
 */
export interface AppealLeftWithoutAnswer {
  type: 'AppealLeftWithoutAnswer';
  data: {
    ground: WithoutAnswerGround;
    decidedAt: string;
    notice?: { sentAt: string; text: string };
    /** the address of the published answer (`answer_published`) or another reference */
    link?: string;
    /** the last day for the notice where the law sets a term (registration + 7 days, or the appeal's term) */
    noticeDueDate?: IsoDate;
    /** the notice was sent after `noticeDueDate` */
    noticeLate?: boolean;
    /**
     * ground `correspondence_terminated` (art. 11 ч.5): the appeal on which the head's decision to
     * terminate correspondence was recorded (`CorrespondenceTerminated`). Absent on other grounds and
     * on events recorded before the ground existed.
     */
    terminationAppealId?: string;
  };
}

/**
 * The head of the body (or an authorised official) found this appeal unfounded and terminated
 * correspondence with its applicant on these questions (59-FZ art. 11 ч.5): the applicant had
 * repeatedly been given written answers on the merits on them (`earlierAppealIds`, each answered on
 * the merits on at least one of the codes, at least two per code) and the appeal brings no new
 * arguments or circumstances. Later appeals of the same applicant (blind index) on one of the codes
 * are flagged and may be left without answer on ground `correspondence_terminated`. `grounds` and
 * `notice.text` are free text (sealed). A new event type (issue 15): streams without it fold as before.
 */
export interface CorrespondenceTerminated {
  type: 'CorrespondenceTerminated';
  data: {
    decidedBy: Official;
    decidedAt: string;
    questionCodes: string[];
    earlierAppealIds: string[];
    grounds: string;
    /** the applicant's notice of the decision (art. 11 ч.5), when recorded with it */
    notice?: { sentAt: string; text: string };
  };
}

export interface AppealWithdrawn {
  type: 'AppealWithdrawn';
  data: { withdrawnAt: string; reason?: string };
}

export interface AppealRemovedFromControl {
  type: 'AppealRemovedFromControl';
  data: { closedAt: string };
}

export interface DeadlineReminderIssued {
  type: 'DeadlineReminderIssued';
  data: {
    reminderId: string;
    kind: ReminderKind;
    /** the term's end in force (term kinds), or `source.reportBackBy` (report-back kinds) */
    dueDate: IsoDate;
    /** the administration-local date the reminder is for */
    businessDate: IsoDate;
    issuedAt: string;
    department?: string;
    executor?: Executor;
    /**
     * A reminder to a co-executor of their part (issue 14): `dueDate` is the part's term,
     * `department` and `executor` are the co-executor's. Absent: the appeal's own reminder.
     */
    coExecutor?: { id: string; name: string; department: string };
  };
}

/**
 * A request for documents and materials sent to another body (59-FZ art. 10 part 2), which must reply
 * within 15 days. Added in schema version 1 of the engine's events; streams without it fold as before.
 */
export interface DocumentsRequested {
  type: 'DocumentsRequested';
  data: {
    requestId: string;
    to: string;
    sentAt: string;
    reference?: string;
    /** the local date of sentAt plus 15 calendar days */
    replyDueDate: IsoDate;
  };
}

/** The body's reply to a document request. */
export interface DocumentsReceived {
  type: 'DocumentsReceived';
  data: { requestId: string; receivedAt: string };
}

/** What an appeal is to an earlier one of the same applicant on the same question (59-FZ). */
export const RELATION_KINDS = ['repeat', 'duplicate'] as const;
export type RelationKind = (typeof RELATION_KINDS)[number];

/**
 * The registrar confirmed that this appeal is a repeat of an earlier one (same applicant, same
 * question, after the earlier one was answered or its term expired) or a duplicate of one still under
 * consideration (another copy of it; answered once with it). Issue 15; streams without it fold as before.
 */
export interface RelatedAppealConfirmed {
  type: 'RelatedAppealConfirmed';
  data: {
    relatedAppealId: string;
    kind: RelationKind;
    decidedAt: string;
    /**
     * A duplicate confirmed while it had no answer of its own and was on control: it leaves control
     * joined to its original and is answered with it (AnsweredWithOriginal). Written only as true,
     * from decision 0008 on; absent on older events, whose duplicates stayed on control.
     */
    joined?: boolean;
  };
}

/** The registrar rejected the proposed relation (or undid a confirmed one). */
export interface RelatedAppealRejected {
  type: 'RelatedAppealRejected';
  data: { relatedAppealId: string; kind: RelationKind; decidedAt: string };
}

/** How the original's consideration ended, which ended its duplicate's (decision 0008). */
export const ORIGINAL_OUTCOMES = ['answered', 'forwarded', 'left_without_answer', 'withdrawn'] as const;
export type OriginalOutcome = (typeof ORIGINAL_OUTCOMES)[number];

/**
 * A confirmed duplicate was answered once with its original (59-FZ; issue 15): recorded by the
 * engine's duplicate process when the original is closed — removed from control after its final
 * answer (`answered`, with that answer's date and outgoing document), forwarded whole, left without
 * an answer on the merits, or withdrawn. The duplicate is closed. Streams without it fold as before.
 */
export interface AnsweredWithOriginal {
  type: 'AnsweredWithOriginal';
  data: {
    originalAppealId: string;
    originalNumber: string;
    outcome: OriginalOutcome;
    /** when the original was closed */
    closedAt: string;
    /** the original's final answer in force (outcome `answered`): when it was sent, its outgoing document */
    answer?: { sentAt: string; outgoingNumber?: string; outgoingDate?: IsoDate };
    /** when the engine recorded it */
    recordedAt: string;
  };
}

// ---- Answer document, control by the sending body, further control (59-FZ art. 10 ч.4; issue 14) ----

export const ANSWER_DELIVERIES = ['post', 'email', 'epgu', 'in_person'] as const;
/** How the answer went to the applicant: by post, by e-mail, through ЕПГУ, or handed over in person. */
export type AnswerDelivery = (typeof ANSWER_DELIVERIES)[number];

export interface Signatory {
  name: string;
  position: string;
}

/**
 * The answer as a registered outgoing document (59-FZ art. 10 ч.4: signed by the head or an authorised
 * person). Optional on the events: answers recorded before these fields existed fold unchanged; when
 * present, all four are present together.
 */
export interface AnswerDocumentFields {
  outgoingNumber?: string;
  outgoingDate?: IsoDate;
  signedBy?: Signatory;
  delivery?: AnswerDelivery;
}

/** The result was reported to the body that sent the appeal and asked for it (`source.reportBackBy`). */
export interface ReportedToSource {
  type: 'ReportedToSource';
  data: {
    sentAt: string;
    reference: string;
    /** the date the sending body asked for */
    reportBackBy: IsoDate;
    /** the report's local date is after `reportBackBy` */
    late: boolean;
  };
}

/** An answered appeal stays on control until the measures promised in the answer are taken. */
export interface FurtherControlSet {
  type: 'FurtherControlSet';
  /** `setAt`: when it was decided (an instant); its local date starts the further control */
  data: { until: IsoDate; reason: string; setAt: string };
}

/** The measures the further control waited for are completed; the appeal may be removed from control. */
export interface MeasuresCompleted {
  type: 'MeasuresCompleted';
  data: { completedAt: string };
}

// ---- The head's resolution with co-executors, and their contributions (issue 14; practice of the СЭД) ----

/** A co-executor named in a resolution: prepares a part of the answer for the responsible executor. */
export interface CoExecutor {
  id: string;
  name: string;
  department: string;
  /** the part's own term (not after the appeal's due date); absent: the appeal's due date */
  dueDate?: IsoDate;
}

/** The executor a resolution makes responsible (ответственный исполнитель): the one who answers. */
export interface ResponsibleExecutor {
  id: string;
  name: string;
  department: string;
}

/**
 * The head's resolution (резолюция) on the appeal: who is responsible for the answer and which
 * co-executors (соисполнители) prepare parts of it. Office practice (ГОСТ Р 7.0.97-2016, реквизит «резолюция»;
 * «Дело», Directum RX, 1С:Документооборот), not a 59-FZ norm. Recorded together with the assignment of
 * the responsible executor (ExecutorAssigned/ExecutorReassigned just before it, when that changes);
 * a later resolution replaces the co-executors. Streams without it fold as before.
 */
export interface ResolutionRecorded {
  type: 'ResolutionRecorded';
  data: {
    author: Official;
    text: string;
    decidedAt: string;
    responsible: ResponsibleExecutor;
    coExecutors: CoExecutor[];
    /** the internal term set for the responsible executor (not after the appeal's due date) */
    internalDueDate?: IsoDate;
  };
}

/** A co-executor's part (доклад соисполнителя) sent to the responsible executor. */
export interface ContributionRecorded {
  type: 'ContributionRecorded';
  data: {
    coExecutor: { id: string; name: string; department: string };
    text: string;
    sentAt: string;
    /** the part's term in force when it was sent (its own, or the appeal's due date) */
    dueDate: IsoDate;
    /** sent after `dueDate` */
    late: boolean;
  };
}

// ---- The applicant's additional materials (59-FZ art. 5 п.1) ----

/**
 * The applicant presented additional documents and materials to the appeal under consideration
 * (59-FZ art. 5 п.1); they are attached to it. `description` (what was presented) is free text, sealed
 * when stored (EVENT_FREE_TEXT). Streams without it fold as before.
 */
export interface ApplicantMaterialsReceived {
  type: 'ApplicantMaterialsReceived';
  data: {
    /** when they were received (business time) */
    receivedAt: string;
    description: string;
    /** the number of sheets, when counted */
    pages?: number;
  };
}

export type AppealEvent =
  | AppealRegistered
  | ExecutorAssigned
  | ExecutorReassigned
  | DeadlineExtended
  | InterimAnswerSent
  | FinalAnswerSent
  | AnswerReturnedForRework
  | AppealForwardedByCompetence
  | AppealWithdrawn
  | AppealRemovedFromControl
  | DeadlineReminderIssued
  | DocumentsRequested
  | DocumentsReceived
  | AppealLeftWithoutAnswer
  | RelatedAppealConfirmed
  | RelatedAppealRejected
  | AnsweredWithOriginal
  | ReportedToSource
  | FurtherControlSet
  | MeasuresCompleted
  | CorrespondenceTerminated
  | ResolutionRecorded
  | ContributionRecorded
  | ApplicantMaterialsReceived;

export type AppealEventType = AppealEvent['type'];

/** The read models that fold appeal events into rows (libs/projections), by name. */
export const READ_MODELS = ['control', 'statistics', 'sstu'] as const;
export type ReadModel = (typeof READ_MODELS)[number];

/**
 * Every event type, with the read models it changes. A read model's fold handles exactly the events
 * that name it — an exhaustive `switch` over `ReadModelEvent<M>` — and passes the others by unread:
 * an event no read model shows names none here and no projection changes. A record over the union:
 * an event type missing here (or one not in the union) fails to compile, and naming a read model
 * fails to compile until that read model's switch has the case.
 */
const EVENT_READ_MODELS = {
  AppealRegistered: ['control', 'statistics', 'sstu'],
  ExecutorAssigned: ['control'],
  ExecutorReassigned: ['control'],
  DeadlineExtended: ['control', 'statistics', 'sstu'],
  InterimAnswerSent: ['control'],
  FinalAnswerSent: ['control', 'statistics', 'sstu'],
  AnswerReturnedForRework: ['control', 'statistics', 'sstu'],
  AppealForwardedByCompetence: ['control', 'statistics', 'sstu'],
  AppealWithdrawn: ['control', 'statistics', 'sstu'],
  AppealRemovedFromControl: ['control'],
  DeadlineReminderIssued: ['control'],
  // a document request does not move the term (an extension does) nor settle a question
  DocumentsRequested: [],
  DocumentsReceived: [],
  // questions left without answer, the appeal off control (59-FZ art. 11)
  AppealLeftWithoutAnswer: ['control', 'statistics', 'sstu'],
  // a confirmed duplicate counts only as a duplicate, a confirmed repeat as a repeat (issue 15)
  // …and a joined duplicate leaves control until rejected (decision 0008)
  // …and a joined duplicate is reported to ССТУ with its original's results (docs/sstu.md)
  RelatedAppealConfirmed: ['control', 'statistics', 'sstu'],
  RelatedAppealRejected: ['control', 'statistics', 'sstu'],
  // the duplicate is closed with its original; counted only as a duplicate, so not in statistics;
  // ССТУ: a duplicate that was not joined takes the outcome on its own record (a joined one is
  // reported with its original's results already)
  AnsweredWithOriginal: ['control', 'sstu'],
  // issue 14: the report to the sending body and further control show on /control; both are counted
  ReportedToSource: ['control', 'statistics'],
  FurtherControlSet: ['control', 'statistics'],
  MeasuresCompleted: ['control'],
  // art. 11 ч.5: a decision on the applicant's later appeals; its read model is the applicant index's
  // `terminations` (apps/api applicant-matching), not a fold of libs/projections
  CorrespondenceTerminated: [],
  // issue 14: co-executors show on /control; appeals with co-executors are counted ("co-executed")
  ResolutionRecorded: ['control', 'statistics'],
  ContributionRecorded: ['control'],
  // 59-FZ art. 5 п.1: materials attached to the appeal move no term and settle no question
  ApplicantMaterialsReceived: [],
} as const satisfies Record<AppealEventType, readonly ReadModel[]>;

/** Every appeal event type, derived from the `AppealEvent` union (in declaration order). */
export const APPEAL_EVENT_TYPES = Object.keys(EVENT_READ_MODELS) as readonly AppealEventType[];

/** The event types read model `M` changes with. */
export type ReadModelEventType<M extends ReadModel> = {
  [T in AppealEventType]: M extends (typeof EVENT_READ_MODELS)[T][number] ? T : never;
}[AppealEventType];
export type ReadModelEvent<M extends ReadModel> = Extract<AppealEvent, { type: ReadModelEventType<M> }>;

/** Whether `event` changes read model `model` (the events that do not, its fold passes by). */
export function changesReadModel<M extends ReadModel>(
  model: M,
  event: AppealEvent,
): event is ReadModelEvent<M> {
  const models: readonly ReadModel[] = EVENT_READ_MODELS[event.type];
  return models.includes(model);
}

/** The event types read model `model` changes with, in declaration order. */
export function readModelEventTypes<M extends ReadModel>(model: M): readonly ReadModelEventType<M>[] {
  return APPEAL_EVENT_TYPES.filter((type): type is ReadModelEventType<M> => {
    const models: readonly ReadModel[] = EVENT_READ_MODELS[type];
    return models.includes(model);
  });
}

/** The data of events of type `T`. */
export type AppealEventData<T extends AppealEventType> = Extract<AppealEvent, { type: T }>['data'];

type TextKeys<D> = {
  [K in keyof D & string]-?: NonNullable<D[K]> extends string ? K : never;
}[keyof D & string];

/**
 * Where an event's data holds free text: a string field (`summary`), one a level down in an object
 * (`notice.text`), or in each item of a list (`questions[].summary`). Only paths to string fields of
 * that event's data type-check.
 */
export type FreeTextPath<D> =
  | TextKeys<D>
  | {
      [K in keyof D & string]-?: NonNullable<D[K]> extends readonly (infer I)[]
        ? `${K}[].${TextKeys<I>}`
        : NonNullable<D[K]> extends string
          ? never
          : NonNullable<D[K]> extends object
            ? `${K}.${TextKeys<NonNullable<D[K]>>}`
            : never;
    }[keyof D & string];

/**
 * Every event type, with its free-text fields: what citizens and officials write in words (summaries,
 * answers, reasons, instructions, notices) is personal data (152-FZ: passport numbers, diagnoses,
 * family matters). The API seals these fields under the appeal's key when it stores an event and opens
 * them for readers allowed to see personal data (apps/api personal-data/free-text.ts); the machine's
 * context keeps none of them. A record over the union: an event type missing here fails to compile,
 * and so does a path that is not a string field of its data. `[]`: the event holds no free text.
 */
export const EVENT_FREE_TEXT = {
  AppealRegistered: ['summary', 'questions[].summary'],
  ExecutorAssigned: ['instructions'],
  ExecutorReassigned: ['instructions'],
  DeadlineExtended: ['reason'],
  InterimAnswerSent: ['summary'],
  FinalAnswerSent: ['summary'],
  AnswerReturnedForRework: ['reason'],
  AppealForwardedByCompetence: [],
  AppealWithdrawn: ['reason'],
  AppealRemovedFromControl: [],
  DeadlineReminderIssued: [],
  DocumentsRequested: [],
  DocumentsReceived: [],
  AppealLeftWithoutAnswer: ['notice.text'],
  RelatedAppealConfirmed: [],
  RelatedAppealRejected: [],
  AnsweredWithOriginal: [],
  ReportedToSource: [],
  // what the further control waits for (shown in the summary: opened by AppealSummaryRenderer)
  FurtherControlSet: ['reason'],
  MeasuresCompleted: [],
  CorrespondenceTerminated: ['grounds', 'notice.text'],
  // issue 14: the head's resolution and a co-executor's part
  ResolutionRecorded: ['text'],
  ContributionRecorded: ['text'],
  ApplicantMaterialsReceived: ['description'],
} as const satisfies { readonly [T in AppealEventType]: readonly FreeTextPath<AppealEventData<T>>[] };

/** Stream of one appeal in the event store. */
export const appealStreamId = (appealId: string): string => `appeal-${appealId}`;
export const APPEAL_STREAM_PREFIX = 'appeal-';
