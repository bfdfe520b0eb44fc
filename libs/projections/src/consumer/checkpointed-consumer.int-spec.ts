/**
 * The consumer engine itself, with a minimal target (a table of applied positions): paged replay,
 * standby takeover when the active instance's session dies, a checkpoint moved under the writer.
 * The projections (runner/*.int-spec.ts) and the reminder deliveries
 * (libs/reminders/src/delivery/delivery.consumer.int-spec.ts) run the same cases on their targets.
 */
import { randomUUID } from 'node:crypto';
import {
  METADATA_NOT_READ,
  PostgresEventStore,
  type EventStore,
  type RecordedEvent,
} from '@appeal-ledger/event-store';
import type { Client } from 'pg';
import { Pool } from 'pg';
import { killLockHolder, untilWaitingOnLock } from '../../../../test/support/advisory-lock';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/test-database';
import { testMetadata } from '../testing/event-log';
import { CheckpointRow, expectCheckpoint } from './checkpoint';
import {
  CheckpointedConsumer,
  type ApplyContext,
  type CheckpointedConsumerOptions,
  type ConsumerRole,
  type ConsumerTarget,
} from './checkpointed-consumer';

const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };

/** Records each applied event with the instance that applied it; the primary key refuses a second time. */
class LogTarget implements ConsumerTarget {
  readonly batches: number[][] = [];
  /** while set, apply waits for it (after telling `entered`) */
  gate: Promise<void> | null = null;
  private enter: () => void = () => undefined;
  entered = new Promise<void>((resolve) => (this.enter = resolve));
  private readonly row: CheckpointRow;

  constructor(
    private readonly name: string,
    private readonly instance: string,
    private readonly trace: string[] = [],
  ) {
    this.row = new CheckpointRow('engine_checkpoints', { column: 'name', value: name });
  }

  async open(session: Client): Promise<number> {
    await session.query(
      'INSERT INTO engine_checkpoints (name, position) VALUES ($1, 0) ON CONFLICT (name) DO NOTHING',
      [this.name],
    );
    return (await this.row.read(session)) ?? 0;
  }

  reread(session: Client): Promise<number> {
    return this.open(session);
  }

  async apply(
    session: Client,
    from: number,
    events: readonly RecordedEvent[],
    _: ApplyContext,
  ): Promise<number> {
    this.trace.push(`apply ${events.length}`);
    if (this.gate) {
      this.enter();
      await this.gate;
      this.gate = null;
    }
    const fresh = events.filter((e) => e.position > from);
    const last = fresh[fresh.length - 1];
    if (!last) return from;
    await session.query('BEGIN');
    try {
      expectCheckpoint(from, await this.row.read(session, { lock: true }));
      for (const event of fresh)
        await session.query('INSERT INTO engine_applied (name, position, instance) VALUES ($1, $2, $3)', [
          this.name,
          event.position,
          this.instance,
        ]);
      await this.row.move(session, from, last.position);
      await session.query('COMMIT');
    } catch (error) {
      await session.query('ROLLBACK').catch(() => undefined);
      throw error;
    }
    this.batches.push(fresh.map((e) => e.position));
    return last.position;
  }
}

