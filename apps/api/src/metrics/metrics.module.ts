/** Metrics and health checks for the whole engine; other modules add their own to both. */
import { Global, MiddlewareConsumer, Module, NestModule } from '@nestjs/common';
import { HealthRegistry } from '../health/health.registry';
import { HttpMetricsMiddleware } from './http-metrics.middleware';
import { EngineMetrics } from './metrics';
import { MetricsController } from './metrics.controller';

@Global()
@Module({
  providers: [EngineMetrics, HealthRegistry],
  controllers: [MetricsController],
  exports: [EngineMetrics, HealthRegistry],
})
export class MetricsModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(HttpMetricsMiddleware).forRoutes('*path');
  }
}
