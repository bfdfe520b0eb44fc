// Public API of the reminder process (`@appeal-ledger/reminders`): schedule, issuing pass, feed, deliveries.

export {
  REMINDER_ID_NAMESPACE,
  REMINDER_KINDS,
  applicableReminder,
  candidateHorizon,
  reminderId,
  reminderStartDate,
  reportBackReminder,
} from './schedule/reminder.schedule';
export type { ReminderSubject } from './schedule/reminder.schedule';

export type { Reminder } from './reminder.view';
export { REMINDER_EVENT_TYPE, toReminder } from './reminder.view';

export type { ReminderCandidate } from './issue/control-candidates.query';
export {
  CONTROL_SCHEMA,
  findRecordedReminderIds,
  findReminderCandidates,
  findReportBackCandidates,
} from './issue/control-candidates.query';
export type {
  AppealAccess,
  AppealSnapshotAt,
  IssueOutcome,
  ReminderIssuerOptions,
} from './issue/reminder.issuer';
export { REMINDER_ACTOR, ReminderIssuer } from './issue/reminder.issuer';
export type { PassResult, ReminderIssuing, ReminderProcessOptions } from './issue/reminder.process';
export { ReminderProcess } from './issue/reminder.process';

export type { ReminderFeedRow } from './feed/reminder-feed.projection';
export {
  REMINDER_FEED_PROJECTION,
  REMINDER_FEED_SCHEMA,
  ReminderFeedProjection,
} from './feed/reminder-feed.projection';
export type { ReminderFeedFilter, ReminderScope } from './feed/reminder-feed.query';
export { reminderScopeSql } from './feed/reminder-feed.query';
export { DEFAULT_FEED_LIMIT, MAX_FEED_LIMIT, findReminders } from './feed/reminder-feed.query';

export { REMINDER_DELIVERY_MIGRATIONS, REMINDER_MIGRATIONS_TABLE } from './delivery/delivery.migrations';
export type { DeliveryConsumerOptions, QuarantinedDelivery } from './delivery/delivery.consumer';
export {
  countConsumerQuarantine,
  DeliveryConsumer,
  readConsumerCheckpoint,
  readConsumerQuarantine,
} from './delivery/delivery.consumer';
export { AppealNumbers } from './delivery/appeal-numbers.lookup';
export type { WebhookOptions } from './delivery/webhook.delivery';
export { WebhookAbortedError, WebhookDelivery, backoffDelay } from './delivery/webhook.delivery';
export {
  WEBHOOK_SIGNATURE_HEADER,
  verifyWebhookSignature,
  webhookSignature,
} from './delivery/webhook-signature';
export type { DigestItem, DigestMail } from './delivery/email-digest.template';
export { daysLeftText, renderDigest, russianDate } from './delivery/email-digest.template';
export type {
  EmailDigestOptions,
  MailTransport,
  OfficeHours,
  SentDigest,
} from './delivery/email-digest.delivery';
export { EmailDigest, EmailOutbox, inOfficeHours, localHour } from './delivery/email-digest.delivery';

// issue 14: reminders to co-executors of their parts
export type {
  CoExecutorCandidate,
  CoExecutorIssueOutcome,
  CoExecutorPassResult,
  CoExecutorReminderOptions,
} from './issue/co-executor-reminders';
export {
  CoExecutorReminders,
  coExecutorReminderId,
  findCoExecutorCandidates,
} from './issue/co-executor-reminders';
