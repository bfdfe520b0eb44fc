/**
 * Tables of the reminder deliveries (outside the projections' schemas: they record side effects,
 * not read models): a checkpoint per delivery consumer, the e-mail outbox, the digests sent, and
 * the events a consumer quarantined (could not handle; skipped).
 */
import type { Migration } from '@appeal-ledger/event-store';

export const REMINDER_MIGRATIONS_TABLE = 'reminder_delivery_migrations';

export const REMINDER_DELIVERY_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'reminder-deliveries',
    sql: `
CREATE TABLE reminder_delivery_checkpoints (
  consumer   text        PRIMARY KEY,
  position   bigint      NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- Reminders waiting for (or included in) a department's e-mail digest; one row per reminder.
CREATE TABLE reminder_email_outbox (
  reminder_id uuid        PRIMARY KEY,
  position    bigint      NOT NULL,
  department  text        NOT NULL, -- '' when the appeal has no executor yet
  reminder    jsonb       NOT NULL,
  digest_date date,                 -- the business date of the digest that listed it
  queued_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX reminder_email_outbox_pending ON reminder_email_outbox (department, position) WHERE digest_date IS NULL;

-- At most one digest per department and business day, across restarts and instances.
CREATE TABLE reminder_email_digests (
  department    text        NOT NULL,
  business_date date        NOT NULL,
  recipient     text        NOT NULL,
  message_id    text        NOT NULL,
  reminders     integer     NOT NULL,
  sent_at       timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (department, business_date)
);
`,
  },
  {
    version: 2,
    name: 'reminder-delivery-quarantine',
    sql: `
-- Events a delivery consumer could not handle because of the event itself; skipped (no event data here).
CREATE TABLE reminder_delivery_quarantine (
  consumer       text        NOT NULL,
  position       bigint      NOT NULL,
  stream_id      text        NOT NULL,
  event_id       text        NOT NULL,
  event_type     text        NOT NULL,
  error          text        NOT NULL,
  attempts       integer     NOT NULL,
  quarantined_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (consumer, position)
);
`,
  },
];
