import { http, startTestEngine, type TestEngine } from './support/test-engine';

describe('engine smoke', () => {
  let t: TestEngine;
  beforeAll(async () => {
    t = await startTestEngine();
  });
  afterAll(async () => {
    await t.stop();
  });

  it('answers /health without a token and refuses appeals without one', async () => {
    const health = await http(t.url, 'GET', '/health');
    expect(health.status).toBe(200);
    const anon = await http(t.url, 'POST', '/appeals', { body: {} });
    expect(anon.status).toBe(401);
    expect(anon.headers.get('content-type')).toContain('application/problem+json');
  });
});