describe('checkpointed consumer engine (PostgreSQL)', () => {
  let db: TestDatabase;
  let pool: Pool;
  let store: PostgresEventStore;
  const consumers: CheckpointedConsumer[] = [];

  beforeAll(async () => {
    db = await createTestDatabase('consumer_engine');
    pool = new Pool({ connectionString: db.url, max: 4 });
    store = new PostgresEventStore(pool, { pollIntervalMs: 50 });
    await store.migrate();
    await pool.query(`CREATE TABLE engine_checkpoints (
      name text PRIMARY KEY, position bigint NOT NULL, updated_at timestamptz NOT NULL DEFAULT now())`);
    await pool.query(`CREATE TABLE engine_applied (
      name text NOT NULL, position bigint NOT NULL, instance text NOT NULL, PRIMARY KEY (name, position))`);
  });

  afterEach(async () => {
    await Promise.all(consumers.splice(0).map((c) => c.stop()));
  });

  afterAll(async () => {
    await store.close();
    await pool.end();
    await db.drop();
  });

  /** Appends `count` events of `type` (one stream each); returns their positions. */
  async function append(type: string, count: number): Promise<number[]> {
    const positions: number[] = [];
    for (let i = 0; i < count; i++) {
      const result = await store.append(
        `engine-${randomUUID()}`,
        [{ id: randomUUID(), type, data: { i }, metadata: testMetadata() }],
        'no_stream',
      );
      positions.push(result.position);
    }
    return positions;
  }

  /** The roles a consumer reports; `reached` resolves once `role` is reported (since `forget`). */
  function roles(): {
    onRoleChange(role: ConsumerRole): void;
    reached(role: ConsumerRole): Promise<void>;
    forget(): void;
  } {
    let seen: ConsumerRole[] = [];
    const waiters = new Map<ConsumerRole, () => void>();
    return {
      onRoleChange: (role) => {
        seen.push(role);
        waiters.get(role)?.();
      },
      reached: (role) =>
        seen.includes(role) ? Promise.resolve() : new Promise((resolve) => waiters.set(role, resolve)),
      forget: () => {
        seen = [];
        waiters.clear();
      },
    };
  }

  function consumer(
    name: string,
    target: ConsumerTarget,
    options: Partial<CheckpointedConsumerOptions> & { applicationName?: string } = {},
  ): CheckpointedConsumer {
    const { applicationName, ...rest } = options;
    const c = new CheckpointedConsumer({
      name,
      lockName: `engine-test:${name}`,
      store,
      connection: { connectionString: db.url, application_name: applicationName ?? 'engine-test' },
      target,
      filter: { eventTypes: [name] },
      retryDelayMs: 20,
      liveBatchWindowMs: 0,
      logger: quiet,
      ...rest,
    });
    consumers.push(c);
    return c;
  }

  async function applied(name: string): Promise<{ position: number; instance: string }[]> {
    const { rows } = await pool.query<{ position: string; instance: string }>(
      'SELECT position::text AS position, instance FROM engine_applied WHERE name = $1 ORDER BY engine_applied.position',
      [name],
    );
    return rows.map((r) => ({ position: Number(r.position), instance: r.instance }));
  }

  it('catches up in pages of batchSize, reading the next page while it applies one, then follows live', async () => {
    const positions = await append('Paging', 25);
    const trace: string[] = [];
    const reads: { after: number | undefined; maxCount: number | undefined; types: string[] | undefined }[] =
      [];
    const counting: EventStore = {
      append: (...args) => store.append(...args),
      readStream: (...args) => store.readStream(...args),
      readEvent: (...args) => store.readEvent(...args),
      readAll: (options) => {
        trace.push('read');
        reads.push({
          after: options?.after,
          maxCount: options?.maxCount,
          types: options?.filter?.eventTypes,
        });
        return store.readAll(options);
      },
      headPosition: () => store.headPosition(),
      subscribeToAll: (options) => store.subscribeToAll(options),
      close: () => Promise.resolve(),
    };
    const target = new LogTarget('Paging', 'a', trace);
    const c = consumer('Paging', target, { store: counting, batchSize: 10 });
    c.start();
    expect(await c.waitForPosition(positions[24], 30_000)).toBe(true);
    // the second page is asked for before the first is applied; a short page ends the catch-up
    expect(trace).toEqual(['read', 'read', 'apply 10', 'read', 'apply 10', 'apply 5']);
    expect(reads).toEqual([
      { after: 0, maxCount: 10, types: ['Paging'] },
      { after: positions[9], maxCount: 10, types: ['Paging'] },
      { after: positions[19], maxCount: 10, types: ['Paging'] },
    ]);
    expect(target.batches).toEqual([positions.slice(0, 10), positions.slice(10, 20), positions.slice(20)]);

    const live = await append('Paging', 3);
    expect(await c.waitForPosition(live[2], 30_000)).toBe(true);
    expect((await applied('Paging')).map((r) => r.position)).toEqual([...positions, ...live]);
    expect(reads).toHaveLength(3); // live events come from the subscription
  });

  it('gathers catch-up pages up to catchUpBatchSize per transaction, and reads leanly for a target that folds from data alone', async () => {
    const positions = await append('Gathered', 23);
    const reads: { after: number | undefined; maxCount: number | undefined; fields: string | undefined }[] =
      [];
    const counting: EventStore = {
      append: (...args) => store.append(...args),
      readStream: (...args) => store.readStream(...args),
      readEvent: (...args) => store.readEvent(...args),
      readAll: (options) => {
        reads.push({ after: options?.after, maxCount: options?.maxCount, fields: options?.fields });
        return store.readAll(options);
      },
      headPosition: () => store.headPosition(),
      subscribeToAll: (options) => store.subscribeToAll(options),
      close: () => Promise.resolve(),
    };
    const metadataRead: boolean[][] = [];
    class LeanTarget extends LogTarget {
      readonly fields = 'fold' as const;
      override apply(
        session: Client,
        from: number,
        events: readonly RecordedEvent[],
        context: ApplyContext,
      ): Promise<number> {
        metadataRead.push(events.map((e) => e.metadata !== METADATA_NOT_READ));
        return super.apply(session, from, events, context);
      }
    }
    const target = new LeanTarget('Gathered', 'a');
    const c = consumer('Gathered', target, { store: counting, batchSize: 5, catchUpBatchSize: 12 });
    c.start();
    expect(await c.waitForPosition(positions[22], 30_000)).toBe(true);
    // pages of 5 gathered until 12 are held (15), then the rest up to the short page that ends the replay
    expect(target.batches).toEqual([positions.slice(0, 15), positions.slice(15)]);
    expect(reads.map((r) => r.maxCount)).toEqual([5, 5, 5, 5, 5]);
    expect(reads.every((r) => r.fields === 'fold')).toBe(true);
    expect(metadataRead.flat()).toHaveLength(23);
    expect(metadataRead.flat().every((read) => !read)).toBe(true);

    // live batches come from the subscription, every field read
    const live = await append('Gathered', 2);
    expect(await c.waitForPosition(live[1], 30_000)).toBe(true);
    expect(metadataRead.slice(2).flat()).toEqual([true, true]);
    expect((await applied('Gathered')).map((r) => r.position)).toEqual([...positions, ...live]);
  });

  it('a standby takes over when the active instance’s session dies; the dead one stops at once', async () => {
    const first = await append('Takeover', 2);
    const a = roles();
    const b = roles();
    const ca = consumer('Takeover', new LogTarget('Takeover', 'a'), {
      applicationName: 'engine-a',
      onRoleChange: a.onRoleChange,
    });
    ca.start();
    await a.reached('active');
    a.forget();
    expect(await ca.waitForPosition(first[1], 30_000)).toBe(true);
    const cb = consumer('Takeover', new LogTarget('Takeover', 'b'), {
      applicationName: 'engine-b',
      onRoleChange: b.onRoleChange,
    });
    cb.start();
    expect(cb.role).toBe('standby');
    // b queues on the lock first: otherwise a, reconnecting after its session dies, may win it back
    await untilWaitingOnLock(pool, 'engine-test:Takeover');

    expect(await killLockHolder(pool, 'engine-test:Takeover')).toBe(1);
    await b.reached('active');
    // a learns from its session's error, not from a later event: it stands by again
    await a.reached('standby');
    expect(ca.lastError).toMatch(/57P01|terminat/i);

    const later = await append('Takeover', 2);
    expect(await cb.waitForPosition(later[1], 30_000)).toBe(true);
    expect(await applied('Takeover')).toEqual([
      { position: first[0], instance: 'a' },
      { position: first[1], instance: 'a' },
      { position: later[0], instance: 'b' },
      { position: later[1], instance: 'b' },
    ]);
    expect(ca.role).toBe('standby');
  }, 180_000); // a new session, a lock hand-over and a catch-up: slow on a saturated machine

  it('a checkpoint moved under the active instance is detected; it goes on from the stored one', async () => {
    const [p1] = await append('Moved', 1);
    const logged: string[] = [];
    const target = new LogTarget('Moved', 'a');
    const c = consumer('Moved', target, {
      logger: { ...quiet, info: (_context, message) => logged.push(message) },
    });
    c.start();
    expect(await c.waitForPosition(p1, 30_000)).toBe(true);

    let release: () => void = () => undefined;
    target.gate = new Promise<void>((resolve) => (release = resolve));
    const [, p3, p4] = await append('Moved', 3);
    await target.entered; // the live batch waits at the gate, its checkpoint read still to come
    await pool.query("UPDATE engine_checkpoints SET position = $1 WHERE name = 'Moved'", [p3]);
    release();

    expect(await c.waitForPosition(p4, 30_000)).toBe(true);
    expect((await applied('Moved')).map((r) => r.position)).toEqual([p1, p4]);
    expect(logged).toContainEqual(expect.stringMatching(/checkpoint moved/));
    expect(c.lastError).toBeNull();
    expect(c.role).toBe('active');
  });
});
