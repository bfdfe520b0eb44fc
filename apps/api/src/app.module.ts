/** The engine's root module: stores, auth, the appeal lifecycle, operations endpoints. */
import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { AppealsModule } from './appeals/appeals.module';
import { AuthGuard } from './auth/auth.guard';
import { DuplicatesModule } from './duplicates/duplicates.module';
import { resolveJwtSecret } from './auth/jwt-secret';
import { APP_CONFIG, type AppConfig } from './config/app-config';
import { MeController } from './auth/me.controller';
import { TokenVerifier } from './auth/token-verifier';
import { HealthController } from './health/health.controller';
import { ProblemFilter } from './http/problem.filter';
import { IntegrityModule } from './integrity/integrity.module';
import { InfrastructureModule } from './infrastructure/infrastructure.module';
import type { Logger } from './logging/logger';
import { LoggerModule } from './logging/logger.module';
import { MetricsModule } from './metrics/metrics.module';
import { PersonalDataModule } from './personal-data/personal-data.module';
import { ReadModelsModule } from './read-models/read-models.module';
import { RemindersModule } from './reminders/reminders.module';
import { RetentionModule } from './retention/retention.module';
import type { Clock } from './shared/clock';
import { WebModule } from '../../web/src/web.module';

export interface AppModuleOptions {
  config: AppConfig;
  databaseUrl: string;
  logger: Logger;
  clock?: Clock;
}

@Module({})
export class AppModule {
  static forRoot(options: AppModuleOptions): DynamicModule {
    return {
      module: AppModule,
      imports: [
        LoggerModule.forRoot(options.logger),
        InfrastructureModule.forRoot({
          config: options.config,
          databaseUrl: options.databaseUrl,
          clock: options.clock,
        }),
        MetricsModule,
        PersonalDataModule,
        AppealsModule,
        ReadModelsModule,
        RemindersModule,
        DuplicatesModule,
        IntegrityModule,
        RetentionModule,
        WebModule,
      ],
      controllers: [HealthController, MeController],
      providers: [
        {
          provide: TokenVerifier,
          inject: [APP_CONFIG],
          useFactory: (config: AppConfig) => new TokenVerifier(config.auth, resolveJwtSecret(config)),
        },
        { provide: APP_GUARD, useClass: AuthGuard },
        { provide: APP_FILTER, useClass: ProblemFilter },
      ],
    };
  }
}
