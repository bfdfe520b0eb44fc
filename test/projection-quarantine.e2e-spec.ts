/**
 * A poison event over HTTP: an event no read model can apply (a due date PostgreSQL's `date`
 * refuses) is written straight into the store between two registrations. The read models go on
 * (the later appeal is on /control), /health answers 200 "degraded" with the count, /metrics and
 * GET /admin/projections show it, rebuild answers 200, retry answers a summary and — once the event
 * is repaired in the store — applies it, and health is "ok" again.
 */
import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { appealStreamId } from '@appeal-ledger/appeal';
import { EVENT_STORE, type EventStore } from '@appeal-ledger/event-store';
import { ProjectionsService } from '../apps/api/src/read-models/projections.service';
import { http, startTestEngine, type TestEngine } from './support/test-engine';
import { actors, expectProblem, registered, registration, type Actors } from './support/appeals';

interface Quarantined {
  projection: string;
  position: number;
  streamId: string;
  eventId: string;
  type: string;
  error: string;
  quarantinedAt: string;
  lastFailedAt: string;
  attempts: number;
}
interface Overview {
  name: string;
  role: string;
  position: number | null;
  lastError: string | null;
  lag: number;
  quarantinedCount: number;
  quarantined: Quarantined[];
}
interface Health {
  status: string;
  checks: Record<string, { status: string; quarantined?: number; lag?: number; detail?: string }>;
}

