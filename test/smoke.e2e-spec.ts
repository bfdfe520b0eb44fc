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
});
