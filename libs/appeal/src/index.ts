// Public API of the pure appeal domain (`@appeal-ledger/appeal`). Explicit list: what is not here is internal.

export type {
  AnswerDelivery,
  AnswerDocumentFields,
  FurtherControlSet,
  MeasuresCompleted,
  ReportedToSource,
  Signatory,
} from './events/appeal.events';
export { ANSWER_DELIVERIES } from './events/appeal.events';
export type { CompleteMeasures, ReportToSource, SetFurtherControl } from './appeal.commands';
export type { AnswerDocument, FurtherControlState, SourceReportState } from './appeal.machine';
export { answerDocumentOf } from './appeal.machine';
// termination of correspondence (59-FZ art. 11 ч.5; issue 15)
export type { CorrespondenceTerminated } from './events/appeal.events';
export type { EarlierAppealFacts, TerminateCorrespondence, TerminationFact } from './appeal.commands';
export type { CorrespondenceTerminationState } from './appeal.machine';
export type { TerminationConflict } from './appeal.decider';
export {
  answeredOnMerits,
  applicableTermination,
  needsOtherTerminations,
  CORRESPONDENCE_TERMINATION_MIN_ANSWERS,
  describeProblem,
  ON_THE_MERITS_RESULTS,
} from './correspondence-termination';
export type { TerminationProblem } from './correspondence-termination';
// Duplicates answered with their original (decision 0008)
export type { AnsweredWithOriginal, OriginalOutcome } from './events/appeal.events';
export { ORIGINAL_OUTCOMES } from './events/appeal.events';
export type { RecordAnswerWithOriginal } from './appeal.commands';
export type { AnsweredWithOriginalFacts } from './appeal.machine';

export type {
  AnswerReturnedForRework,
  AppealEvent,
  AppealEventType,
  AppealForwardedByCompetence,
  AppealKind,
  AppealLeftWithoutAnswer,
  AppealRegistered,
  AppealRemovedFromControl,
  AppealWithdrawn,
  Applicant,
  Channel,
  DeadlineExtended,
  ElectronicRoute,
  DeadlineReminderIssued,
  AppealEventData,
  Executor,
  ExecutorAssigned,
  ExecutorReassigned,
  FinalAnswerSent,
  FinalQuestionResult,
  Form,
  FreeTextPath,
  InterimAnswerSent,
  IsoDate,
  NonWorkingDayRule,
  Official,
  OfficialRole,
  Question,
  QuestionResult,
  ReadModel,
  ReadModelEvent,
  ReadModelEventType,
  Reception,
  RelatedAppealConfirmed,
  RelatedAppealRejected,
  RelationKind,
  ReminderKind,
  ReportBackReminderKind,
  TermReminderKind,
  Source,
  SourceType,
  WithoutAnswerGround,
} from './events/appeal.events';
export {
  APPEAL_EVENT_TYPES,
  APPEAL_KINDS,
  APPEAL_STREAM_PREFIX,
  CHANNELS,
  ELECTRONIC_EMAIL_UNTIL,
  EVENT_FREE_TEXT,
  ELECTRONIC_ROUTES,
  FINAL_QUESTION_RESULTS,
  FORMS,
  OFFICIAL_ROLES,
  QUESTION_RESULTS,
  READ_MODELS,
  RELATION_KINDS,
  REGISTRATION_TERM_DAYS,
  REMINDER_KINDS,
  REPORT_BACK_REMINDER_KINDS,
  TERM_REMINDER_KINDS,
  isReportBackReminderKind,
  SOURCE_TYPES,
  WITHOUT_ANSWER_GROUNDS,
  appealStreamId,
  changesReadModel,
  readModelEventTypes,
} from './events/appeal.events';

