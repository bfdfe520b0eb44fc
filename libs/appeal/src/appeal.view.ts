/**
 * The appeal summary of docs/api.md (`GET /appeals/{id}` and command results) computed from state; the
 * API adds `revision` and `position` and strips `applicants` for roles that may not see them.
 */
import type {
  AppealKind,
  Applicant,
  Channel,
  ElectronicRoute,
  Executor,
  Form,
  IsoDate,
  QuestionResult,
  Source,
  WithoutAnswerGround,
} from './events/appeal.events';
import type {
  AnsweredWithOriginalFacts,
  AnswerDocument,
  AppealStatus,
  ClosedReason,
  CorrespondenceTerminationState,
  CoExecutorState,
  ForwardingState,
  ResolutionState,
  FurtherControlState,
  SourceReportState,
} from './appeal.machine';
import type { RegisteredAppealState } from './appeal.decider';

export interface AppealView {
  id: string;
  number: string;
  state: AppealStatus;
  form: Form;
  channel: Channel;
  kind: AppealKind;
  source: Source;
  receivedAt: IsoDate;
  registeredAt: IsoDate;
  /** registered after the three days of 59-FZ art. 8 ч.2 */
  registeredLate: boolean;
  /** electronic appeals: the route it came by, when recorded */
  electronicRoute?: ElectronicRoute;
  /** consideration term in days and, for a shorter one, the norm it rests on */
  termDays: number;
  termBasis?: string;
  nominalDueDate: IsoDate;
  dueDate: IsoDate;
  extended: boolean;
  totalExtensionDays: number;
  onControl: boolean;
  executor: Executor | null;
  department: string | null;
  questions: { code: string; result: QuestionResult; measuresTaken?: boolean }[];
  applicants: Applicant[];
  territory?: string;
  repeat: boolean;
  repeatOf?: string;
  /** the appeal this one is a confirmed duplicate of (answered once with it) */
  duplicateOf?: string;
  /** a confirmed duplicate off control, waiting to be answered with this original (decision 0008) */
  joinedTo?: string;
  /** a duplicate answered with its original: the original, how it ended, its answer's date and outgoing number */
  answeredWithOriginal: AnsweredWithOriginalFacts | null;
  collective: boolean;
  anonymous: boolean;
  interimAnswers: number;
  /** instant of the final answer in force (cleared by rework) */
  finalAnswerSentAt: string | null;
  /** whether that answer was late; null while there is none */
  late: boolean | null;
  closedReason: ClosedReason | null;
  /** document requests to other bodies still awaiting their reply (59-FZ art. 10 part 2) */
  pendingDocumentRequests: {
    requestId: string;
    to: string;
    sentAt: string;
    reference?: string;
    replyDueDate: IsoDate;
  }[];
  /**
   * the applicant's additional documents and materials attached to the appeal (59-FZ art. 5 п.1), in
   * the order received: when, and how many sheets when counted (what they are: the history)
   */
  applicantMaterials: { receivedAt: string; pages?: number }[];
  /** an anonymous appeal reporting an offence (59-FZ art. 11 ч.1) */
  reportsOffence: boolean;
  /** forwardings by competence, whole or per question (art. 8 ч.3) */
  forwardings: ForwardingState[];
  /** a forwarding was sent after the 7-day term of art. 8 ч.3 */
  forwardedLate: boolean;
  /** the ground it was left without an answer on the merits (art. 11); null if it was not */
  withoutAnswerGround: WithoutAnswerGround | null;
  /** the outgoing document of the final answer in force (art. 10 ч.4); null without one */
  finalAnswerDocument: AnswerDocument | null;
  /** the report of the result owed to the sending body (`source.reportBackBy`); null when none was asked */
  sourceReport: SourceReportState | null;
  /** further control after the answer ("до принятия мер"); null when none is set */
  furtherControl: FurtherControlState | null;
  /** the head's decision recorded on this appeal to terminate correspondence (art. 11 ч.5); null when none */
  correspondenceTermination: CorrespondenceTerminationState | null;
  /**
   * The head's resolution and its co-executors (issue 14): present only once a resolution is
   * recorded, so appeals without one read as before.
   */
  resolution?: ResolutionState;
  coExecutors?: CoExecutorState[];
}

export function toAppealView(state: RegisteredAppealState): AppealView {
  const c = state.context;
  return {
    id: c.appealId,
    number: c.number,
    state: state.status,
    form: c.form,
    channel: c.channel,
    kind: c.kind,
    source: c.source,
    receivedAt: c.receivedAt,
    registeredAt: c.registeredAt,
    registeredLate: c.registeredLate,
    ...(c.electronicRoute !== undefined && { electronicRoute: c.electronicRoute }),
    termDays: c.termDays,
    ...(c.termBasis !== undefined && { termBasis: c.termBasis }),
    nominalDueDate: c.nominalDueDate,
    dueDate: c.dueDate,
    extended: c.totalExtensionDays > 0,
    totalExtensionDays: c.totalExtensionDays,
    onControl: c.onControl,
    executor: c.executor,
    department: c.department,
    questions: c.questions.map((q) => ({
      code: q.code,
      result: q.result,
      ...(q.measuresTaken !== undefined && { measuresTaken: q.measuresTaken }),
    })),
    applicants: c.applicants,
    ...(c.territory !== undefined && { territory: c.territory }),
    repeat: c.repeat,
    ...(c.repeatOf !== undefined && { repeatOf: c.repeatOf }),
    ...(c.duplicateOf !== undefined && { duplicateOf: c.duplicateOf }),
    ...(c.joinedTo !== undefined && { joinedTo: c.joinedTo }),
    answeredWithOriginal: c.answeredWithOriginal,
    collective: c.collective,
    anonymous: c.anonymous,
    interimAnswers: c.interimAnswers,
    finalAnswerSentAt: c.finalAnswer?.sentAt ?? null,
    late: c.finalAnswer?.late ?? null,
    closedReason: c.closedReason,
    pendingDocumentRequests: c.documentRequests
      .filter((r) => r.receivedAt === null)
      .map(({ receivedAt: _received, ...request }) => request),
    applicantMaterials: c.applicantMaterials.map((m) => ({
      receivedAt: m.receivedAt,
      ...(m.pages !== null && { pages: m.pages }),
    })),
    reportsOffence: c.reportsOffence,
    forwardings: c.forwardings,
    forwardedLate: c.forwardings.some((f) => f.forwardedLate === true),
    withoutAnswerGround: c.withoutAnswerGround,
    finalAnswerDocument: c.finalAnswer?.document ?? null,
    sourceReport: c.sourceReport,
    furtherControl: c.furtherControl,
    correspondenceTermination: c.correspondenceTermination,
    ...(c.resolution !== null && { resolution: c.resolution, coExecutors: c.coExecutors }),
  };
}
