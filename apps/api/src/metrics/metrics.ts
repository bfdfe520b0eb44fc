/** Prometheus metrics of this process (prom-client), served at GET /metrics. */
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export class EngineMetrics {
  readonly registry = new Registry();
  readonly httpRequests = new Histogram({
    name: 'appeal_ledger_http_request_duration_seconds',
    help: 'HTTP request duration by method, route and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [this.registry],
  });
  readonly appendRetries = new Counter({
    name: 'appeal_ledger_append_retries_total',
    help: 'Appends redone on fresh state after another writer won the race',
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'appeal_ledger_' });
  }
}
