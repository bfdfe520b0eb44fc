/**
 * The one place this library imports the event-store port and the appeal domain from, so the rest
 * of it does not care where they live.
 */
export type { AllFilter, AllSubscription, EventStore, RecordedEvent } from '@appeal-ledger/event-store';
export {
  deterministicEventId,
  mapConcurrently,
  READ_MODEL_APPLICATION_NAME,
} from '@appeal-ledger/event-store';
export type {
  AppealEvent,
  AppealEventType,
  AppealKind,
  AppealStatus,
  Channel,
  ElectronicRoute,
  Executor,
  FinalQuestionResult,
  Form,
  IsoDate,
  OfficialRole,
  QuestionResult,
  ReadModelEvent,
  ReminderKind,
  SourceType,
  WithoutAnswerGround,
  WorkingDayCalendar,
} from '@appeal-ledger/appeal';
export {
  APPEAL_EVENT_TYPES,
  APPEAL_KINDS,
  CHANNELS,
  FINAL_QUESTION_RESULTS,
  FORMS,
  OFFICIAL_ROLES,
  SOURCE_TYPES,
  APPEAL_STATUSES,
  APPEAL_STREAM_PREFIX,
  WITHOUT_ANSWER_GROUNDS,
  ELECTRONIC_EMAIL_UNTIL,
  ELECTRONIC_ROUTES,
  addDays,
  changesReadModel,
  daysBetween,
  isIsoDate,
  isoWeekday,
  localDate,
  readModelEventTypes,
  registeredLateOf,
  workingDaysBetween,
} from '@appeal-ledger/appeal';
