import { COMMAND_ROUTES } from '../apps/api/src/appeals/command-routes';
import { actors, registration } from './support/appeals';
import { http, startTestEngine, type TestEngine } from './support/test-engine';

describe('engine smoke', () => {
  let t: TestEngine;
  beforeAll(async () => {
    t = await startTestEngine();
  });
  afterAll(async () => {
    await t.stop();
  });

  it('keeps events where the project under test says (PostgreSQL, or EventStoreDB in e2e-esdb)', () => {
    if (process.env.E2E_EVENT_STORE === 'esdb') expect(t.config.eventStoreUrl).toMatch(/^esdb:\/\//);
    else expect(t.config.eventStoreUrl).toBeUndefined();
  });

  it('answers /health without a token and refuses appeals without one', async () => {
    const health = await http(t.url, 'GET', '/health');
    expect(health.status).toBe(200);
    const anon = await http(t.url, 'POST', '/appeals', { body: {} });
    expect(anon.status).toBe(401);
    expect(anon.headers.get('content-type')).toContain('application/problem+json');
  });

  it('serves the OpenAPI document at /docs-json for every endpoint, without a token', async () => {
    const doc = await http<{
      paths: Record<string, Record<string, unknown>>;
      components: { securitySchemes: unknown };
    }>(t.url, 'GET', '/docs-json');
    expect(doc.status).toBe(200);
    const routes = Object.entries(doc.body.paths).flatMap(([path, ops]) =>
      Object.keys(ops).map((m) => `${m} ${path}`),
    );
    expect(routes).toEqual(
      expect.arrayContaining([
        'post /appeals',
        'post /appeals/{id}/assignment',
        'post /appeals/{id}/deadline-extensions',
        'post /appeals/{id}/interim-answers',
        'post /appeals/{id}/final-answer',
        'post /appeals/{id}/rework',
        'post /appeals/{id}/closure',
        'post /appeals/{id}/forwarding',
        'post /appeals/{id}/withdrawal',
        'get /appeals/{id}',
        'get /appeals/{id}/history',
        'get /control',
        'get /reports/annual',
        'get /reports/quarterly',
        'get /reports/monthly',
        'get /reports/weekly',
        'get /reminders',
        'get /reminders/stream',
        'get /health',
        'get /metrics',
      ]),
    );
    expect(doc.body.components.securitySchemes).toBeDefined();
    const ui = await http(t.url, 'GET', '/docs');
    expect(ui.status).toBe(200);
  });

  it('describes every command route of the table: path parameters, body schema, status', async () => {
    type Operation = {
      parameters: { name: string; in: string }[];
      requestBody?: { content: { 'application/json': { schema: { $ref?: string } } } };
      responses: Record<string, unknown>;
      tags: string[];
    };
    const doc = await http<{
      paths: Record<string, Record<string, Operation>>;
      components: { schemas: Record<string, { properties?: Record<string, unknown> }> };
    }>(t.url, 'GET', '/docs-json');
    for (const route of Object.values(COMMAND_ROUTES)) {
      const path = `/appeals/{id}/${route.path.replace(/:(\w+)/g, '{$1}')}`;
      const operation = doc.body.paths[path]?.post;
      expect({ path, described: operation !== undefined }).toEqual({ path, described: true });
      if (!operation) continue;
      expect(operation.parameters.map((p) => `${p.in} ${p.name}`)).toEqual(
        ['id', ...[...route.path.matchAll(/:(\w+)/g)].map((m) => m[1])].map((n) => `path ${n}`),
      );
      const ref = operation.requestBody?.content['application/json'].schema.$ref;
      expect(ref).toBe(`#/components/schemas/${route.body.name}`);
      expect(doc.body.components.schemas[route.body.name]).toBeDefined();
      // plus the answers of the route's checks before deciding and of its facts (docs/adding-a-transition.md)
      expect(Object.keys(operation.responses).sort()).toEqual(
        [
          route.created ? '201' : '200',
          ...(route.check?.responses ?? []).map((r) => String(r.status)),
          ...(route.responses ?? []).map((r) => String(r.status)),
        ].sort(),
      );
      expect(operation.tags).toEqual(['commands']);
    }
  });

  it('serves the Swagger UI page and its assets at /docs', async () => {
    const page = await http<string>(t.url, 'GET', '/docs');
    const scripts = [...page.body.matchAll(/src="\.\/docs\/([^"]+)"/g)].map((m) => m[1]);
    expect(scripts).toEqual(expect.arrayContaining(['swagger-ui-bundle.js', 'swagger-ui-init.js']));
    for (const script of scripts) {
      const asset = await http(t.url, 'GET', `/docs/${script}`);
      expect(asset.status).toBe(200);
      expect(asset.headers.get('content-type')).toContain('javascript');
    }
  });

  it('answers unknown routes, undecodable URLs and oversized bodies with problem+json, and ignores a trailing slash', async () => {
    const { registrar } = actors(t);
    const missing = await http<{ status: number; type: string }>(t.url, 'GET', '/no-such-route');
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).toContain('application/problem+json');
    expect(missing.body.status).toBe(404);
    const huge = { ...registration(), summary: 'я'.repeat(600_000) }; // > 1 MB of UTF-8
    const tooLarge = await http<{ status: number }>(t.url, 'POST', '/appeals', {
      token: registrar,
      body: huge,
    });
    expect(tooLarge.status).toBe(413);
    expect(tooLarge.headers.get('content-type')).toContain('application/problem+json');
    expect(tooLarge.body.status).toBe(413);
    const badUrl = await http<{ status: number; errors: { field: string }[] }>(
      t.url,
      'GET',
      '/appeals/%E0%A4%A',
      { token: registrar },
    );
    expect(badUrl.status).toBe(400);
    expect(badUrl.headers.get('content-type')).toContain('application/problem+json');
    expect(badUrl.body.errors[0].field).toBe('url');
    const slash = await http(t.url, 'GET', '/health/');
    expect(slash.status).toBe(200);
  });

  it('times every request into the HTTP histogram under its route pattern and status', async () => {
    const { registrar } = actors(t);
    const created = await http<{ id: string }>(t.url, 'POST', '/appeals', {
      token: registrar,
      body: registration(),
    });
    expect(created.status).toBe(201);
    await http(t.url, 'GET', `/appeals/${created.body.id}`, { token: registrar });
    await http(t.url, 'GET', '/no-such-route');
    const scrape = (await http<string>(t.url, 'GET', '/metrics', { token: actors(t).admin })).body;
    const count = (labels: string): number =>
      Number(
        new RegExp(`^appeal_ledger_http_request_duration_seconds_count\\{${labels}\\} (\\d+)`, 'm').exec(
          scrape,
        )?.[1] ?? 0,
      );
    expect(count('method="POST",route="/appeals",status="201"')).toBeGreaterThanOrEqual(1);
    expect(count('method="GET",route="/appeals/:id",status="200"')).toBeGreaterThanOrEqual(1);
    expect(count('method="GET",route="unmatched",status="404"')).toBeGreaterThanOrEqual(1);
  });
});
