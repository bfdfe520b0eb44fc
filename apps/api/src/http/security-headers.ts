/**
 * Security headers on every response the engine sends — API answers, problem+json errors, 404s, the
 * web application's pages and assets, HTML reports, the OpenAPI viewer and SSE streams. The one
 * place they are decided (docs/operations.md, "Hardening").
 *
 * The set is @fastify/helmet's, written as two hooks rather than the plugin so each kind of response
 * gets the Content-Security-Policy it can live with:
 * - the JSON API and everything else: nothing may load (`default-src 'none'`);
 * - pages and assets (`/ui/…` after the page rewrite, `/assets/…`): scripts, styles, images and
 *   requests from this origin only, no inline script;
 * - HTML documents the API renders (reports, format=html): inline styles only, no script at all;
 * - the OpenAPI viewer (`/docs`): its own scripts, inline styles.
 * The common headers are put on the raw response when the request arrives, so they are on answers
 * that bypass Fastify's reply (SSE streams) and on errors alike; the policy is refined on send.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { UI_PREFIX } from '../../../web/src/page-paths';

const LOCKED_DOWN = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

export const CONTENT_SECURITY_POLICIES = {
  /** JSON, CSV, XLSX, problem+json, SSE: nothing to load, never framed */
  api: LOCKED_DOWN,
  /** the web application's pages and assets */
  page:
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'",
  /** printable reports (format=html): an inline stylesheet and style attributes, no script */
  document:
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'; " +
    "base-uri 'none'; form-action 'none'",
  /** Swagger UI at /docs: its own script files; it styles elements inline */
  docs:
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
    "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'",
} as const;

/** Sent with every response, whatever its kind. */
export const COMMON_SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'same-origin',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'origin-agent-cluster': '?1',
  'x-dns-prefetch-control': 'off',
  'x-download-options': 'noopen',
  'x-permitted-cross-domain-policies': 'none',
  'x-xss-protection': '0',
};

/** The same as [name, value] pairs, made once (the hooks below run on every request). */
const COMMON_HEADER_PAIRS: readonly (readonly [string, string])[] = Object.entries(COMMON_SECURITY_HEADERS);

/** HSTS only where the browser reached us over HTTPS (directly or, with TRUST_PROXY, via a proxy). */
const HSTS = 'max-age=31536000';

function isPage(url: string): boolean {
  return url === UI_PREFIX || url.startsWith(UI_PREFIX + '/') || url.startsWith(UI_PREFIX + '?');
}

function isAsset(url: string): boolean {
  return url.startsWith('/assets/');
}

function isDocs(url: string): boolean {
  return url === '/docs' || url.startsWith('/docs/') || url.startsWith('/docs?');
}

/** The policy for a request, before its content type is known. */
function policyFor(url: string): string {
  if (isPage(url) || isAsset(url)) return CONTENT_SECURITY_POLICIES.page;
  if (isDocs(url)) return CONTENT_SECURITY_POLICIES.docs;
  return CONTENT_SECURITY_POLICIES.api;
}

function isHtml(reply: FastifyReply): boolean {
  const type = reply.getHeader('content-type');
  return typeof type === 'string' && type.toLowerCase().startsWith('text/html');
}

export function registerSecurityHeaders(server: FastifyInstance): void {
  server.addHook('onRequest', (request: FastifyRequest, reply: FastifyReply, done) => {
    const raw = reply.raw;
    for (const [name, value] of COMMON_HEADER_PAIRS) raw.setHeader(name, value);
    raw.setHeader('content-security-policy', policyFor(request.url));
    if (request.protocol === 'https') raw.setHeader('strict-transport-security', HSTS);
    done();
  });
  server.addHook('onSend', (request, reply, payload, done) => {
    const url = request.url;
    // Also here: a response Fastify answers before onRequest (a URL it cannot route) has none yet;
    // every other one got them in onRequest, so they are not set a second time on the hot path.
    if (!reply.raw.hasHeader('x-content-type-options')) {
      for (const [name, value] of COMMON_HEADER_PAIRS) void reply.header(name, value);
    }
    const page = isPage(url) || isAsset(url);
    const policy =
      page || isDocs(url)
        ? policyFor(url)
        : isHtml(reply)
          ? CONTENT_SECURITY_POLICIES.document
          : CONTENT_SECURITY_POLICIES.api;
    void reply.header('content-security-policy', policy);
    if (isPage(url)) void reply.header('cache-control', 'no-store');
    done(null, payload);
  });
}

/** Every header a response to `url` gets before its content type is known. */
export function securityHeadersFor(url: string): Record<string, string> {
  return { ...COMMON_SECURITY_HEADERS, 'content-security-policy': policyFor(url) };
}

/** The same headers as raw `Name: value` lines, for answers written straight to the socket. */
export function rawSecurityHeaderLines(): string {
  return Object.entries({
    ...COMMON_SECURITY_HEADERS,
    'content-security-policy': CONTENT_SECURITY_POLICIES.api,
  })
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join('');
}
