/**
 * The appeal's lifecycle as an XState v5 machine that folds domain events (facts) into state and the
 * context decisions need. Driven only by pure transitions (`initialTransition`, and `machine.transition` with one inert scope);
 * no running actors, no effects.
 */
import {
  assertEvent,
  assign,
  createActor,
  getNextTransitions,
  initialTransition,
  setup,
  type ActorScope,
  type EventObject,
  type SnapshotFrom,
} from 'xstate';
import type {
  AnswerDocumentFields,
  AppealEvent,
  AppealEventType,
  AppealKind,
  Applicant,
  Channel,
  ElectronicRoute,
  Executor,
  Form,
  IsoDate,
  NonWorkingDayRule,
  OriginalOutcome,
  QuestionResult,
  Reception,
  ReminderKind,
  Source,
  WithoutAnswerGround,
} from './events/appeal.events';
import { registeredLateOf } from './registration-term';

/** The five states of a registered appeal (the API's `state`); the machine's states are checked against it. */
export const APPEAL_STATUSES = [
  'registered',
  'assigned',
  'interim_answered',
  'final_answered',
  'closed',
] as const;
export type AppealStatus = (typeof APPEAL_STATUSES)[number];

/** Machine states: the five above plus `unregistered`, where a stream with no events starts. */
export type AppealMachineState = 'unregistered' | AppealStatus;

export interface QuestionState {
  code: string;
  summary?: string;
  result: QuestionResult;
  measuresTaken?: boolean;
  /** forwarded by competence (art. 8 ч.3): keeps `forwarded` through a rework */
  forwarded?: boolean;
}

export interface FinalAnswerFacts {
  sentAt: string;
  dueDate: IsoDate;
  late: boolean;
  onSiteVisit?: boolean;
  /** the answer's outgoing document (art. 10 ч.4), when it was recorded */
  document?: AnswerDocument;
}

/** An answer's outgoing document: all four fields, recorded together. */
export type AnswerDocument = Required<AnswerDocumentFields>;

/** The answer document of an answer event, or undefined when it has none (answers recorded before it existed). */
export function answerDocumentOf(data: AnswerDocumentFields): AnswerDocument | undefined {
  const { outgoingNumber, outgoingDate, signedBy, delivery } = data;
  if (
    outgoingNumber === undefined ||
    outgoingDate === undefined ||
    signedBy === undefined ||
    delivery === undefined
  )
    return undefined;
  return {
    outgoingNumber,
    outgoingDate,
    signedBy: { name: signedBy.name, position: signedBy.position },
    delivery,
  };
}

export interface IssuedReminder {
  reminderId: string;
  kind: ReminderKind;
  dueDate: IsoDate;
  businessDate: IsoDate;
  /** a co-executor's reminder of their part (issue 14) */
  coExecutorId?: string;
}

/** A request for documents to another body and, once it came, the date of its reply. */
export interface DocumentRequestState {
  requestId: string;
  to: string;
  sentAt: string;
  reference?: string;
  replyDueDate: IsoDate;
  receivedAt: string | null;
}

/**
 * Additional materials the applicant presented (59-FZ art. 5 п.1): when and how many sheets. What they
 * are is free text (personal data, sealed when stored): the history shows it, the state keeps none.
 */
export interface ApplicantMaterialsState {
  receivedAt: string;
  pages: number | null;
}

/** A forwarding by competence as the decider and the summary need it (59-FZ art. 8 ч.3). */
export interface ForwardingState {
  to: string;
  sentAt: string;
  questionCodes: string[];
  /** undefined: recorded before the 7-day term was judged */
  forwardedLate?: boolean;
  applicantNotifiedAt?: string;
}

/** The report of the result owed to the sending body (`source.reportBackBy`) and, once sent, when. */
export interface SourceReportState {
  reportBackBy: IsoDate;
  sentAt: string | null;
  reference: string | null;
  late: boolean | null;
}

