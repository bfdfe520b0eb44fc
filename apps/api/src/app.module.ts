/** The engine's root module: stores, auth, the appeal lifecycle, operations endpoints. */
import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { AppealsModule } from './appeals/appeals.module';
import { AuthGuard } from './auth/auth.guard';
import { resolveJwtSecret } from './auth/jwt-secret';
import type { AppConfig } from './config/app-config';
import { HealthController } from './health/health.controller';
import { ProblemFilter } from './http/problem.filter';
import { IntegrityModule } from './integrity/integrity.module';
import { InfrastructureModule } from './infrastructure/infrastructure.module';
import type { Logger } from './logging/logger';
import { LoggerModule } from './logging/logger.module';
import { MetricsModule } from './metrics/metrics.module';
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
        JwtModule.register({
          secret: resolveJwtSecret(options.config),
          signOptions: { algorithm: 'HS256' },
          verifyOptions: { algorithms: ['HS256'] },
        }),
        MetricsModule,
        AppealsModule,
        ReadModelsModule,
        RemindersModule,
        IntegrityModule,
        RetentionModule,
        WebModule,
      ],
      controllers: [HealthController],
      providers: [
        { provide: APP_GUARD, useClass: AuthGuard },
        { provide: APP_FILTER, useClass: ProblemFilter },
      ],
    };
  }
}
