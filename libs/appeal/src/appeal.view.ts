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
} from './events/appeal.events';
import type { AppealStatus, ClosedReason } from './appeal.machine';
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
    collective: c.collective,
    anonymous: c.anonymous,
    interimAnswers: c.interimAnswers,
    finalAnswerSentAt: c.finalAnswer?.sentAt ?? null,
    late: c.finalAnswer?.late ?? null,
    closedReason: c.closedReason,
    pendingDocumentRequests: c.documentRequests
      .filter((r) => r.receivedAt === null)
      .map(({ receivedAt: _received, ...request }) => request),
  };
}
