/**
 * JSON request bodies: Fastify's own parser (with its prototype-poisoning checks), except that an
 * empty body sent with a JSON content type is no body at all — as clients that always send the
 * header expect, and as the engine behaved on Express — rather than a 400. Other media types are
 * refused with 415 (the API speaks JSON only).
 */
import type { FastifyInstance } from 'fastify';

export function registerJsonBodyParser(server: FastifyInstance, bodyLimit: number): void {
  // Fastify also parses text/plain by default: a JSON API has no use for it.
  server.removeContentTypeParser('text/plain');
  const parse = server.getDefaultJsonParser('error', 'error');
  server.addContentTypeParser('application/json', { parseAs: 'string', bodyLimit }, (request, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    if (text.trim() === '') {
      done(null, undefined);
      return;
    }
    // The default parser answers through `done` (it returns nothing to wait for).
    void parse(request, text, done);
  });
}