/** Further control after the answer ("до принятия мер"): until when, why, and when the measures were completed. */
export interface FurtherControlState {
  until: IsoDate;
  reason: string;
  completedAt: string | null;
}

/** The head's decision recorded on this appeal to terminate correspondence on its questions (art. 11 ч.5). */
export interface CorrespondenceTerminationState {
  decidedBy: { name: string; position: string };
  decidedAt: string;
  questionCodes: string[];
  earlierAppealIds: string[];
  noticeSentAt: string | null;
}

/**
 * The head's resolution in force (issue 14): its author, responsible executor and internal term. Its
 * text is free text (personal data, sealed when stored): the history shows it, the state keeps none.
 */
export interface ResolutionState {
  author: { name: string; position: string };
  decidedAt: string;
  responsible: { id: string; name: string; department: string };
  internalDueDate: IsoDate | null;
}

/** A co-executor of the resolution in force and, once they sent their part, when (the first one). */
export interface CoExecutorState {
  id: string;
  name: string;
  department: string;
  /** the part's own term; null: the appeal's due date */
  dueDate: IsoDate | null;
  contributedAt: string | null;
  contributions: number;
}

export type ClosedReason =
  | 'removed_from_control'
  | 'forwarded'
  | 'withdrawn'
  | 'left_without_answer'
  /** a confirmed duplicate, closed with its original (decision 0008) */
  | 'answered_with_original';

/** How a duplicate was answered with its original (AnsweredWithOriginal; decision 0008). */
export interface AnsweredWithOriginalFacts {
  originalAppealId: string;
  originalNumber: string;
  outcome: OriginalOutcome;
  /** when the original was closed */
  closedAt: string;
  /** the original's final answer (outcome `answered`): when sent, its outgoing number and date if recorded */
  answer: { sentAt: string; outgoingNumber: string | null; outgoingDate: IsoDate | null } | null;
}

/** What the decider and the summary need; everything else stays in the events. */
export interface AppealContext {
  appealId: string;
  number: string;
  receivedAt: IsoDate;
  registeredAt: IsoDate;
  channel: Channel;
  form: Form;
  kind: AppealKind;
  source: Source;
  applicants: Applicant[];
  questions: QuestionState[];
  territory?: string;
  summary?: string;
  reception?: Reception;
  repeatOf?: string;
  repeat: boolean;
  /** the appeal this one is a confirmed duplicate of (answered once with it; issue 15) */
  duplicateOf?: string;
  /**
   * The original this duplicate is joined to: it left control at confirmation and waits to be
   * answered with it (decision 0008); cleared when the relation is rejected or replaced.
   */
  joinedTo?: string;
  /** the duplicate was answered with its original (and closed) */
  answeredWithOriginal: AnsweredWithOriginalFacts | null;
  collective: boolean;
  anonymous: boolean;
  termDays: number;
  /** the norm of a shorter term (absent: the law's 30 days or the configured default) */
  termBasis?: string;
  electronicRoute?: ElectronicRoute;
  /** registered after art. 8 ч.2's three days (registration-term.ts) */
  registeredLate: boolean;
  rule: NonWorkingDayRule;
  nominalDueDate: IsoDate;
  dueDate: IsoDate;
  totalExtensionDays: number;
  executor: Executor | null;
  department: string | null;
  interimAnswers: number;
  finalAnswer: FinalAnswerFacts | null;
  reworks: number;
  onControl: boolean;
  forwarded: boolean;
  withdrawn: boolean;
  closedReason: ClosedReason | null;
  closedAt: string | null;
  reminders: IssuedReminder[];
  documentRequests: DocumentRequestState[];
  /** the applicant's additional materials, in the order received (art. 5 п.1) */
  applicantMaterials: ApplicantMaterialsState[];
  /** an anonymous appeal reporting an offence (art. 11 ч.1) */
  reportsOffence: boolean;
  forwardings: ForwardingState[];
  /** the ground it was left without an answer on (art. 11) */
  withoutAnswerGround: WithoutAnswerGround | null;
  /** null unless the sending body asked for the result */
  sourceReport: SourceReportState | null;
  /** the latest further control, null when none was set (or the answer was returned for rework) */
  furtherControl: FurtherControlState | null;
  /** the decision to terminate correspondence recorded on this appeal (art. 11 ч.5), or null */
  correspondenceTermination: CorrespondenceTerminationState | null;
  /** the head's resolution in force; null when none was recorded (issue 14) */
  resolution: ResolutionState | null;
  /** its co-executors (empty without a resolution) */
  coExecutors: CoExecutorState[];
}

