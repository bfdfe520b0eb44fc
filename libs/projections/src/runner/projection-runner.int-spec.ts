import { randomUUID } from 'node:crypto';
import { appealStreamId } from '@appeal-ledger/appeal';
import {
  METADATA_NOT_READ,
  PostgresEventStore,
  RECORDED_AT_NOT_READ,
  type EventStore,
  type RecordedEvent,
} from '@appeal-ledger/event-store';
import { DatabaseError, Pool } from 'pg';
import {
  advisoryLockHolders,
  killLockHolder,
  untilWaitingOnLock,
} from '../../../../test/support/advisory-lock';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/test-database';
import { ControlProjection } from '../control/control.projection';
import type { Projection, SqlExecutor } from '../projection.port';
import { liveSchema } from '../projection.port';
import { StatisticsProjection } from '../statistics/statistics.projection';
import { SummaryReports } from '../statistics/summary-report.query';
import { testMetadata } from '../testing/event-log';
import { applyEvents, createReadModel, dumpTables } from '../testing/projection-harness';
import { syntheticAppealEvents, type SyntheticAppealEvent } from '../testing/synthetic-appeals';
import type { ConsumerRole as ProjectionRole } from '../consumer/checkpointed-consumer';
import type { ProjectionRunnerOptions } from './projection-runner';
import { RebuildInProgressError } from './projection-rebuild';
import { ProjectionRunner } from './projection-runner';

const TZ = 'Asia/Novokuznetsk';
const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };

/** A projection wrapping a real one, to fail or pause it on demand and to bump its version. */
class Wrapped implements Projection {
  readonly tables: readonly string[];
  failWhen: ((events: readonly RecordedEvent[], schema: string) => boolean) | null = null;
  gate: Promise<void> | null = null;
  failures = 0;
  private failed: () => void = () => undefined;
  readonly firstFailure = new Promise<void>((resolve) => {
    this.failed = resolve;
  });

  constructor(
    private readonly inner: Projection,
    readonly name: string,
    readonly version = inner.version,
  ) {
    this.tables = inner.tables;
  }

  createTables(schema: string): readonly string[] {
    return this.inner.createTables(schema);
  }

  createIndexes(schema: string): readonly string[] {
    return this.inner.createIndexes(schema);
  }

  async handle(events: readonly RecordedEvent[], tx: SqlExecutor, schema: string): Promise<void> {
    await this.inner.handle(events, tx, schema); // rows are written …
    if (this.gate) await this.gate;
    if (this.failWhen?.(events, schema)) {
      // … and then the batch fails before its checkpoint is written
      this.failures += 1;
      this.failed();
      // a transient failure (as a lost connection or a serialization failure would be): retried, never quarantined
      const error = new DatabaseError('simulated failure in the middle of a batch', 0, 'error');
      error.code = '40001';
      throw error;
    }
  }
}

