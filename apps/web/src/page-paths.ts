/**
 * Which requests are pages. Page paths that the API also uses (/appeals, /appeals/{id},
 * /control, /reminders) go to the page only for a browser: a GET or HEAD without an Authorization
 * header whose Accept prefers text/html to JSON. Paths only pages use go to the page always.
 * Pages are controllers under the internal prefix /ui (see PageController); links use the public paths.
 */
import accepts from 'accepts';
import type { IncomingMessage } from 'node:http';

export const UI_PREFIX = '/ui';

/** Paths that exist only as pages (any method): sign-in (single sign-on too), sign-out, the start, administration. */
const PAGE_ONLY: readonly RegExp[] = [
  /^\/$/,
  /^\/login$/,
  /^\/login\/oidc$/,
  /^\/login\/oidc\/callback$/,
  /^\/logout$/,
  /^\/admin$/,
  /^\/reports$/,
];

/** Paths shared with the API: pages for browsers' GET/HEAD only. */
const SHARED: readonly RegExp[] = [
  /^\/appeals$/,
  /^\/appeals\/new$/,
  /^\/appeals\/[0-9a-fA-F-]{36}$/,
  /^\/control$/,
  /^\/reminders$/,
];

function prefersHtml(req: IncomingMessage): boolean {
  if (!req.headers.accept) return false;
  return accepts(req).type(['application/json', 'text/html']) === 'text/html';
}

/** The URL Fastify routes this request by: `/ui<path>` for a page, the URL itself otherwise. */
export function rewritePageUrl(req: IncomingMessage): string {
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  const path = q === -1 ? url : url.slice(0, q);
  const bare = path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
  if (PAGE_ONLY.some((re) => re.test(bare))) return UI_PREFIX + url;
  if (
    (req.method === 'GET' || req.method === 'HEAD') &&
    !req.headers.authorization &&
    SHARED.some((re) => re.test(bare)) &&
    prefersHtml(req)
  )
    return UI_PREFIX + url;
  return url;
}
