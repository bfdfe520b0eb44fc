/** The event store's schema, in order. Kept as TS constants so they ship with the compiled code. */
import type { Migration } from '../migrations.runner';
import { eventsTableMigration } from './0001-events.migration';
import { appendEventsMigration } from './0002-append-events.migration';
import { visibleBoundaryMigration } from './0003-visible-boundary.migration';
import { appendGenericPlansMigration } from './0004-append-generic-plans.migration';
import { eventHashChainMigration } from './0005-event-hash-chain.migration';
import { appendEventsBatchMigration } from './0006-append-events-batch.migration';
import { visibleBoundaryReadModelsMigration } from './0007-visible-boundary-read-models.migration';
import { inlineChainHashMigration } from './0008-inline-chain-hash.migration';

export const eventStoreMigrations: readonly Migration[] = [
  eventsTableMigration,
  appendEventsMigration,
  visibleBoundaryMigration,
  appendGenericPlansMigration,
  eventHashChainMigration,
  appendEventsBatchMigration,
  visibleBoundaryReadModelsMigration,
  inlineChainHashMigration,
];

/** Where the event store records its applied versions (read models use tables of their own). */
export const EVENT_STORE_MIGRATIONS_TABLE = 'event_store_migrations';
