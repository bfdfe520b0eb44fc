/** Public API of the event store library: the port, its errors and the PostgreSQL adapter. */
export {
  EVENT_STORE,
  METADATA_NOT_READ,
  RECORDED_AT_NOT_READ,
  isLeanRead,
  type AllFilter,
  type AllSubscription,
  type AppendResult,
  type EventMetadata,
  type EventStore,
  type ExpectedRevision,
  type JsonObject,
  type JsonValue,
  type NewEvent,
  type ReadAllByStreamOptions,
  type ReadAllOptions,
  type ReadStreamOptions,
  type RecordedEvent,
  type SubscribeToAllOptions,
} from './event-store.port';
export {
  DuplicateEventIdError,
  EventStoreUnavailableError,
  StreamNotFoundError,
  WrongExpectedRevisionError,
} from './event-store.errors';
export {
  CommandHandler,
  toNewEvent,
  type CommandHandlerConfig,
  type CommandSpec,
  type DomainEvent,
  type HandleOptions,
  type HandlerDecision,
  type HandlerOutcome,
  type IdempotencyPort,
  type IdempotencyRecordRef,
  type LoadedStream,
  type StreamAccess,
} from './command-handler';
export {
  APPEAL_LEDGER_ID_NAMESPACE,
  deterministicEventId,
  UUID_PATTERN,
  uuidV5,
} from './deterministic-event-id.util';
export {
  appendFailure,
  appendOutcome,
  EVENTS_NOTIFY_CHANNEL,
  expectedCode,
  PostgresEventStore,
  READ_MODEL_APPLICATION_NAME,
  type AppendRow,
  type PostgresEventStoreOptions,
  type Queryable,
} from './postgres/postgres-event-store.adapter';
export {
  MigrationChecksumError,
  MigrationFailedError,
  runMigrations,
  type AppliedMigration,
  type Migration,
  type RunMigrationsOptions,
} from './postgres/migrations.runner';
export {
  EVENT_STORE_MIGRATIONS_TABLE,
  eventStoreMigrations,
} from './postgres/migrations/event-store.migrations';
// The EventStoreDB adapter is its own entry, `@appeal-ledger/event-store/eventstoredb`: its gRPC client
// costs ~24 MB of memory, loaded only when EVENTSTORE_URL is set.
export { copyEvents, verifyCopy, type CopyEventsOptions, type CopyReport } from './migration/copy-events';
export {
  CheckpointRefusedError,
  eventChainHash,
  integrityKey,
  verifyEventStore,
  writeCheckpoint,
  type CheckpointSummary,
  type IntegrityKey,
  type IntegrityProblem,
  type IntegrityProblemKind,
  type IntegrityReport,
  type VerifyOptions,
} from './postgres/integrity/event-store-integrity';
export { PostgresNotificationListener, type Wake } from './postgres/postgres-notification.listener';
export { jsonTextsLiteral } from './postgres/json-texts-literal';
export { mapConcurrently } from './concurrency/map-concurrently';
export {
  GroupCommitQueue,
  type BatchAnswer,
  type GroupCommitOptions,
  type GroupCommitStats,
  type GroupCommitSteps,
} from './concurrency/group-commit-queue';
