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
import { EVENT_STORE, PostgresEventStore, runMigrations, type EventStore } from '@appeal-ledger/event-store';
import { APPEAL_RULES, buildAppealRules } from '../appeals/appeal-rules.provider';
import { APPEAL_CACHE_SIZE } from '../appeals/appeal.repository';
import {
  REGISTRATION_COUNTER_MIGRATIONS,
  RegistrationCounter,
} from '../appeals/register-appeal/registration-counter';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { IDEMPOTENCY_MIGRATIONS, IdempotencyStore } from '../idempotency/idempotency.store';
import { LOGGER } from '../logging/logger.module';
import type { Logger } from '../logging/logger';
import {
  loadMasterKey,
  PERSONAL_DATA_MIGRATIONS,
  PersonalDataVault,
} from '../personal-data/personal-data.vault';
import { CLOCK, systemClock, type Clock } from '../shared/clock';

/** The EventStoreDB adapter and its gRPC client load only when EVENTSTORE_URL is set (~24 MB otherwise idle). */
function loadEventStoreDb(): typeof import('@appeal-ledger/event-store/eventstoredb') {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('@appeal-ledger/event-store/eventstoredb') as typeof import('@appeal-ledger/event-store/eventstoredb');
}

export const PG_POOL = Symbol('PG_POOL');
/** The PostgreSQL connection string (embedded or DATABASE_URL), for modules that open dedicated sessions. */
export const DATABASE_URL = Symbol('DATABASE_URL');

export interface InfrastructureOptions {
  config: AppConfig;
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

  async onModuleInit(): Promise<void> {
    if (this.store instanceof PostgresEventStore) await this.store.migrate();
    await runMigrations(this.pool, {
      table: 'personal_data_migrations',
      migrations: PERSONAL_DATA_MIGRATIONS,
    });
    await runMigrations(this.pool, { table: 'idempotency_migrations', migrations: IDEMPOTENCY_MIGRATIONS });
    await runMigrations(this.pool, {
      table: 'registration_counter_migrations',
      migrations: REGISTRATION_COUNTER_MIGRATIONS,
    });
    await this.vault.verifyMasterKey();
    this.log.info('schemas up to date');
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
        { provide: DATABASE_URL, useValue: options.databaseUrl },
        { provide: CLOCK, useValue: options.clock ?? systemClock },
        { provide: APPEAL_RULES, useFactory: () => buildAppealRules(config) },
        { provide: APPEAL_CACHE_SIZE, useValue: config.appealCacheSize },
        {
          provide: PG_POOL,
          inject: [LOGGER],
          useFactory: (log: Logger) => {
            const pool = new Pool({
              connectionString: options.databaseUrl,
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
          inject: [PG_POOL],
          useFactory: (pool: Pool) => new IdempotencyStore(pool),
        },
        {
          provide: RegistrationCounter,
          useFactory: () => new RegistrationCounter(),
        },
        StoreLifecycle,
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