describe('projection runner (PostgreSQL event store)', () => {
  let db: TestDatabase;
  let pool: Pool;
  let store: PostgresEventStore;
  const control = new ControlProjection({ timeZone: TZ });
  const statistics = new StatisticsProjection({ timeZone: TZ });
  const runners: ProjectionRunner[] = [];
  const synthetic = syntheticAppealEvents({ appeals: 100_000, perDay: 6, seed: 7 });

  async function appendSynthetic(count: number): Promise<number> {
    let last = 0;
    for (let i = 0; i < count; i++) {
      const next = synthetic.next();
      if (next.done) break;
      const item: SyntheticAppealEvent = next.value;
      const result = await store.append(
        appealStreamId(item.appealId),
        [
          {
            id: randomUUID(),
            type: item.event.type,
            data: item.event.data as never,
            metadata: testMetadata(),
          },
        ],
        'any',
      );
      last = result.position;
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
      batchSize: 40,
      retryDelayMs: 20,
      logger: quiet,
      ...options,
    });
    runners.push(created);
    return created;
  }

  /** What the tables must hold: every event in the store applied directly, in one go. */
  async function expectedDump(projection: Projection): Promise<Record<string, unknown[]>> {
    const schema = `expected_${projection.name}_${randomUUID().replace(/-/g, '').slice(0, 8)}`;
    await createReadModel(pool, projection, schema);
    await applyEvents(pool, projection, await store.readAll(), { schema });
    const dump = await dumpTables(pool, schema, projection.tables);
    await pool.query(`DROP SCHEMA ${schema} CASCADE`);
    return dump;
  }

  /** A live schema's tables and indexes with their persistence ('p': logged), and every index's definition. */
  async function layout(projection: Projection): Promise<{ relations: string[]; indexes: string[] }> {
    const schema = liveSchema(projection.name);
    const relations = await pool.query<{ r: string }>(
      `SELECT c.relname || ':' || c.relpersistence::text AS r FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = $1 AND c.relkind IN ('r', 'i') ORDER BY 1`,
      [schema],
    );
    const indexes = await pool.query<{ d: string }>(
      'SELECT indexdef AS d FROM pg_indexes WHERE schemaname = $1 ORDER BY indexname',
      [schema],
    );
    return { relations: relations.rows.map((x) => x.r), indexes: indexes.rows.map((x) => x.d) };
  }

  const live = (projection: Projection): Promise<Record<string, unknown[]>> =>
    dumpTables(pool, liveSchema(projection.name), projection.tables);

  /** Resolves when `runnerRoles` reports `role` for `projection`. */
  function roleReached(
    roles: Map<string, ProjectionRole>,
    waiters: Map<string, () => void>,
    projection: string,
    role: ProjectionRole,
  ): Promise<void> {
    if (roles.get(projection) === role) return Promise.resolve();
    return new Promise((resolve) => waiters.set(`${projection}:${role}`, resolve));
  }
  function roleTracker(): {
    roles: Map<string, ProjectionRole>;
    waiters: Map<string, () => void>;
    onRoleChange: (p: string, r: ProjectionRole) => void;
  } {
    const roles = new Map<string, ProjectionRole>();
    const waiters = new Map<string, () => void>();
    return {
      roles,
      waiters,
      onRoleChange: (projection, role) => {
        roles.set(projection, role);
        waiters.get(`${projection}:${role}`)?.();
      },
    };
  }

  beforeAll(async () => {
    db = await createTestDatabase('runner');
    pool = new Pool({ connectionString: db.url, max: 8 });
    store = new PostgresEventStore(db.url, { pollIntervalMs: 200 });
    await store.migrate();
    await appendSynthetic(600);
  });

  afterEach(async () => {
    await Promise.all(runners.splice(0).map((r) => r.stop()));
  });

  afterAll(async () => {
    await store.close();
    await pool.end();
    await db.drop();
  });

  it('catches up from the store, then follows live appends; waitForPosition wakes on the commit', async () => {
    const r = runner([control, statistics]);
    await r.start();
    const head = await store.headPosition();
    expect(await r.waitForPosition('control', head, 30_000)).toBe(true);
    expect(await r.waitForPosition('statistics', head, 30_000)).toBe(true);
    expect(await live(control)).toEqual(await expectedDump(control));
    expect(await live(statistics)).toEqual(await expectedDump(statistics));
    expect(r.status().map((s) => [s.name, s.role])).toEqual([
      ['control', 'active'],
      ['statistics', 'active'],
    ]);

    const waiting = r.waitForAll(head + 5, 10_000); // registered before the events exist
    const last = await appendSynthetic(30);
    expect(await waiting).toBe(true);
    expect(await r.waitForAll(last, 10_000)).toBe(true);
    expect(await r.lags()).toEqual({ control: 0, statistics: 0 });
    expect(await live(statistics)).toEqual(await expectedDump(statistics));
  });

  it('restarts from its checkpoint: every event has its effect exactly once', async () => {
    const first = runner([control, statistics], { batchSize: 7 });
    await first.start();
    await appendSynthetic(200);
    const middle = (await store.headPosition()) - 100;
    expect(await first.waitForAll(middle, 30_000)).toBe(true);
    await first.stop();
    const second = runner([control, statistics], { batchSize: 7 });
    await second.start();
    expect(await second.waitForAll(await store.headPosition(), 30_000)).toBe(true);
    // counters would be off if any event had been applied twice or skipped
    expect(await live(statistics)).toEqual(await expectedDump(statistics));
    expect(await live(control)).toEqual(await expectedDump(control));
  });

  it('commits rows and checkpoint together: a failure mid-batch leaves nothing half-applied', async () => {
    const flaky = new Wrapped(control, 'flaky');
    const head = await store.headPosition();
    const failAt = head - 50;
    flaky.failWhen = (events) => events.some((e) => e.position === failAt);
    const r = runner([flaky]);
    await r.start();
    await flaky.firstFailure;
    const schema = liveSchema('flaky');
    const checkpoint = await r.checkpoint('flaky');
    expect(checkpoint).toBeLessThan(failAt);
    // nothing of the failed batch: no row, no history row past the checkpoint
    const past = await pool.query<{ n: number }>(
      `SELECT (SELECT count(*) FROM ${schema}.appeals WHERE position > $1) + (SELECT count(*) FROM ${schema}.due_dates WHERE position > $1) + (SELECT count(*) FROM ${schema}.assignments WHERE position > $1) AS n`,
      [checkpoint],
    );
    expect(Number(past.rows[0]?.n)).toBe(0);
    expect(flaky.failures).toBeGreaterThanOrEqual(1);

    flaky.failWhen = null; // the cause goes away: the runner retries the batch
    expect(await r.waitForPosition('flaky', head, 30_000)).toBe(true);
    expect(await dumpTables(pool, schema, control.tables)).toEqual(await expectedDump(control));
  });

  it('lets one runner per projection be active across instances; a standby takes over', async () => {
    const one = roleTracker();
    const two = roleTracker();
    const r1 = runner([statistics], { onRoleChange: one.onRoleChange });
    await r1.start();
    await roleReached(one.roles, one.waiters, 'statistics', 'active');
    const r2 = runner([statistics], { onRoleChange: two.onRoleChange });
    await r2.start();
    await roleReached(two.roles, two.waiters, 'statistics', 'standby');
    // r2 is queued on the lock in PostgreSQL, not running
    const waitingOnLock = () => advisoryLockHolders(pool, 'appeal-ledger:projection:statistics');
    expect((await waitingOnLock()).granted).toBe(1);
    expect(r1.status()[0]?.role).toBe('active');
    expect(r2.status()[0]?.role).toBe('standby');

    await r1.stop();
    await roleReached(two.roles, two.waiters, 'statistics', 'active');
    const last = await appendSynthetic(10);
    expect(await r2.waitForPosition('statistics', last, 10_000)).toBe(true);
    expect(await waitingOnLock()).toEqual({ granted: 1, waiting: 0 });
    expect(await live(statistics)).toEqual(await expectedDump(statistics));
  });

  it('a standby runner takes over when the active one’s session dies; the dead one stands by, nothing applied twice', async () => {
    const one = roleTracker();
    const two = roleTracker();
    const r1 = runner([statistics], { onRoleChange: one.onRoleChange });
    await r1.start();
    await roleReached(one.roles, one.waiters, 'statistics', 'active');
    expect(await r1.waitForPosition('statistics', await store.headPosition(), 30_000)).toBe(true);
    const r2 = runner([statistics], { onRoleChange: two.onRoleChange });
    await r2.start();
    await roleReached(two.roles, two.waiters, 'statistics', 'standby');

    // the lock holder's backend dies (a crash, a network cut): PostgreSQL releases its lock
    // r2 queues on the lock first: otherwise r1, reconnecting after its session dies, may win it back
    await untilWaitingOnLock(pool, 'appeal-ledger:projection:statistics');
    one.roles.delete('statistics');
    expect(await killLockHolder(pool, 'appeal-ledger:projection:statistics')).toBe(1);
    await roleReached(two.roles, two.waiters, 'statistics', 'active');
    await roleReached(one.roles, one.waiters, 'statistics', 'standby');

    const last = await appendSynthetic(20);
    expect(await r2.waitForPosition('statistics', last, 30_000)).toBe(true);
    expect(r1.status()[0]?.role).toBe('standby');
    // counters would be off if an event had been applied twice or skipped
    expect(await live(statistics)).toEqual(await expectedDump(statistics));
  }, 180_000); // two catch-ups and two role changes: over a minute on a saturated machine

  it('catches up in transactions of catchUpBatchSize events (pages of batchSize gathered), reading leanly when the projection folds from data alone', async () => {
    const paged = new Wrapped(control, 'paged_control');
    const sizes: number[] = [];
    paged.failWhen = (events) => {
      sizes.push(events.length);
      return false;
    };
    const r = runner([paged], { batchSize: 32, catchUpBatchSize: 64 });
    await r.start();
    const head = await store.headPosition();
    expect(await r.waitForPosition('paged_control', head, 30_000)).toBe(true);
    const all = (await store.readAll()).length;
    expect(all).toBeGreaterThan(128);
    expect(sizes.every((n) => n <= 64)).toBe(true);
    expect(sizes.slice(0, -1).every((n) => n === 64)).toBe(true);
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(all);
    expect(await live(paged)).toEqual(await expectedDump(control));

    // the same projection saying it folds from data alone: its catch-up reads neither metadata nor recordedAt
    class Lean extends Wrapped {
      readonly foldsFromDataAlone = true;
    }
    const lean = new Lean(control, 'lean_control');
    const read: boolean[] = [];
    lean.failWhen = (events) => {
      read.push(
        ...events.map((e) => e.metadata !== METADATA_NOT_READ || e.recordedAt !== RECORDED_AT_NOT_READ),
      );
      return false;
    };
    const r2 = runner([lean], { batchSize: 32, catchUpBatchSize: 64 });
    await r2.start();
    expect(await r2.waitForPosition('lean_control', head, 30_000)).toBe(true);
    expect(read).toHaveLength(all);
    expect(read.every((fieldRead) => !fieldRead)).toBe(true);
    expect(await live(lean)).toEqual(await expectedDump(control));
  });

  it('catches several lean projections up from one read of $all (sharedCatchUp), each table as if alone', async () => {
    class Lean extends Wrapped {
      readonly foldsFromDataAlone = true;
    }
    const reads: number[] = [];
    const counting: EventStore = {
      append: (...args) => store.append(...args),
      readStream: (...args) => store.readStream(...args),
      readEvent: (...args) => store.readEvent(...args),
      readAll: (options) => {
        reads.push(options?.after ?? 0);
        return store.readAll(options);
      },
      headPosition: () => store.headPosition(),
      subscribeToAll: (options) => store.subscribeToAll(options),
      close: () => Promise.resolve(),
    };
    const head = await store.headPosition();
    const pages = Math.ceil((await store.readAll()).length / 32);
    const catchUp = async (shared: boolean): Promise<number> => {
      reads.length = 0;
      const suffix = shared ? 'shared' : 'own';
      const projections = ['a', 'b', 'c'].map((n) => new Lean(control, `lean_${n}_${suffix}`));
      // the first batches wait until all three are active, as an engine's consumers start together
      // (here the first would otherwise be through these small pages before the others opened)
      let release: () => void = () => undefined;
      const gate = new Promise<void>((resolve) => (release = resolve));
      for (const projection of projections) projection.gate = gate;
      const active = new Set<string>();
      let allActive: () => void = () => undefined;
      const started = new Promise<void>((resolve) => (allActive = resolve));
      const r = runner(projections, {
        store: counting,
        batchSize: 32,
        catchUpBatchSize: 64,
        sharedCatchUp: shared,
        onRoleChange: (name, role) => {
          if (role === 'active') active.add(name);
          if (active.size === projections.length) allActive();
        },
      });
      await r.start();
      await started;
      release();
      expect(await r.waitForAll(head, 60_000)).toBe(true);
      const expected = await expectedDump(control);
      for (const projection of projections) expect(await live(projection)).toEqual(expected);
      return reads.length;
    };
    // each reads every page itself (and the empty page that ends its replay)
    expect(await catchUp(false)).toBeGreaterThanOrEqual(3 * pages);
    // one read per page for all three (a replay that falls behind reads its own pages)
    const shared = await catchUp(true);
    expect(shared).toBeGreaterThanOrEqual(pages);
    expect(shared).toBeLessThan(2 * pages);
  });

  it('rebuilds into shadow tables and swaps them in: identical tables, readers never without them, the live runner continues', async () => {
    const r = runner([control, statistics]);
    await r.start();
    expect(await r.waitForAll(await store.headPosition(), 30_000)).toBe(true);
    const before = await live(statistics);

    // readers keep reading during the rebuild; the store keeps growing
    const reports = new SummaryReports(pool);
    let reading = true;
    let reads = 0;
    const reader = (async () => {
      while (reading) {
        await reports.annual(2017, { asOf: '2019-01-01' });
        reads += 1;
      }
    })();
    const rebuilt = r.rebuild('statistics');
    const appended = appendSynthetic(40);
    const result = await rebuilt;
    const last = await appended;
    reading = false;
    await reader;
    expect(reads).toBeGreaterThan(0);

    expect(result).toMatchObject({ name: 'statistics', version: statistics.version });
    expect(result.events).toBeGreaterThan(600);
    expect(await r.waitForAll(last, 30_000)).toBe(true);
    expect(await live(statistics)).toEqual(await expectedDump(statistics));
    expect(Object.keys(before)).toEqual(['appeal_facts', 'monthly_counters']);

    const controlBefore = await live(control);
    await r.rebuild('control');
    expect(await live(control)).toEqual(controlBefore);

    const leftovers = await pool.query(`SELECT nspname FROM pg_namespace WHERE nspname LIKE 'rm\\_%\\_\\_%'`);
    expect(leftovers.rows).toEqual([]);
  });

  it('rebuilds several read models from one replay of $all, each as its own rebuild would, while the store grows; none while one of them is being rebuilt', async () => {
    const r = runner([control, statistics]);
    await r.start();
    expect(await r.waitForAll(await store.headPosition(), 30_000)).toBe(true);

    // statistics is being rebuilt elsewhere (its rebuild lock held): refused, nothing of control touched
    const holder = await pool.connect();
    try {
      await holder.query('SELECT pg_advisory_lock(hashtextextended($1, 0))', [
        'appeal-ledger:projection-rebuild:statistics',
      ]);
      await expect(r.rebuildAll(['control', 'statistics'])).rejects.toBeInstanceOf(RebuildInProgressError);
      expect(r.status().filter((s) => s.rebuilding)).toEqual([]);
      const shadows = await pool.query(`SELECT nspname FROM pg_namespace WHERE nspname LIKE 'rm\\_%\\_\\_%'`);
      expect(shadows.rows).toEqual([]);
    } finally {
      await holder.query('SELECT pg_advisory_unlock_all()');
      holder.release();
    }

    const made = await Promise.all([control, statistics].map(layout));
    const rebuilt = r.rebuildAll(['control', 'statistics']);
    const appended = appendSynthetic(40);
    const results = await rebuilt;
    const last = await appended;
    expect(results.map((x) => ({ name: x.name, version: x.version }))).toEqual([
      { name: 'control', version: control.version },
      { name: 'statistics', version: statistics.version },
    ]);
    expect(results[0]?.events).toBeGreaterThan(600);
    expect(await r.waitForAll(last, 30_000)).toBe(true);
    expect(await live(control)).toEqual(await expectedDump(control));
    expect(await live(statistics)).toEqual(await expectedDump(statistics));
    const leftovers = await pool.query(`SELECT nspname FROM pg_namespace WHERE nspname LIKE 'rm\\_%\\_\\_%'`);
    expect(leftovers.rows).toEqual([]);
    // the swapped-in tables are logged and carry every index the live ones were made with (the
    // rebuild spreads the logging and the index builds over several sessions)
    expect(await Promise.all([control, statistics].map(layout))).toEqual(made);
    expect(made[0]?.indexes.length).toBeGreaterThan(control.tables.length + 10);
  });

  it('a failed rebuild leaves the live tables; only one rebuild at a time; the next one cleans up', async () => {
    const flaky = new Wrapped(statistics, 'flaky_stats');
    const r = runner([flaky]);
    await r.start();
    expect(await r.waitForPosition('flaky_stats', await store.headPosition(), 30_000)).toBe(true);
    const before = await dumpTables(pool, liveSchema('flaky_stats'), statistics.tables);

    flaky.failWhen = (events, schema) => schema.endsWith('__rebuild') && events.length > 0;
    await expect(r.rebuild('flaky_stats')).rejects.toThrow(/simulated failure/);
    expect(await dumpTables(pool, liveSchema('flaky_stats'), statistics.tables)).toEqual(before);

    flaky.failWhen = null;
    let open: () => void = () => undefined;
    flaky.gate = new Promise((resolve) => {
      open = resolve;
    });
    const first = r.rebuild('flaky_stats');
    const second = r.rebuild('flaky_stats');
    const settled = Promise.allSettled([first, second]);
    // one of them holds the rebuild lock and waits at the gate; the other is refused at once
    const refused = await Promise.race([
      first.then(
        () => null,
        (e: unknown) => e,
      ),
      second.then(
        () => null,
        (e: unknown) => e,
      ),
    ]);
    expect(refused).toBeInstanceOf(RebuildInProgressError);
    open();
    flaky.gate = null;
    const outcomes = await settled;
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
    expect(await r.waitForPosition('flaky_stats', await store.headPosition(), 30_000)).toBe(true);
    expect(await dumpTables(pool, liveSchema('flaky_stats'), statistics.tables)).toEqual(
      await expectedDump(statistics),
    );
  });

  it('rebuilds on start when the projection’s version is newer than its tables', async () => {
    const r1 = runner([statistics]);
    await r1.start();
    expect(await r1.waitForPosition('statistics', await store.headPosition(), 30_000)).toBe(true);
    await r1.stop();
    const v2 = new Wrapped(statistics, 'statistics', statistics.version + 1);
    const r2 = runner([v2]);
    await r2.start();
    // the old tables stay readable (at their old position) until the rebuilt ones are swapped in;
    // only the new runner can move the checkpoint past an event appended now
    const last = await appendSynthetic(5);
    expect(await r2.waitForPosition('statistics', last, 30_000)).toBe(true);
    const version = await pool.query<{ version: number }>(
      `SELECT version FROM ${liveSchema('statistics')}.projection_checkpoint`,
    );
    expect(version.rows[0]?.version).toBe(statistics.version + 1);
    expect(await live(statistics)).toEqual(await expectedDump(statistics));
  });

  it('builds an empty read model facing a long store by a rebuild', async () => {
    const logged: string[] = [];
    const fresh = new Wrapped(control, 'fresh_control');
    const r = runner([fresh], {
      rebuildFromScratchAbove: 100,
      logger: { ...quiet, info: (_context, message) => logged.push(message) },
    });
    await r.start();
    expect(await r.waitForPosition('fresh_control', await store.headPosition(), 30_000)).toBe(true);
    expect(logged).toContain('empty read model, long store: building it by a rebuild');
    expect(await dumpTables(pool, liveSchema('fresh_control'), control.tables)).toEqual(
      await expectedDump(control),
    );
  });

  it('reports lag, and gives up waiting after the timeout when nothing projects', async () => {
    const r = runner([control]);
    await r.start({ project: false });
    const head = await store.headPosition();
    const checkpoint = await r.checkpoint('control');
    expect(await r.lag('control')).toBe(head - checkpoint);
    expect(await r.waitForPosition('control', head + 1000, 200)).toBe(false);
    expect(await r.waitForPosition('control', checkpoint, 5000)).toBe(true);
    expect(r.status()[0]?.role).toBe('stopped');
  });
});
