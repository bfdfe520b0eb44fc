/**
 * What the web application adds to the Fastify server: cookies, HTML form bodies (for pages only:
 * the API still answers 415 to anything but JSON). Security headers, pages' included, are decided in
 * one place: apps/api/src/http/security-headers.ts.
 */
import fastifyCookie from '@fastify/cookie';
import { UnsupportedMediaTypeException } from '@nestjs/common';
import type { FastifyInstance } from 'fastify';
import { UI_PREFIX } from './page-paths';

export { rewritePageUrl } from './page-paths';

export async function registerWebServer(server: FastifyInstance, bodyLimit: number): Promise<void> {
  await server.register(fastifyCookie);
  server.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string', bodyLimit },
    (request, body, done) => {
      if (!request.url.startsWith(UI_PREFIX + '/')) {
        done(new UnsupportedMediaTypeException('this endpoint accepts application/json only'), undefined);
        return;
      }
      const text = typeof body === 'string' ? body : body.toString('utf8');
      const fields: Record<string, string | string[]> = {};
      for (const [key, value] of new URLSearchParams(text)) {
        const seen = fields[key];
        fields[key] = seen === undefined ? value : Array.isArray(seen) ? [...seen, value] : [seen, value];
      }
      done(null, fields);
    },
  );
}
