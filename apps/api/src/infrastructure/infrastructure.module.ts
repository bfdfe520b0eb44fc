/**
 * The engine's stores: the PostgreSQL pool, the event store (PostgreSQL, or EventStoreDB when
 * EVENTSTORE_URL is set), the personal-data vault, idempotency records and registration counters.
 * Schemas are migrated before the HTTP server accepts a request.
 */
import {
  Global,
  Inject,
  Injectable,
  Module,
  type DynamicModule,
  type OnApplicationShutdown,
  type OnModuleInit,
} from '@nestjs/common';
import { Pool } from 'pg';
import { EVENT_STORE, PostgresEventStore, type EventStore } from '@appeal-ledger/event-store';
import { APPEAL_RULES, buildAppealRules } from '../appeals/appeal-rules.provider';
import { APPEAL_CACHE_SIZE } from '../appeals/appeal.repository';
import { RegistrationCounter } from '../appeals/register-appeal/registration-counter';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { IdempotencyStore } from '../idempotency/idempotency.store';
import { IdempotencyPurge } from '../idempotency/idempotency-purge.service';
import { LOGGER } from '../logging/logger.module';
import type { Logger } from '../logging/logger';
import { loadMasterKey, PersonalDataVault } from '../personal-data/personal-data.vault';
import { CLOCK, systemClock, type Clock } from '../shared/clock';
import { prepareDatabase, type PreparedDatabase } from './database-roles';

/** The EventStoreDB adapter and its gRPC client load only when EVENTSTORE_URL is set (~24 MB otherwise idle). */
function loadEventStoreDb(): typeof import('@appeal-ledger/event-store/eventstoredb') {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('@appeal-ledger/event-store/eventstoredb') as typeof import('@appeal-ledger/event-store/eventstoredb');
}

export const PG_POOL = Symbol('PG_POOL');
/** The PostgreSQL connection string (embedded or DATABASE_URL), for modules that open dedicated sessions. */
export const DATABASE_URL = Symbol('DATABASE_URL');
/** The owner's work done (runtime role, migrations, grants): the runtime connection. */
const PREPARED_DATABASE = Symbol('PREPARED_DATABASE');

export interface InfrastructureOptions {
  config: AppConfig;
  /** the embedded server's URL (its superuser), or DATABASE_URL */
  databaseUrl: string;
  clock?: Clock;
}

@Injectable()
class StoreLifecycle implements OnModuleInit, OnApplicationShutdown {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(LOGGER) private readonly log: Logger,
    private readonly vault: PersonalDataVault,
  ) {}

  /** Schemas were migrated by the owner before the pool was made (PREPARED_DATABASE). */
  async onModuleInit(): Promise<void> {
    await this.vault.verifyMasterKey();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.store.close();
    await this.pool.end();
  }
}

@Global()
@Module({})
export class InfrastructureModule {
  static forRoot(options: InfrastructureOptions): DynamicModule {
    const { config } = options;
    return {
      module: InfrastructureModule,
      providers: [
        { provide: APP_CONFIG, useValue: config },
        {
          provide: PREPARED_DATABASE,
          inject: [LOGGER],
          useFactory: async (log: Logger): Promise<PreparedDatabase> => {
            const prepared = await prepareDatabase(
              {
                embedded: !config.databaseUrl,
                databaseUrl: options.databaseUrl,
                migrationUrl: config.databaseMigrationUrl,
                dataDir: config.dataDir,
                eventStoreInPostgres: !config.eventStoreUrl,
              },
              log,
            );
            log.info({ runtimeRole: prepared.runtimeRole ?? null }, 'schemas up to date');
            return prepared;
          },
        },
        {
          provide: DATABASE_URL,
          inject: [PREPARED_DATABASE],
          useFactory: (prepared: PreparedDatabase) => prepared.runtimeUrl,
        },
        { provide: CLOCK, useValue: options.clock ?? systemClock },
        { provide: APPEAL_RULES, useFactory: () => buildAppealRules(config) },
        { provide: APPEAL_CACHE_SIZE, useValue: config.appealCacheSize },
        {
          provide: PG_POOL,
          inject: [LOGGER, PREPARED_DATABASE],
          useFactory: (log: Logger, prepared: PreparedDatabase) => {
            const pool = new Pool({
              connectionString: prepared.runtimeUrl,
              max: config.databasePoolSize,
              keepAlive: true,
            });
            // Log what failed, not the client object the error carries.
            pool.on('error', (error: Error & { code?: string }) =>
              log.warn({ code: error.code, reason: error.message }, 'idle PostgreSQL connection failed'),
            );
            return pool;
          },
        },
        {
          provide: EVENT_STORE,
          inject: [PG_POOL, LOGGER],
          useFactory: (pool: Pool, log: Logger): EventStore =>
            config.eventStoreUrl
              ? loadEventStoreDb().createEventStoreDbEventStore(config.eventStoreUrl)
              : new PostgresEventStore(pool, {
                  appendBatch: config.eventStoreAppendBatch,
                  onListenerError: (error) =>
                    log.warn({ err: error }, 'event notification listener reconnecting'),
                }),
        },
        {
          provide: PersonalDataVault,
          inject: [PG_POOL],
          useFactory: (pool: Pool) =>
            new PersonalDataVault(
              pool,
              loadMasterKey({ dataDir: config.dataDir, masterKey: config.personalDataMasterKey }),
            ),
        },
        {
          provide: IdempotencyStore,
          inject: [PG_POOL, CLOCK],
          useFactory: (pool: Pool, clock: Clock) =>
            new IdempotencyStore(pool, {
              ttlSeconds: config.hardening.idempotencyKeyTtlSeconds,
              now: () => clock.now(),
            }),
        },
        {
          provide: RegistrationCounter,
          useFactory: () => new RegistrationCounter(),
        },
        StoreLifecycle,
        IdempotencyPurge,
      ],
      exports: [
        DATABASE_URL,
        APP_CONFIG,
        CLOCK,
        APPEAL_RULES,
        APPEAL_CACHE_SIZE,
        PG_POOL,
        EVENT_STORE,
        PersonalDataVault,
        IdempotencyStore,
        RegistrationCounter,
      ],
    };
  }
}