// Placeholder values before AppealRegistered; never exposed (AppealState hides them for `unregistered`).
const UNREGISTERED: AppealContext = {
  appealId: '',
  number: '',
  receivedAt: '',
  registeredAt: '',
  channel: 'written',
  form: 'written',
  kind: 'application',
  source: { type: 'direct' },
  applicants: [],
  questions: [],
  repeat: false,
  answeredWithOriginal: null,
  collective: false,
  anonymous: false,
  termDays: 0,
  registeredLate: false,
  rule: 'preceding',
  nominalDueDate: '',
  dueDate: '',
  totalExtensionDays: 0,
  executor: null,
  department: null,
  interimAnswers: 0,
  finalAnswer: null,
  reworks: 0,
  onControl: false,
  forwarded: false,
  withdrawn: false,
  closedReason: null,
  closedAt: null,
  reminders: [],
  documentRequests: [],
  applicantMaterials: [],
  reportsOffence: false,
  forwardings: [],
  withoutAnswerGround: null,
  sourceReport: null,
  furtherControl: null,
  correspondenceTermination: null,
  resolution: null,
  coExecutors: [],
};

/** The codes an AppealForwardedByCompetence forwards: its list, or (older events) every question not yet forwarded. */
function forwardedCodes(context: AppealContext, codes: readonly string[] | undefined): Set<string> {
  return new Set(codes ?? context.questions.filter((q) => q.forwarded !== true).map((q) => q.code));
}