export type {
  AppealAction,
  AppealCommand,
  AppealCommandType,
  AssignExecutor,
  ConfirmRelatedAppeal,
  ExtendDeadline,
  FinalAnswerResult,
  ForwardByCompetence,
  Instant,
  IssueDeadlineReminder,
  LeaveWithoutAnswer,
  RegisterAppeal,
  RejectRelatedAppeal,
  RemoveFromControl,
  ReturnForRework,
  SendFinalAnswer,
  SendInterimAnswer,
  WithdrawAppeal,
} from './appeal.commands';
export { APPEAL_ACTIONS, actionOf } from './appeal.commands';

export type {
  AppealContext,
  AppealMachineState,
  AppealSnapshot,
  AppealStatus,
  ClosedReason,
  FinalAnswerFacts,
  ForwardingState,
  IssuedReminder,
  QuestionState,
} from './appeal.machine';
export { APPEAL_STATUSES, appealMachine } from './appeal.machine';

export type {
  AppealState,
  ControlConflict,
  Decision,
  Refusal,
  RefusalReason,
  RegisteredAppealState,
} from './appeal.decider';
export {
  allowedActions,
  decide,
  evolve,
  evolveRegistered,
  initialState,
  isAllowed,
  isAssignedExecutor,
  isRegistered,
  registrationNumberTemplateOf,
  FORWARDING_TERM_DAYS,
  MAX_INTERIM_ANSWERS,
  WITHOUT_ANSWER_RULES,
  MAX_TERM_DAYS,
  rehydrate,
} from './appeal.decider';

export type { AppealRules } from './appeal.rules';
export { DEFAULT_TIME_ZONE, appealRules } from './appeal.rules';

export type { AppealView } from './appeal.view';
export { toAppealView } from './appeal.view';

export type { Term, WorkingDayCalendar } from './deadlines';
export {
  DEFAULT_NON_WORKING_DAY_RULE,
  DEFAULT_TERM_DAYS,
  MAX_EXTENSION_DAYS,
  addWorkingDays,
  applyNonWorkingDayRule,
  computeTerm,
  extendTerm,
  extensionFits,
  isWorkingDay,
  nextWorkingDay,
  previousWorkingDay,
  workingDaysBetween,
} from './deadlines';

export {
  addDays,
  compareDates,
  utcEpochMs,
  daysBetween,
  isInstant,
  isIsoDate,
  isValidTimeZone,
  isoWeekday,
  localDate,
  zoneOffsetMinutes,
} from './iso-date';

export type {
  CalendarConfidence,
  CalendarYearInfo,
  ProductionCalendarData,
  ProductionCalendarOptions,
  ProductionCalendarYearData,
} from './production-calendar';
export { CalendarDataError, CalendarYearUnknownError, ProductionCalendar } from './production-calendar';

export type {
  ClassifierCode,
  ClassifierEntry,
  ClassifierExtensionData,
  ClassifierThemesData,
} from './classifier';
export { Classifier, parseClassifierCode } from './classifier';

export type {
  NumberTemplate,
  RegistrationNumberInput,
  RegistrationNumberOptions,
} from './registration-number';
export {
  DEFAULT_ANONYMOUS_INITIAL,
  DEFAULT_NUMBER_PATTERN,
  fillNumberTemplate,
  formatRegistrationNumber,
  registrationNumberTemplate,
  surnameInitial,
  validateNumberPattern,
} from './registration-number';

export { registeredLateOf, registrationDueDate } from './registration-term';

export { firstApplicantSurname, formOf, isAnonymous, isCollective, surnameOf } from './applicants';

export type { FieldError } from './validation';

// issue 14: the head's resolution with co-executors, and their parts
export type {
  CoExecutor,
  ContributionRecorded,
  ResolutionRecorded,
  ResponsibleExecutor,
} from './events/appeal.events';
export type { RecordContribution, RecordResolution } from './appeal.commands';
export type { CoExecutorState, ResolutionState } from './appeal.machine';
export { MAX_CO_EXECUTORS, pendingCoExecutors } from './co-executors.decider';
