/** Metrics and health checks for the whole engine; other modules add their own to both. */
import { Global, Module } from '@nestjs/common';
import { HealthRegistry } from '../health/health.registry';
import { EngineMetrics } from './metrics';
import { MetricsController } from './metrics.controller';

@Global()
@Module({
  providers: [EngineMetrics, HealthRegistry],
  controllers: [MetricsController],
  exports: [EngineMetrics, HealthRegistry],
})
export class MetricsModule {}