export const appealMachine = setup({
  types: {
    context: {} as AppealContext,
    events: {} as AppealEvent,
  },
  guards: {
    hadInterimAnswer: ({ context }) => context.interimAnswers > 0,
    // Forwarding every question still kept ends consideration here; a part keeps the appeal on control.
    forwardsEveryKeptQuestion: ({ context, event }) => {
      assertEvent(event, 'AppealForwardedByCompetence');
      const codes = forwardedCodes(context, event.data.questionCodes);
      return context.questions.every((q) => q.forwarded === true || codes.has(q.code));
    },
  },
  actions: {
    register: assign(({ event }) => {
      assertEvent(event, 'AppealRegistered');
      const d = event.data;
      return {
        appealId: d.appealId,
        number: d.number,
        receivedAt: d.receivedAt,
        registeredAt: d.registeredAt,
        channel: d.channel,
        form: d.form,
        kind: d.kind,
        source: d.source,
        applicants: d.applicants,
        questions: d.questions.map((q) => ({ code: q.code, summary: q.summary, result: 'in_work' as const })),
        territory: d.territory,
        summary: d.summary,
        reception: d.reception,
        repeatOf: d.repeatOf,
        repeat: d.repeatOf !== undefined,
        collective: d.collective,
        anonymous: d.anonymous,
        termDays: d.termDays,
        termBasis: d.termBasis,
        electronicRoute: d.electronicRoute,
        registeredLate: registeredLateOf(d),
        rule: d.nonWorkingDayRule,
        nominalDueDate: d.nominalDueDate,
        dueDate: d.dueDate,
        // Every registered appeal needing consideration is under control until removed (docs/domain.md);
        // an anonymous one gets no answer (art. 11 ч.1) and is registered off control.
        onControl: d.onControl !== false,
        reportsOffence: d.reportsOffence === true,
        sourceReport:
          d.source.reportBackBy !== undefined
            ? { reportBackBy: d.source.reportBackBy, sentAt: null, reference: null, late: null }
            : null,
      };
    }),
    reportToSource: assign(({ event }) => {
      assertEvent(event, 'ReportedToSource');
      const d = event.data;
      return {
        sourceReport: {
          reportBackBy: d.reportBackBy,
          sentAt: d.sentAt,
          reference: d.reference,
          late: d.late,
        },
      };
    }),
    setFurtherControl: assign(({ event }) => {
      assertEvent(event, 'FurtherControlSet');
      return { furtherControl: { until: event.data.until, reason: event.data.reason, completedAt: null } };
    }),
    completeMeasures: assign(({ context, event }) => {
      assertEvent(event, 'MeasuresCompleted');
      return {
        furtherControl: context.furtherControl
          ? { ...context.furtherControl, completedAt: event.data.completedAt }
          : null,
      };
    }),
    recordResolution: assign(({ context, event }) => {
      assertEvent(event, 'ResolutionRecorded');
      const d = event.data;
      // a later resolution replaces the co-executors; one named again keeps what they sent
      const before = new Map(context.coExecutors.map((c) => [c.id, c]));
      return {
        resolution: {
          author: { name: d.author.name, position: d.author.position },
          decidedAt: d.decidedAt,
          responsible: { ...d.responsible },
          internalDueDate: d.internalDueDate ?? null,
        },
        coExecutors: d.coExecutors.map((c) => ({
          id: c.id,
          name: c.name,
          department: c.department,
          dueDate: c.dueDate ?? null,
          contributedAt: before.get(c.id)?.contributedAt ?? null,
          contributions: before.get(c.id)?.contributions ?? 0,
        })),
      };
    }),
    recordContribution: assign(({ context, event }) => {
      assertEvent(event, 'ContributionRecorded');
      const d = event.data;
      return {
        coExecutors: context.coExecutors.map((c) =>
          c.id === d.coExecutor.id
            ? { ...c, contributedAt: c.contributedAt ?? d.sentAt, contributions: c.contributions + 1 }
            : c,
        ),
      };
    }),
    setExecutor: assign(({ event }) => {
      assertEvent(event, ['ExecutorAssigned', 'ExecutorReassigned']);
      return { executor: event.data.executor, department: event.data.department };
    }),
    extendDeadline: assign(({ event }) => {
      assertEvent(event, 'DeadlineExtended');
      return {
        nominalDueDate: event.data.nominalDueDate,
        dueDate: event.data.dueDate,
        totalExtensionDays: event.data.totalExtensionDays,
      };
    }),
    recordReminder: assign(({ context, event }) => {
      assertEvent(event, 'DeadlineReminderIssued');
      const { reminderId, kind, dueDate, businessDate, coExecutor } = event.data;
      const reminder: IssuedReminder = {
        reminderId,
        kind,
        dueDate,
        businessDate,
        ...(coExecutor !== undefined && { coExecutorId: coExecutor.id }),
      };
      return { reminders: [...context.reminders, reminder] };
    }),
    recordInterimAnswer: assign(({ context, event }) => {
      assertEvent(event, 'InterimAnswerSent');
      return { interimAnswers: context.interimAnswers + 1 };
    }),
    recordFinalAnswer: assign(({ context, event }) => {
      assertEvent(event, 'FinalAnswerSent');
      const d = event.data;
      const byCode = new Map(d.results.map((r) => [r.questionCode, r]));
      return {
        questions: context.questions.map((q) => {
          const r = byCode.get(q.code);
          return r ? { ...q, result: r.result, measuresTaken: r.measuresTaken } : q;
        }),
        finalAnswer: {
          sentAt: d.sentAt,
          dueDate: d.dueDate,
          late: d.late,
          onSiteVisit: d.onSiteVisit,
          document: answerDocumentOf(d),
        },
      };
    }),
    reopenForRework: assign(({ context, event }) => {
      assertEvent(event, 'AnswerReturnedForRework');
      return {
        // a question forwarded by competence stays forwarded
        questions: context.questions.map((q) =>
          q.forwarded === true ? q : { code: q.code, summary: q.summary, result: 'in_work' as const },
        ),
        finalAnswer: null,
        reworks: context.reworks + 1,
        // further control belonged to the answer just withdrawn
        furtherControl: null,
      };
    }),
    forward: assign(({ context, event }) => {
      assertEvent(event, 'AppealForwardedByCompetence');
      return {
        questions: context.questions.map((q) => ({
          code: q.code,
          summary: q.summary,
          result: 'forwarded' as const,
          forwarded: true,
        })),
        forwardings: [...context.forwardings, forwardingOf(context, event.data)],
        onControl: false,
        forwarded: true,
        closedReason: 'forwarded' as const,
        closedAt: event.data.sentAt,
      };
    }),
    forwardPart: assign(({ context, event }) => {
      assertEvent(event, 'AppealForwardedByCompetence');
      const codes = forwardedCodes(context, event.data.questionCodes);
      return {
        questions: context.questions.map((q) =>
          codes.has(q.code)
            ? { code: q.code, summary: q.summary, result: 'forwarded' as const, forwarded: true }
            : q,
        ),
        forwardings: [...context.forwardings, forwardingOf(context, event.data)],
      };
    }),
    leaveWithoutAnswer: assign(({ context, event }) => {
      assertEvent(event, 'AppealLeftWithoutAnswer');
      return {
        questions: context.questions.map((q) =>
          q.forwarded === true
            ? q
            : { code: q.code, summary: q.summary, result: 'left_without_answer' as const },
        ),
        onControl: false,
        withoutAnswerGround: event.data.ground,
        closedReason: 'left_without_answer' as const,
        closedAt: event.data.decidedAt,
      };
    }),
    withdraw: assign(({ event }) => {
      assertEvent(event, 'AppealWithdrawn');
      return {
        onControl: false,
        withdrawn: true,
        closedReason: 'withdrawn' as const,
        closedAt: event.data.withdrawnAt,
      };
    }),
    requestDocuments: assign(({ context, event }) => {
      assertEvent(event, 'DocumentsRequested');
      const { requestId, to, sentAt, reference, replyDueDate } = event.data;
      const request: DocumentRequestState = {
        requestId,
        to,
        sentAt,
        ...(reference !== undefined && { reference }),
        replyDueDate,
        receivedAt: null,
      };
      return { documentRequests: [...context.documentRequests, request] };
    }),
    receiveDocuments: assign(({ context, event }) => {
      assertEvent(event, 'DocumentsReceived');
      const { requestId, receivedAt } = event.data;
      return {
        documentRequests: context.documentRequests.map((r) =>
          r.requestId === requestId ? { ...r, receivedAt } : r,
        ),
      };
    }),
    receiveApplicantMaterials: assign(({ context, event }) => {
      assertEvent(event, 'ApplicantMaterialsReceived');
      const { receivedAt, pages } = event.data;
      return { applicantMaterials: [...context.applicantMaterials, { receivedAt, pages: pages ?? null }] };
    }),
    confirmRelated: assign(({ context, event }) => {
      assertEvent(event, 'RelatedAppealConfirmed');
      const { relatedAppealId: id, kind, joined } = event.data;
      // One relation per pair: confirming one kind drops the other for the same earlier appeal.
      return kind === 'repeat'
        ? {
            repeatOf: id,
            repeat: true,
            duplicateOf: context.duplicateOf === id ? undefined : context.duplicateOf,
            ...unjoin(context, id),
          }
        : {
            duplicateOf: id,
            ...(context.repeatOf === id && { repeatOf: undefined, repeat: false }),
            // a joined duplicate leaves control: its original is the one on control (decision 0008)
            ...(joined === true && { joinedTo: id, onControl: false }),
          };
    }),
    rejectRelated: assign(({ context, event }) => {
      assertEvent(event, 'RelatedAppealRejected');
      const id = event.data.relatedAppealId;
      return {
        ...(context.repeatOf === id && { repeatOf: undefined, repeat: false }),
        ...(context.duplicateOf === id && { duplicateOf: undefined }),
        ...unjoin(context, id),
      };
    }),
    answerWithOriginal: assign(({ context, event }) => {
      assertEvent(event, 'AnsweredWithOriginal');
      const d = event.data;
      const result: QuestionResult | null =
        d.outcome === 'answered'
          ? 'answered'
          : d.outcome === 'forwarded'
            ? 'forwarded'
            : d.outcome === 'left_without_answer'
              ? 'left_without_answer'
              : null;
      return {
        // the questions still in work got the original's answer (a withdrawal answers none)
        questions: context.questions.map((q) =>
          result !== null && q.result === 'in_work' ? { ...q, result } : q,
        ),
        answeredWithOriginal: {
          originalAppealId: d.originalAppealId,
          originalNumber: d.originalNumber,
          outcome: d.outcome,
          closedAt: d.closedAt,
          answer: d.answer
            ? {
                sentAt: d.answer.sentAt,
                outgoingNumber: d.answer.outgoingNumber ?? null,
                outgoingDate: d.answer.outgoingDate ?? null,
              }
            : null,
        },
        joinedTo: undefined,
        onControl: false,
        closedReason: 'answered_with_original' as const,
        closedAt: d.closedAt,
      };
    }),
    terminateCorrespondence: assign(({ event }) => {
      assertEvent(event, 'CorrespondenceTerminated');
      const d = event.data;
      return {
        correspondenceTermination: {
          decidedBy: { name: d.decidedBy.name, position: d.decidedBy.position },
          decidedAt: d.decidedAt,
          questionCodes: [...d.questionCodes],
          earlierAppealIds: [...d.earlierAppealIds],
          noticeSentAt: d.notice?.sentAt ?? null,
        },
      };
    }),
    removeFromControl: assign(({ event }) => {
      assertEvent(event, 'AppealRemovedFromControl');
      return {
        onControl: false,
        closedReason: 'removed_from_control' as const,
        closedAt: event.data.closedAt,
      };
    }),
  },
}).createMachine({
  id: 'appeal',
  initial: 'unregistered',
  context: UNREGISTERED,
  states: {
    unregistered: {
      on: { AppealRegistered: { target: 'registered', actions: 'register' } },
    },
    registered: {
      on: {
        ReportedToSource: { actions: 'reportToSource' },
        ExecutorAssigned: { target: 'assigned', actions: 'setExecutor' },
        DeadlineExtended: { actions: 'extendDeadline' },
        DeadlineReminderIssued: { actions: 'recordReminder' },
        DocumentsRequested: { actions: 'requestDocuments' },
        DocumentsReceived: { actions: 'receiveDocuments' },
        ApplicantMaterialsReceived: { actions: 'receiveApplicantMaterials' },
        AppealForwardedByCompetence: [
          { guard: 'forwardsEveryKeptQuestion', target: 'closed', actions: 'forward' },
          { actions: 'forwardPart' },
        ],
        AppealLeftWithoutAnswer: { target: 'closed', actions: 'leaveWithoutAnswer' },
        AppealWithdrawn: { target: 'closed', actions: 'withdraw' },
        RelatedAppealConfirmed: { actions: 'confirmRelated' },
        RelatedAppealRejected: { actions: 'rejectRelated' },
        CorrespondenceTerminated: { actions: 'terminateCorrespondence' },
        // the decider records the assignment first; a resolution alone leaves the appeal here
        ResolutionRecorded: { actions: 'recordResolution' },
        AnsweredWithOriginal: { target: 'closed', actions: 'answerWithOriginal' },
      },
    },
    assigned: {
      on: {
        ReportedToSource: { actions: 'reportToSource' },
        ExecutorReassigned: { actions: 'setExecutor' },
        DeadlineExtended: { actions: 'extendDeadline' },
        DeadlineReminderIssued: { actions: 'recordReminder' },
        DocumentsRequested: { actions: 'requestDocuments' },
        DocumentsReceived: { actions: 'receiveDocuments' },
        ApplicantMaterialsReceived: { actions: 'receiveApplicantMaterials' },
        InterimAnswerSent: { target: 'interim_answered', actions: 'recordInterimAnswer' },
        FinalAnswerSent: { target: 'final_answered', actions: 'recordFinalAnswer' },
        AppealForwardedByCompetence: [
          { guard: 'forwardsEveryKeptQuestion', target: 'closed', actions: 'forward' },
          { actions: 'forwardPart' },
        ],
        AppealLeftWithoutAnswer: { target: 'closed', actions: 'leaveWithoutAnswer' },
        AppealWithdrawn: { target: 'closed', actions: 'withdraw' },
        RelatedAppealConfirmed: { actions: 'confirmRelated' },
        RelatedAppealRejected: { actions: 'rejectRelated' },
        CorrespondenceTerminated: { actions: 'terminateCorrespondence' },
        ResolutionRecorded: { actions: 'recordResolution' },
        ContributionRecorded: { actions: 'recordContribution' },
        AnsweredWithOriginal: { target: 'closed', actions: 'answerWithOriginal' },
      },
    },
    interim_answered: {
      on: {
        ReportedToSource: { actions: 'reportToSource' },
        ExecutorReassigned: { actions: 'setExecutor' },
        DeadlineExtended: { actions: 'extendDeadline' },
        DeadlineReminderIssued: { actions: 'recordReminder' },
        DocumentsRequested: { actions: 'requestDocuments' },
        DocumentsReceived: { actions: 'receiveDocuments' },
        ApplicantMaterialsReceived: { actions: 'receiveApplicantMaterials' },
        // Further interim answers keep the appeal here (the count grows).
        InterimAnswerSent: { actions: 'recordInterimAnswer' },
        FinalAnswerSent: { target: 'final_answered', actions: 'recordFinalAnswer' },
        AppealForwardedByCompetence: [
          { guard: 'forwardsEveryKeptQuestion', target: 'closed', actions: 'forward' },
          { actions: 'forwardPart' },
        ],
        AppealLeftWithoutAnswer: { target: 'closed', actions: 'leaveWithoutAnswer' },
        AppealWithdrawn: { target: 'closed', actions: 'withdraw' },
        RelatedAppealConfirmed: { actions: 'confirmRelated' },
        RelatedAppealRejected: { actions: 'rejectRelated' },
        CorrespondenceTerminated: { actions: 'terminateCorrespondence' },
        ResolutionRecorded: { actions: 'recordResolution' },
        ContributionRecorded: { actions: 'recordContribution' },
        AnsweredWithOriginal: { target: 'closed', actions: 'answerWithOriginal' },
      },
    },
    final_answered: {
      on: {
        AnswerReturnedForRework: [
          { guard: 'hadInterimAnswer', target: 'interim_answered', actions: 'reopenForRework' },
          { target: 'assigned', actions: 'reopenForRework' },
        ],
        AppealRemovedFromControl: { target: 'closed', actions: 'removeFromControl' },
        ReportedToSource: { actions: 'reportToSource' },
        // only of the report owed to the sending body once answered (the decider sees to it)
        DeadlineReminderIssued: { actions: 'recordReminder' },
        FurtherControlSet: { actions: 'setFurtherControl' },
        MeasuresCompleted: { actions: 'completeMeasures' },
        // A reply may still come after the final answer; no new requests once it is sent.
        DocumentsReceived: { actions: 'receiveDocuments' },
        RelatedAppealConfirmed: { actions: 'confirmRelated' },
        RelatedAppealRejected: { actions: 'rejectRelated' },
      },
    },
    closed: { type: 'final' },
  },
});

