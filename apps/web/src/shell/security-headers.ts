/**
 * Security headers for pages and assets: scripts and styles only from this origin (no inline
 * script), never framed, no MIME sniffing, no referrer to other origins. A small hook rather than
 * @fastify/helmet: helmet would apply to every route, and the OpenAPI viewer at /docs needs inline
 * scripts. The JSON API gets nosniff too.
 */
import type { FastifyInstance } from 'fastify';
import { UI_PREFIX } from '../page-paths';

export const PAGE_SECURITY_HEADERS: Record<string, string> = {
  'content-security-policy':
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'",
  'x-frame-options': 'DENY',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'same-origin',
  'cross-origin-opener-policy': 'same-origin',
};

export function registerSecurityHeaders(server: FastifyInstance): void {
  server.addHook('onSend', (request, reply, payload, done) => {
    const url = request.url;
    if (url.startsWith(UI_PREFIX + '/') || url === UI_PREFIX || url.startsWith('/assets/')) {
      for (const [name, value] of Object.entries(PAGE_SECURITY_HEADERS)) void reply.header(name, value);
      if (url.startsWith(UI_PREFIX)) void reply.header('cache-control', 'no-store');
    } else if (!reply.hasHeader('x-content-type-options')) {
      void reply.header('x-content-type-options', 'nosniff');
    }
    done(null, payload);
  });
}
