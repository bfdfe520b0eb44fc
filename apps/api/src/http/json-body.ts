/**
 * JSON request bodies: Fastify's own parser (with its prototype-poisoning checks), except that an
 * empty body sent with a JSON content type is no body at all — as clients that always send the
 * header expect, and as the engine behaved on Express — rather than a 400. Other media types are
 * refused with 415 (the API speaks JSON only). Before parsing, a body nested deeper than
 * MAX_JSON_DEPTH is refused (validation recurses, and ~3,000 levels overflowed its stack); after,
 * every string and key must be well-formed text (no NUL, no unpaired surrogate): both are 400s.
 */
import type { FastifyInstance } from 'fastify';
import { Problem } from './problem';
import { illFormedString, jsonDeeperThan, MAX_JSON_DEPTH } from './well-formed-text';

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
    if (jsonDeeperThan(text, MAX_JSON_DEPTH)) {
      done(
        Problem.validation([
          { field: 'body', message: `nests objects and arrays deeper than ${MAX_JSON_DEPTH} levels` },
        ]),
      );
      return;
    }
    // The default parser answers through `done` (it returns nothing to wait for).
    void parse(request, text, (error, value: unknown) => {
      if (error) {
        done(error);
        return;
      }
      const bad = illFormedString(value);
      if (bad) done(Problem.validation([bad]));
      else done(null, value);
    });
  });
}