export type AppealSnapshot = SnapshotFrom<typeof appealMachine>;

/** A duplicate joined to `id` goes back on control when that relation is rejected or replaced. */
function unjoin(context: AppealContext, id: string): Partial<AppealContext> {
  return context.joinedTo === id ? { joinedTo: undefined, onControl: true } : {};
}

function forwardingOf(
  context: AppealContext,
  d: {
    to: string;
    sentAt: string;
    questionCodes?: string[];
    forwardedLate?: boolean;
    applicantNotifiedAt?: string;
  },
): ForwardingState {
  return {
    to: d.to,
    sentAt: d.sentAt,
    questionCodes: [...forwardedCodes(context, d.questionCodes)],
    ...(d.forwardedLate !== undefined && { forwardedLate: d.forwardedLate }),
    ...(d.applicantNotifiedAt !== undefined && { applicantNotifiedAt: d.applicantNotifiedAt }),
  };
}

/**
 * The machine's starting snapshot (state `unregistered`), computed once: snapshots are immutable
 * (every transition returns a new one), so all folds may start from the same object.
 */
const INITIAL_SNAPSHOT: AppealSnapshot = initialTransition(appealMachine)[0];

export function initialSnapshot(): AppealSnapshot {
  return INITIAL_SNAPSHOT;
}

