/**
 * The one place this library imports the event-store port and the appeal domain from, so the rest
 * of it does not care where they live.
 */
export type { AllFilter, AllSubscription, EventStore, RecordedEvent } from '@appeal-ledger/event-store';
export type {
  AppealEvent,
  AppealEventType,
  AppealKind,
  AppealStatus,
  Channel,
  Executor,
  FinalQuestionResult,
  Form,
  IsoDate,
  OfficialRole,
  QuestionResult,
  ReadModelEvent,
  ReminderKind,
  SourceType,
  WorkingDayCalendar,
} from '@appeal-ledger/appeal';
export {
  APPEAL_EVENT_TYPES,
  APPEAL_STATUSES,
  APPEAL_STREAM_PREFIX,
  addDays,
  changesReadModel,
  daysBetween,
  isIsoDate,
  isoWeekday,
  localDate,
  readModelEventTypes,
  workingDaysBetween,
} from '@appeal-ledger/appeal';
