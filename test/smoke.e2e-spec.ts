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
});
