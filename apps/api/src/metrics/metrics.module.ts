/** Metrics for the whole engine; other modules inject EngineMetrics to add their own. */
import { Global, MiddlewareConsumer, Module, NestModule } from '@nestjs/common';
import { HttpMetricsMiddleware } from './http-metrics.middleware';
import { EngineMetrics } from './metrics';
import { MetricsController } from './metrics.controller';

@Global()
@Module({
  providers: [EngineMetrics],
  controllers: [MetricsController],
  exports: [EngineMetrics],
})
export class MetricsModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(HttpMetricsMiddleware).forRoutes('*path');
  }
}