/**
 * One inert actor scope for every fold. XState's `transition()` builds a new scope per call — an
 * unstarted actor that eagerly computes the machine's initial snapshot — which was two thirds of a
 * fold's cost. The machine has no effects (only `assign`, applied inside the transition; no children,
 * emits, delays or raised events), so a scope that discards the executable actions is all a fold
 * needs, and sharing it is safe: nothing is registered in it or read back from it.
 */
const FOLD_SCOPE: ActorScope<AppealSnapshot, AppealEvent> = inertScope();

function inertScope(): ActorScope<AppealSnapshot, AppealEvent> {
  const self = createActor(appealMachine);
  const ignore = (): void => undefined;
  return {
    self,
    id: '',
    sessionId: '',
    logger: ignore,
    defer: ignore,
    emit: (_event: EventObject) => undefined,
    system: self.system,
    stopChild: ignore,
    actionExecutor: ignore,
  };
}

/**
 * Folds one event. An event the current state does not accept leaves the snapshot unchanged (XState
 * semantics); the decider never emits such events, so it only happens with a foreign or corrupt stream.
 */
export function foldEvent(snapshot: AppealSnapshot, event: AppealEvent): AppealSnapshot {
  return appealMachine.transition(snapshot, event, FOLD_SCOPE);
}

