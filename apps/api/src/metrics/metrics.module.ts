/** Metrics and health checks for the whole engine; other modules add their own to both. */
import { Global, Module } from '@nestjs/common';
import { HealthRegistry } from '../health/health.registry';
import { EngineMetrics } from './metrics';
import { MetricsController } from './metrics.controller';
import { MetricsPortServer } from './metrics-port.server';

@Global()
@Module({
  providers: [EngineMetrics, HealthRegistry, MetricsPortServer],
  controllers: [MetricsController],
  exports: [EngineMetrics, HealthRegistry, MetricsPortServer],
})
export class MetricsModule {}