describe('a poison event over HTTP', () => {
  let t: TestEngine;
  let who: Actors;
  let pool: Pool;
  let store: EventStore;
  let poison = 0;
  let laterId = '';
  let laterPosition = 0;

  beforeAll(async () => {
    t = await startTestEngine();
    who = actors(t);
    pool = new Pool({ connectionString: t.database.url, max: 2 });
    store = t.engine.app.get<EventStore>(EVENT_STORE);
    const first = await registered(t, who.registrar);
    const [recorded] = await store.readAll({ after: first.position - 1, maxCount: 1 });
    if (!recorded) throw new Error('the registration event is not in the store');
    // as a bug or another schema version would have written it: past every check of the API
    const written = await store.append(
      appealStreamId(randomUUID()),
      [
        {
          id: randomUUID(),
          type: 'AppealRegistered',
          data: { ...recorded.data, number: '9999/poison', dueDate: '2026-02-30' },
          metadata: recorded.metadata,
        },
      ],
      'no_stream',
    );
    poison = written.position;
    const later = await registered(t, who.registrar, registration({ summary: 'after the poison' }));
    laterId = later.id;
    laterPosition = later.position;
    // every read model has gone past the poison event (a fact, not a time)
    if (!(await t.engine.app.get(ProjectionsService).runner.waitForAll(laterPosition, 30_000)))
      throw new Error('the read models did not reach the later registration');
  });

  afterAll(async () => {
    await pool?.end();
    await t?.stop();
  });

  const health = (): Promise<{ status: number; body: Health }> =>
    http<Health>(t.url, 'GET', '/health', { token: who.admin });
  const overview = async (): Promise<Overview[]> => {
    const res = await http<Overview[]>(t.url, 'GET', '/admin/projections', { token: who.admin });
    expect(res.status).toBe(200);
    return res.body;
  };

  it('the read models go past it: the later appeal is on /control', async () => {
    const res = await http<{ rows: { id: string }[] }>(
      t.url,
      'GET',
      `/control?minPosition=${laterPosition}`,
      {
        token: who.controller,
      },
    );
    expect(res.status).toBe(200);
    expect(res.body.rows.map((r) => r.id)).toContain(laterId);
    expect(res.body.rows.map((r) => r.id)).toHaveLength(2);
  });

  it('/health answers 200 "degraded" with the count per projection', async () => {
    const res = await health();
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('degraded');
    expect(res.body.checks['projection:control']).toMatchObject({
      status: 'degraded',
      quarantined: 1,
      lag: 0,
    });
    expect(res.body.checks['projection:statistics']).toMatchObject({ status: 'degraded', quarantined: 1 });
    expect(res.body.checks['projection:reminder_feed']).toMatchObject({ status: 'ok', quarantined: 0 });
    expect(res.body.checks.database).toEqual({ status: 'ok' });
  });

  it('/metrics has the quarantined events per projection', async () => {
    const res = await http<string>(t.url, 'GET', '/metrics', { token: who.admin });
    expect(res.body).toMatch(/^appeal_ledger_projection_quarantined_events\{projection="control"\} 1$/m);
    expect(res.body).toMatch(
      /^appeal_ledger_projection_quarantined_events\{projection="reminder_feed"\} 0$/m,
    );
  });

  it('GET /admin/projections lists the event: position, stream, id, type, a short error; no event data', async () => {
    const control = (await overview()).find((p) => p.name === 'control');
    expect(control).toMatchObject({ role: 'active', lastError: null, lag: 0, quarantinedCount: 1 });
    expect(control?.quarantined).toEqual([
      expect.objectContaining({
        projection: 'control',
        position: poison,
        type: 'AppealRegistered',
        attempts: 1,
        error: expect.stringMatching(/^SQLSTATE 22008: .{1,200}$/) as unknown,
      }),
    ]);
    expect(JSON.stringify(control)).not.toContain('2026-02-30');
    expect(JSON.stringify(control)).not.toContain('9999/poison');
  });

  it('a rebuild over it answers 200: quarantined again, the read model complete', async () => {
    const res = await http<{ name: string; events: number; quarantined: number; position: number }>(
      t.url,
      'POST',
      '/admin/projections/control/rebuild',
      { token: who.admin },
    );
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ name: 'control', quarantined: 1 });
    expect(res.body.position).toBeGreaterThanOrEqual(laterPosition);
    const control = await http<{ rows: { id: string }[] }>(t.url, 'GET', '/control', {
      token: who.controller,
    });
    expect(control.body.rows.map((r) => r.id)).toContain(laterId);
    expect((await overview()).find((p) => p.name === 'control')?.quarantined).toEqual([
      expect.objectContaining({ position: poison, attempts: 1 }),
    ]);
  });

  it('retry answers a summary: still failing, kept, attempts counted', async () => {
    const res = await http<{
      retried: number;
      applied: number;
      stillFailing: number;
      remaining: Quarantined[];
    }>(t.url, 'POST', '/admin/projections/control/retry', { token: who.admin });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ name: 'control', retried: 1, applied: 0, stillFailing: 1, gone: 0 });
    expect(res.body.remaining).toEqual([expect.objectContaining({ position: poison, attempts: 2 })]);
    const empty = await http(t.url, 'POST', '/admin/projections/reminder_feed/retry', { token: who.admin });
    expect(empty.body).toMatchObject({ retried: 0, applied: 0, stillFailing: 0, remaining: [] });
  });

  it('refuses strangers and unknown names', async () => {
    expectProblem(
      await http(t.url, 'POST', '/admin/projections/control/retry', { token: who.controller }),
      403,
    );
    expectProblem(await http(t.url, 'GET', '/admin/projections', { token: who.registrar }), 403);
    expectProblem(await http(t.url, 'POST', '/admin/projections/control/retry'), 401);
    expectProblem(await http(t.url, 'POST', '/admin/projections/nothing/retry', { token: who.admin }), 404);
  });

  it('after the event is repaired in the store, retry applies it and health is ok again', async () => {
    // an operator's repair of the stored event (the store forbids updates; lifted for the repair)
    await pool.query('ALTER TABLE events DISABLE TRIGGER events_are_immutable');
    await pool.query(
      `UPDATE events SET data = jsonb_set(data, '{dueDate}', '"2026-03-02"') WHERE position = $1`,
      [poison],
    );
    await pool.query('ALTER TABLE events ENABLE TRIGGER events_are_immutable');
    for (const name of ['control', 'statistics', 'journal']) {
      const res = await http(t.url, 'POST', `/admin/projections/${name}/retry`, { token: who.admin });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ retried: 1, applied: 1, stillFailing: 0, remaining: [] });
    }
    const res = await health();
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('ok');
    const control = await http<{ rows: { number: string }[] }>(t.url, 'GET', '/control', {
      token: who.controller,
    });
    expect(control.body.rows.map((r) => r.number)).toContain('9999/poison');
    const metrics = await http<string>(t.url, 'GET', '/metrics', { token: who.admin });
    expect(metrics.body).toMatch(/^appeal_ledger_projection_quarantined_events\{projection="control"\} 0$/m);
  });
});
