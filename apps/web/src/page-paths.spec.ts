import type { IncomingMessage } from 'node:http';
import { rewritePageUrl } from './page-paths';

const req = (method: string, url: string, headers: Record<string, string> = {}): IncomingMessage =>
  ({ method, url, headers }) as unknown as IncomingMessage;
const BROWSER = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';
const ID = '0b6f1f3e-4a1c-4c39-9a40-5f8f5d6d8e21';

describe('rewritePageUrl', () => {
  it.each([
    '/appeals',
    '/appeals?state=registered',
    '/appeals/new',
    `/appeals/${ID}`,
    '/control',
    '/reminders',
  ])('sends a browser GET of %s to the page', (url) =>
    expect(rewritePageUrl(req('GET', url, { accept: BROWSER }))).toBe('/ui' + url),
  );

  it.each([
    ['a JSON client', 'GET', { accept: 'application/json' }],
    ['a client without Accept', 'GET', {}],
    ['*/*', 'GET', { accept: '*/*' }],
    ['a bearer token', 'GET', { accept: BROWSER, authorization: 'Bearer x' }],
    ['a POST', 'POST', { accept: BROWSER }],
  ])('sends %s on a shared path to the API', (_, method, headers) =>
    expect(rewritePageUrl(req(method, '/appeals', headers))).toBe('/appeals'),
  );

  it('sends page-only paths to pages for any client, and leaves the rest alone', () => {
    expect(rewritePageUrl(req('GET', '/'))).toBe('/ui/');
    expect(rewritePageUrl(req('POST', '/login'))).toBe('/ui/login');
    expect(rewritePageUrl(req('POST', '/logout'))).toBe('/ui/logout');
    expect(rewritePageUrl(req('GET', '/admin?x=1'))).toBe('/ui/admin?x=1');
    expect(rewritePageUrl(req('GET', '/admin/users', { accept: BROWSER }))).toBe('/admin/users');
    expect(rewritePageUrl(req('GET', '/reports/weekly', { accept: BROWSER }))).toBe('/reports/weekly');
    expect(rewritePageUrl(req('GET', `/appeals/${ID}/history`, { accept: BROWSER }))).toBe(
      `/appeals/${ID}/history`,
    );
    expect(rewritePageUrl(req('GET', '/health', { accept: BROWSER }))).toBe('/health');
  });
});
