/**
 * A poison event cannot stop a read model: events the control projection cannot apply are written
 * straight into the store (a due date PostgreSQL's `date` refuses; an assignment without executor, on
 * which the fold throws) among normal ones. The runner quarantines them, keeps the rest of their
 * batch, reaches the head, rebuilds over them, and re-applies them after a fix. Transient failures
 * (a serialization failure, the session killed) are retried, never quarantined.
 */
import { randomUUID } from 'node:crypto';
import { appealStreamId } from '@appeal-ledger/appeal';
import { PostgresEventStore, type JsonObject, type RecordedEvent } from '@appeal-ledger/event-store';
import { DatabaseError, Pool } from 'pg';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/test-database';
import { ControlProjection } from '../control/control.projection';
import type { Projection, SqlExecutor } from '../projection.port';
import { liveSchema } from '../projection.port';
import { testMetadata } from '../testing/event-log';
import { applyEvents, createReadModel, dumpTables } from '../testing/projection-harness';
import { syntheticAppealEvents } from '../testing/synthetic-appeals';
import type { ProjectionRunnerOptions } from './projection-runner';
import { ProjectionRunner } from './projection-runner';

const TZ = 'Asia/Novokuznetsk';
const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };

/** The control projection under another name, with an optional upcaster (the "fix") and failure hooks. */
class Control implements Projection {
  readonly inner = new ControlProjection({ timeZone: TZ });
  readonly version = 1;
  readonly tables = this.inner.tables;
  upcast: ((event: RecordedEvent) => RecordedEvent) | null = null;
  /** runs before the real handling; may throw or break the session */
  before: ((events: readonly RecordedEvent[], tx: SqlExecutor) => Promise<void>) | null = null;

  constructor(readonly name: string) {}

  createTables(schema: string): readonly string[] {
    return this.inner.createTables(schema);
  }

  createIndexes(schema: string): readonly string[] {
    return this.inner.createIndexes(schema);
  }

  async handle(events: readonly RecordedEvent[], tx: SqlExecutor, schema: string): Promise<void> {
    if (this.before) await this.before(events, tx);
    const upcast = this.upcast;
    await this.inner.handle(upcast ? events.map((e) => upcast(e)) : events, tx, schema);
  }
}

