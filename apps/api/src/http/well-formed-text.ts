/**
 * Text the engine accepts is well-formed: no NUL (PostgreSQL cannot store it in text or jsonb) and
 * no unpaired UTF-16 surrogate, in any string of a JSON body (keys too), in the query string, in
 * path parameters and in the headers the engine reads; JSON bodies nest at most MAX_JSON_DEPTH
 * levels. Checked once, generically, before validation or any handler runs; refused with 400
 * problem+json naming where.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { clip, Problem } from './problem';

/** Objects and arrays nested deeper than this are refused before anything recurses into them. */
export const MAX_JSON_DEPTH = 32;

/** Headers the engine reads; their values are checked like any other text. */
export const CHECKED_HEADERS = [
  'accept',
  'authorization',
  'content-type',
  'idempotency-key',
  'if-match',
  'last-event-id',
  'x-correlation-id',
] as const;

// A high surrogate not followed by a low one, or a low surrogate not preceded by a high one.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** What is wrong with `text` (a NUL, an unpaired surrogate), or undefined when it is well-formed. */
export function textProblem(text: string): string | undefined {
  const nul = text.indexOf('\u0000');
  if (nul !== -1) return `contains a NUL character (\\u0000) at offset ${nul}`;
  const lone = LONE_SURROGATE.exec(text);
  return lone ? `contains an unpaired UTF-16 surrogate at offset ${lone.index}` : undefined;
}

/** True when `text` holds a control character other than a tab (none belongs in a header value). */
function hasControlCharacter(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if ((c < 0x20 && c !== 0x09) || c === 0x7f) return true;
  }
  return false;
}

/** True when JSON `text` nests objects/arrays deeper than `max` (one pass, no parsing). */
export function jsonDeeperThan(text: string, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c /* \ */) i++;
      else if (c === 0x22 /* " */) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
      if (++depth > max) return true;
    } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) depth--;
  }
  return false;
}

/** The first ill-formed string (or key) of a parsed JSON value: where it is and what is wrong. */
export function illFormedString(
  value: unknown,
  root = 'body',
): { field: string; message: string } | undefined {
  const stack: [unknown, string][] = [[value, root]];
  while (stack.length > 0) {
    const [node, path] = stack.pop() as [unknown, string];
    if (typeof node === 'string') {
      const problem = textProblem(node);
      if (problem) return { field: path, message: problem };
    } else if (Array.isArray(node)) {
      for (let i = node.length - 1; i >= 0; i--) stack.push([node[i], `${path}[${i}]`]);
    } else if (typeof node === 'object' && node !== null) {
      for (const [key, child] of Object.entries(node)) {
        const problem = textProblem(key);
        if (problem) return { field: path, message: `has a key that ${problem}` };
        stack.push([child, `${path}.${key}`]);
      }
    }
  }
  return undefined;
}

/** The first problem of a request's query string, path parameters or read headers. */
function requestTextProblem(request: FastifyRequest): { field: string; message: string } | undefined {
  const q = request.url.indexOf('?');
  if (q !== -1) {
    for (const pair of request.url.slice(q + 1).split('&')) {
      if (pair === '') continue;
      const eq = pair.indexOf('=');
      const rawKey = eq === -1 ? pair : pair.slice(0, eq);
      const field = `query.${clip(safeDecode(rawKey) ?? rawKey, 60)}`;
      for (const raw of eq === -1 ? [rawKey] : [rawKey, pair.slice(eq + 1)]) {
        const decoded = safeDecode(raw);
        if (decoded === undefined) return { field, message: 'is not valid percent-encoded UTF-8' };
        const problem = textProblem(decoded);
        if (problem) return { field, message: problem };
      }
    }
  }
  const params = (request.params ?? {}) as Record<string, unknown>;
  for (const [name, value] of Object.entries(params)) {
    const problem = typeof value === 'string' ? textProblem(value) : undefined;
    if (problem) return { field: `path.${name}`, message: problem };
  }
  for (const name of CHECKED_HEADERS) {
    const header = request.headers[name];
    for (const value of Array.isArray(header) ? header : header === undefined ? [] : [header]) {
      // Node refuses NUL and most control characters in headers itself; this holds whatever parser runs.
      if (hasControlCharacter(value))
        return { field: `header.${name}`, message: 'contains a control character' };
      const problem = textProblem(value);
      if (problem) return { field: `header.${name}`, message: problem };
    }
  }
  return undefined;
}

function safeDecode(raw: string): string | undefined {
  try {
    return decodeURIComponent(raw.replace(/\+/g, ' '));
  } catch {
    return undefined;
  }
}

/** Refuses, before routing to a handler, requests whose query, path or read headers are ill-formed. */
export function registerTextChecks(server: FastifyInstance): void {
  server.addHook('onRequest', (request, _reply, done) => {
    const problem = requestTextProblem(request);
    done(problem ? Problem.validation([problem]) : undefined);
  });
}
