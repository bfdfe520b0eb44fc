/** Times every HTTP request into the request-duration histogram, labelled by route pattern. */
import type { FastifyInstance } from 'fastify';
import type { EngineMetrics } from './metrics';

export function observeHttpRequests(server: FastifyInstance, metrics: EngineMetrics): void {
  server.addHook('onResponse', (request, reply, done) => {
    metrics.httpRequests.observe(
      {
        method: request.method,
        route: request.routeOptions.url ?? 'unmatched',
        status: String(reply.statusCode),
      },
      reply.elapsedTime / 1000,
    );
    done();
  });
}