describe('projection quarantine (PostgreSQL event store)', () => {
  let db: TestDatabase;
  let pool: Pool;
  let store: PostgresEventStore;
  const runners: ProjectionRunner[] = [];
  const synthetic = syntheticAppealEvents({ appeals: 10_000, perDay: 6, seed: 11 });
  /** a valid registration to copy from */
  let registration: JsonObject;
  const poison = { date: 0, evolve: 0 };
  let assignedAppeal = '';

  async function append(appealId: string, type: string, data: JsonObject): Promise<number> {
    const result = await store.append(
      appealStreamId(appealId),
      [{ id: randomUUID(), type, data, metadata: testMetadata() }],
      'any',
    );
    return result.position;
  }

  async function appendSynthetic(count: number): Promise<number> {
    let last = 0;
    for (let i = 0; i < count; i++) {
      const next = synthetic.next();
      if (next.done) break;
      const { appealId, event } = next.value;
      const data = event.data as unknown as JsonObject;
      if (event.type === 'AppealRegistered') registration ??= data;
      if (event.type === 'AppealRegistered' && !assignedAppeal) assignedAppeal = appealId;
      last = await append(appealId, event.type, data);
    }
    return last;
  }

  function runner(
    projections: Projection[],
    options: Partial<ProjectionRunnerOptions> = {},
  ): ProjectionRunner {
    const created = new ProjectionRunner({
      store,
      projections,
      pool,
      connection: { connectionString: db.url },
      batchSize: 1000,
      retryDelayMs: 20,
      logger: quiet,
      ...options,
    });
    runners.push(created);
    return created;
  }

  /** What the tables must hold: every event of the store but `skipped` applied to fresh tables. */
  async function expectedWithout(skipped: readonly number[], fix?: (e: RecordedEvent) => RecordedEvent) {
    const projection = new ControlProjection({ timeZone: TZ });
    const schema = `expected_${randomUUID().replace(/-/g, '').slice(0, 8)}`;
    await createReadModel(pool, projection, schema);
    const events = (await store.readAll()).filter((e) => !skipped.includes(e.position));
    await applyEvents(pool, projection, fix ? events.map(fix) : events, { schema });
    const dump = await dumpTables(pool, schema, projection.tables);
    await pool.query(`DROP SCHEMA ${schema} CASCADE`);
    return dump;
  }

  beforeAll(async () => {
    db = await createTestDatabase('quarantine');
    pool = new Pool({ connectionString: db.url, max: 8 });
    store = new PostgresEventStore(db.url, { pollIntervalMs: 200 });
    await store.migrate();
    await appendSynthetic(40);
    // straight into the store, as a bug or another schema version would have written them
    poison.date = await append('poison-date', 'AppealRegistered', {
      ...registration,
      number: 'P-1',
      dueDate: '2026-02-30',
    });
    poison.evolve = await append(assignedAppeal, 'ExecutorAssigned', { assignedAt: '2017-01-10' });
    await appendSynthetic(40);
    await append('after-poison', 'AppealRegistered', { ...registration, number: 'A-1' });
  });

  afterEach(async () => {
    await Promise.all(runners.splice(0).map((r) => r.stop()));
  });

  afterAll(async () => {
    await store.close();
    await pool.end();
    await db.drop();
  });

  /** The repair: what an upcaster deployed after the incident would do with the two poison events. */
  const repair = (event: RecordedEvent): RecordedEvent => {
    if (event.position === poison.date) return { ...event, data: { ...event.data, dueDate: '2026-03-02' } };
    if (event.position === poison.evolve)
      return {
        ...event,
        data: {
          ...event.data,
          department: 'Отдел',
          executor: { id: 'fixed', name: 'Исправленный' },
        },
      };
    return event;
  };

  it('quarantines what it cannot apply, keeps the rest of the batch, reaches the head; retry after a fix empties the quarantine', async () => {
    const projection = new Control('q_control');
    let calls = 0;
    projection.before = () => Promise.resolve(void (calls += 1));
    const logged: [string, Record<string, unknown> | undefined][] = [];
    const r = runner([projection], {
      logger: { ...quiet, error: (context, message) => void logged.push([message, context]) },
    });
    await r.start();
    const head = await store.headPosition();
    expect(await r.waitForPosition('q_control', head, 30_000)).toBe(true);
    // one batch of 83 events with 2 poison ones: bisected, not replayed one event at a time
    expect(calls).toBeLessThan(40);
    projection.before = null;

    // the read model is current: everything but the two poison events, nothing of the batch lost
    const schema = liveSchema('q_control');
    expect(await dumpTables(pool, schema, projection.tables)).toEqual(
      await expectedWithout([poison.date, poison.evolve]),
    );
    const after = await pool.query(`SELECT number FROM ${schema}.appeals WHERE appeal_id = 'after-poison'`);
    expect(after.rows).toEqual([{ number: 'A-1' }]);
    expect(r.status()[0]).toMatchObject({ role: 'active', position: head, lastError: null });

    const quarantined = await r.quarantine('q_control');
    expect(quarantined).toEqual([
      expect.objectContaining({
        projection: 'q_control',
        position: poison.date,
        streamId: appealStreamId('poison-date'),
        type: 'AppealRegistered',
        error: expect.stringMatching(/^SQLSTATE 22008: /) as unknown,
        attempts: 1,
      }),
      expect.objectContaining({
        position: poison.evolve,
        streamId: appealStreamId(assignedAppeal),
        type: 'ExecutorAssigned',
        error: expect.stringMatching(/^TypeError: /) as unknown,
        attempts: 1,
      }),
    ]);
    // no event data in the message (the bad value is masked)
    expect(quarantined[0]?.error).not.toContain('2026-02-30');
    const [stored] = await store.readAll({ after: poison.date - 1, maxCount: 1 });
    expect(quarantined[0]?.eventId).toBe(stored?.id);
    expect(await r.quarantineCounts()).toEqual({ q_control: 2 });
    // said loudly, once per event, with the short message only
    const said = logged.filter(([message]) => message.startsWith('projection cannot apply an event'));
    expect(said.map(([, context]) => context?.position)).toEqual([poison.date, poison.evolve]);
    expect(JSON.stringify(said)).not.toMatch(/2026-02-30|P-1/);

    // live: one more poison event and a good one after it
    const livePoison = await append('poison-live', 'AppealRegistered', {
      ...registration,
      number: 'P-2',
      dueDate: 'soon',
    });
    const liveGood = await append('after-live-poison', 'AppealRegistered', {
      ...registration,
      number: 'A-2',
    });
    expect(await r.waitForPosition('q_control', liveGood, 10_000)).toBe(true);
    expect((await r.quarantine('q_control')).map((q) => q.position)).toEqual([
      poison.date,
      poison.evolve,
      livePoison,
    ]);
    const good = await pool.query(
      `SELECT number FROM ${schema}.appeals WHERE appeal_id = 'after-live-poison'`,
    );
    expect(good.rows).toEqual([{ number: 'A-2' }]);

    // retry before any fix: all still fail, counted, kept
    const again = await r.retry('q_control');
    expect(again).toMatchObject({ retried: 3, applied: 0, stillFailing: 3, gone: 0 });
    expect(again.remaining.map((q) => q.attempts)).toEqual([2, 2, 2]);

    // the fix (an upcaster) repairs two of them; the third stays
    projection.upcast = repair;
    const fixed = await r.retry('q_control');
    expect(fixed).toMatchObject({ retried: 3, applied: 2, stillFailing: 1, gone: 0 });
    expect(fixed.remaining).toEqual([expect.objectContaining({ position: livePoison, attempts: 3 })]);
    const repaired = await pool.query(
      `SELECT appeal_id, number, due_date::text AS due_date, executor_id FROM ${schema}.appeals
        WHERE appeal_id = ANY($1) ORDER BY appeal_id`,
      [['poison-date', assignedAppeal]],
    );
    expect(repaired.rows).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ appeal_id: 'poison-date', number: 'P-1', due_date: '2026-03-02' }),
        expect.objectContaining({ appeal_id: assignedAppeal, executor_id: 'fixed' }),
      ]),
    );
    expect(await r.quarantineCounts()).toEqual({ q_control: 1 });

    // the last one fixed too: the quarantine is empty, the read model holds every event
    projection.upcast = (event) =>
      event.position === livePoison
        ? { ...event, data: { ...event.data, dueDate: '2026-03-03' } }
        : repair(event);
    expect(await r.retry('q_control')).toMatchObject({
      retried: 1,
      applied: 1,
      stillFailing: 0,
      remaining: [],
    });
    expect(await r.quarantineCounts()).toEqual({ q_control: 0 });
    const last = await pool.query(
      `SELECT due_date::text AS due FROM ${schema}.appeals WHERE appeal_id = 'poison-live'`,
    );
    expect(last.rows).toEqual([{ due: '2026-03-03' }]);
  });

  it('a rebuild over poison events quarantines them and completes, with the same tables', async () => {
    const projection = new Control('q_rebuild');
    const r = runner([projection]);
    await r.start();
    const head = await store.headPosition();
    expect(await r.waitForPosition('q_rebuild', head, 30_000)).toBe(true);
    const schema = liveSchema('q_rebuild');
    const before = await dumpTables(pool, schema, projection.tables);
    const quarantined = (await r.quarantine('q_rebuild')).map((q) => q.position);
    expect(quarantined.length).toBeGreaterThanOrEqual(2);

    const rebuilt = await r.rebuild('q_rebuild');
    expect(rebuilt).toMatchObject({ position: head, quarantined: quarantined.length });
    expect(await dumpTables(pool, schema, projection.tables)).toEqual(before);
    expect((await r.quarantine('q_rebuild')).map((q) => q.position)).toEqual(quarantined);

    // after a fix, a rebuild applies them in order: nothing left in the quarantine
    projection.upcast = repair;
    const clean = await r.rebuild('q_rebuild');
    expect(clean.quarantined).toBe(quarantined.length - 2);
    expect(await r.quarantineCounts()).toEqual({ q_rebuild: quarantined.length - 2 });
  });

  it('retries transient failures (serialization failure, session terminated) and never quarantines them', async () => {
    const projection = new Control('q_transient');
    const head = await store.headPosition();
    const target = poison.evolve + 1; // a good event in the middle of the first batch
    let serializationFailures = 0;
    let terminated = 0;
    projection.before = async (events, tx) => {
      if (!events.some((e) => e.position === target)) return;
      if (serializationFailures < 2) {
        serializationFailures += 1;
        const error = new DatabaseError('could not serialize access due to concurrent update', 0, 'error');
        error.code = '40001';
        throw error;
      }
      if (terminated < 1) {
        terminated += 1;
        await tx.query('SELECT pg_terminate_backend(pg_backend_pid())'); // the session dies under the batch
      }
    };
    const r = runner([projection]);
    await r.start();
    expect(await r.waitForPosition('q_transient', head, 30_000)).toBe(true);
    expect(serializationFailures).toBe(2);
    expect(terminated).toBe(1);
    // only the two real poison events (data errors) and the live one are quarantined: not `target`
    const positions = (await r.quarantine('q_transient')).map((q) => q.position);
    expect(positions).not.toContain(target);
    expect(positions.slice(0, 2)).toEqual([poison.date, poison.evolve]);
    expect(await dumpTables(pool, liveSchema('q_transient'), projection.tables)).toEqual(
      await expectedWithout(positions),
    );
  });
});
