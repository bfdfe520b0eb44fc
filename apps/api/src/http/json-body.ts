/**
 * JSON request bodies: Fastify's own parser (with its prototype-poisoning checks), except that an
 * empty body sent with a JSON content type is no body at all — as clients that always send the
 * header expect, and as the engine behaved on Express — rather than a 400. Other media types are
 * refused with 415 (the API speaks JSON only). Before parsing, a body nested deeper than
 * MAX_JSON_DEPTH is refused (validation recurses, and ~3,000 levels overflowed its stack); after,
 * every string and key must be well-formed text (no NUL, no unpaired surrogate): both are 400s. Every
 * body the API takes is a JSON object of a few dozen fields at most, so an array, a scalar or an object
 * of more than MAX_OBJECT_KEYS keys is refused at once — the whitelist check would otherwise name each
 * of 150,000 stray keys (seconds of CPU per request on a busy machine) before answering the same 400.
 */
import type { FastifyInstance } from 'fastify';
import { Problem } from './problem';
import { illFormedString, jsonDeeperThan, MAX_JSON_DEPTH } from './well-formed-text';

/** More keys than any request object has (the largest DTO has about 20). */
export const MAX_OBJECT_KEYS = 200;

/** Why `value` is not a body the API takes: not an object, or an object with too many keys. */
function unshapely(value: unknown): { field: string; message: string } | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return { field: 'body', message: 'must be a JSON object' };
  }
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const next = stack.pop();
    if (next === null || typeof next !== 'object') continue;
    if (Array.isArray(next)) {
      for (const item of next) if (item !== null && typeof item === 'object') stack.push(item);
      continue;
    }
    const keys = Object.keys(next);
    if (keys.length > MAX_OBJECT_KEYS) {
      return { field: 'body', message: `has an object with more than ${MAX_OBJECT_KEYS} keys` };
    }
    for (const key of keys) {
      const item = (next as Record<string, unknown>)[key];
      if (item !== null && typeof item === 'object') stack.push(item);
    }
  }
  return undefined;
}

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
      const shape = unshapely(value);
      if (shape) {
        done(Problem.validation([shape]));
        return;
      }
      const bad = illFormedString(value);
      if (bad) done(Problem.validation([bad]));
      else done(null, value);
    });
  });
}