export function machineStateOf(snapshot: AppealSnapshot): AppealMachineState {
  const value: unknown = snapshot.value;
  if (
    value === 'unregistered' ||
    (typeof value === 'string' && (APPEAL_STATUSES as readonly string[]).includes(value))
  ) {
    return value as AppealMachineState;
  }
  throw new Error(`unexpected appeal machine state: ${JSON.stringify(value)}`);
}

/**
 * Event types the machine accepts in `snapshot`, read from the machine itself (`getNextTransitions`).
 * Guards here only choose between targets — every guarded transition has an unguarded fallback (a
 * unit test checks it) — so a type with a transition is a type the state accepts. Transitions belong
 * to the state node, not the context, so the answer is kept per state.
 */
const acceptedByState = new Map<string, ReadonlySet<string>>();

function acceptedTypes(snapshot: AppealSnapshot): ReadonlySet<string> {
  const key = machineStateOf(snapshot);
  let types = acceptedByState.get(key);
  if (!types) {
    types = new Set(getNextTransitions(snapshot).map((t) => String(t.eventType)));
    acceptedByState.set(key, types);
  }
  return types;
}

/** Whether the machine in `snapshot` accepts an event of `type` (asked of the machine's transitions). */
export function accepts(snapshot: AppealSnapshot, type: AppealEventType): boolean {
  return acceptedTypes(snapshot).has(type);
}
