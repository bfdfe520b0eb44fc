/**
 * The stream-order rebuild (projection-rebuild.ts, for projections that fold per stream) gives the
 * tables and the quarantine of applying every event in position order: appeals whose events
 * interleave in `$all`, a stream longer than a page (cut inside it), poison events quarantined in the
 * middle of a stream with later events of that stream applied after them, and a store that grows
 * during the rebuild — in the streams being folded and in new ones — past the head the stream-order
 * replay stops at.
 */
import { randomUUID } from 'node:crypto';
import { appealStreamId } from '@appeal-ledger/appeal';
import {
  PostgresEventStore,
  type JsonObject,
  type ReadAllByStreamOptions,
  type RecordedEvent,
} from '@appeal-ledger/event-store';
import { DatabaseError, Pool } from 'pg';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/test-database';
import { ControlProjection } from '../control/control.projection';
import { JournalProjection } from '../journal/journal.projection';
import type { Projection, SqlExecutor } from '../projection.port';
import { liveSchema } from '../projection.port';
import { SstuProjection } from '../sstu/sstu.projection';
import { StatisticsProjection } from '../statistics/statistics.projection';
import { testMetadata } from '../testing/event-log';
import { applyEvents, createReadModel, dumpTables } from '../testing/projection-harness';
import { syntheticAppealEvents } from '../testing/synthetic-appeals';
import type { QuarantinedEvent } from './projection-quarantine';
import { ProjectionRunner, type ProjectionRunnerOptions } from './projection-runner';

const TZ = 'Asia/Novokuznetsk';
const BATCH = 25;

/** A store whose first stream-order read first runs `beforeFirstRead` (the store growing meanwhile). */
class GrowingStore extends PostgresEventStore {
  beforeFirstRead: (() => Promise<void>) | null = null;
  streamOrderReads = 0;
  /** the `fields` each stream-order read asked for */
  readonly fieldsRead = new Set<string>();

  override async readAllByStream(options: ReadAllByStreamOptions): Promise<RecordedEvent[]> {
    this.streamOrderReads += 1;
    this.fieldsRead.add(options.fields ?? 'all');
    const grow = this.beforeFirstRead;
    this.beforeFirstRead = null;
    if (grow) await grow();
    return super.readAllByStream(options);
  }
}

/** The control projection under another name, not folding per stream: rebuilt in position order. */
class PositionOrderControl implements Projection {
  private readonly inner = new ControlProjection({ timeZone: TZ });
  readonly version = this.inner.version;
  readonly tables = this.inner.tables;
  /** after this many batches, every batch fails with a fault (the projection's SQL wrong) */
  failAfter: number | null = null;
  batches = 0;

  constructor(readonly name: string) {}

  createTables(schema: string): readonly string[] {
    return this.inner.createTables(schema);
  }

  createIndexes(schema: string): readonly string[] {
    return this.inner.createIndexes(schema);
  }

  async handle(events: readonly RecordedEvent[], tx: SqlExecutor, schema: string): Promise<void> {
    this.batches += 1;
    if (this.failAfter !== null && this.batches > this.failAfter) {
      const error = new DatabaseError('simulated fault: column does not exist', 0, 'error');
      error.code = '42703';
      throw error;
    }
    await this.inner.handle(events, tx, schema);
  }
}

/**
 * Folds per stream but reads what a lean read leaves out: each stream's last command id and
 * recording time (it does not say `foldsFromDataAlone`).
 */
class RecordedByStream implements Projection {
  readonly name = 'recorded_by_stream';
  readonly version = 1;
  readonly tables = ['streams'] as const;
  readonly foldsPerStream = true;

  createTables(schema: string): readonly string[] {
    return [
      `CREATE TABLE ${schema}.streams (stream_id text PRIMARY KEY, command_id text NOT NULL, recorded_at timestamptz NOT NULL)`,
    ];
  }

  createIndexes(): readonly string[] {
    return [];
  }

  async handle(events: readonly RecordedEvent[], tx: SqlExecutor, schema: string): Promise<void> {
    const last = new Map<string, RecordedEvent>();
    for (const event of events) last.set(event.streamId, event);
    const rows = [...last.values()];
    await tx.query(
      `INSERT INTO ${schema}.streams (stream_id, command_id, recorded_at)
       SELECT * FROM unnest($1::text[], $2::text[], $3::timestamptz[])
       ON CONFLICT (stream_id) DO UPDATE SET command_id = excluded.command_id, recorded_at = excluded.recorded_at`,
      [rows.map((e) => e.streamId), rows.map((e) => e.metadata.commandId), rows.map((e) => e.recordedAt)],
    );
  }
}

describe('rebuild in stream order (PostgreSQL event store)', () => {
  let db: TestDatabase;
  let pool: Pool;
  let store: GrowingStore;
  const projections: Projection[] = [
    new ControlProjection({ timeZone: TZ }),
    new StatisticsProjection({ timeZone: TZ }),
    new JournalProjection({ timeZone: TZ }),
    new SstuProjection({ timeZone: TZ }),
  ];
  const names = projections.map((p) => p.name);
  const plain = new PositionOrderControl('plain_control');
  const recorded = new RecordedByStream();
  const runners: ProjectionRunner[] = [];
  const synthetic = syntheticAppealEvents({ appeals: 10_000, perDay: 6, seed: 23 });
  let registration: JsonObject | undefined;
  let assignedAppeal = '';
  const streamsSeen: string[] = [];
  const poison: number[] = [];

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
      if (event.type === 'AppealRegistered') {
        registration ??= data;
        assignedAppeal ||= appealId;
        streamsSeen.push(appealId);
      }
      last = await append(appealId, event.type, data);
    }
    return last;
  }

  /** An appeal with more events than a page: registered, then 2·BATCH reminders. */
  async function appendLongStream(appealId: string): Promise<void> {
    if (!registration) throw new Error('no registration to copy');
    await append(appealId, 'AppealRegistered', { ...registration, number: `L-${appealId}` });
    for (let i = 0; i < 2 * BATCH; i++) {
      await append(appealId, 'DeadlineReminderIssued', {
        reminderId: `${appealId}-r${i}`,
        kind: 'due_soon',
        dueDate: '2017-03-01',
        businessDate: '2017-02-20',
        issuedAt: '2017-02-20T03:00:00Z',
      });
      // poison in the middle of the stream (in the first of its pages, with events after it there)
      if (i === 4) poison.push(await append(appealId, 'ExecutorAssigned', { assignedAt: '2017-02-21' }));
      if (i % 10 === 9) await appendSynthetic(3); // other appeals' events between them
    }
  }

  /** A short appeal with a poison event between valid ones, its events interleaved with others'. */
  async function appendPoisonedShortStream(appealId: string): Promise<void> {
    if (!registration) throw new Error('no registration to copy');
    await append(appealId, 'AppealRegistered', { ...registration, number: `S-${appealId}` });
    const reminder = (i: number) =>
      append(appealId, 'DeadlineReminderIssued', {
        reminderId: `${appealId}-r${i}`,
        kind: 'due_soon',
        dueDate: '2017-03-01',
        businessDate: '2017-02-20',
        issuedAt: '2017-02-20T03:00:00Z',
      });
    await reminder(0);
    await appendSynthetic(2);
    poison.push(await append(appealId, 'ExecutorAssigned', { assignedAt: '2017-02-21' }));
    await reminder(1);
    await appendSynthetic(2);
    await reminder(2);
  }

  /**
   * An appeal alone in its registration month, answered 60 events later: in position order its
   * month's `q.result:in_work` counter goes up, then back to 0 in a later batch (and is deleted).
   */
  async function appendLoneMonth(appealId: string): Promise<void> {
    if (!registration) throw new Error('no registration to copy');
    const questions = registration.questions as { code: string }[];
    await append(appealId, 'AppealRegistered', {
      ...registration,
      number: `M-${appealId}`,
      receivedAt: '2019-05-06',
      registeredAt: '2019-05-06',
      nominalDueDate: '2019-06-05',
      dueDate: '2019-06-05',
    });
    await appendSynthetic(60);
    await append(appealId, 'FinalAnswerSent', {
      sentAt: '2019-05-20T09:00:00Z',
      summary: 'ответ',
      results: questions.map((q) => ({ questionCode: q.code, result: 'explained', measuresTaken: false })),
      onSiteVisit: false,
      late: false,
      dueDate: '2019-06-05',
    });
  }

  function runner(options: Partial<ProjectionRunnerOptions> = {}): ProjectionRunner {
    const created = new ProjectionRunner({
      store,
      projections: [...projections, plain, recorded],
      pool,
      connection: { connectionString: db.url },
      batchSize: BATCH,
      retryDelayMs: 20,
      logger: { info: () => undefined, warn: () => undefined, error: () => undefined },
      ...options,
    });
    runners.push(created);
    return created;
  }

  const quarantineOf = async (r: ProjectionRunner, name: string): Promise<Partial<QuarantinedEvent>[]> =>
    (await r.quarantine(name, 1000)).map(({ position, streamId, eventId, type, error }) => ({
      position,
      streamId,
      eventId,
      type,
      error,
    }));

  /** Every event of the store but `skipped` applied directly in position order, pages of 40. */
  async function expectedDump(projection: Projection, skipped: readonly number[]) {
    const schema = `expected_${randomUUID().replace(/-/g, '').slice(0, 8)}`;
    await createReadModel(pool, projection, schema);
    const events = (await store.readAll()).filter((e) => !skipped.includes(e.position));
    await applyEvents(pool, projection, events, { schema, batchSize: 40 });
    const dump = await dumpTables(pool, schema, projection.tables);
    await pool.query(`DROP SCHEMA ${schema} CASCADE`);
    return dump;
  }

  beforeAll(async () => {
    db = await createTestDatabase('stream_rebuild');
    pool = new Pool({ connectionString: db.url, max: 8 });
    store = new GrowingStore(db.url, { pollIntervalMs: 200 });
    await store.migrate();
    await appendSynthetic(300);
    if (!registration) throw new Error('no registration');
    // poison, written straight into the store: a due date PostgreSQL's `date` refuses (every read
    // model), and an assignment without executor in the middle of an appeal's stream (control's
    // fold throws), with that appeal's later events after it
    poison.push(
      await append('poison-date', 'AppealRegistered', {
        ...registration,
        number: 'P-1',
        dueDate: '2026-02-30',
      }),
    );
    poison.push(await append(assignedAppeal, 'ExecutorAssigned', { assignedAt: '2017-01-10' }));
    await appendLongStream('long-stream');
    await appendPoisonedShortStream('poisoned-short');
    await appendLoneMonth('lone-month');
    await appendSynthetic(500);
  });

  afterEach(async () => {
    await Promise.all(runners.splice(0).map((r) => r.stop()));
  });

  afterAll(async () => {
    await store.close();
    await pool.end();
    await db.drop();
  });

  it('gives the tables and the quarantine of the position-order rebuild, while the store grows', async () => {
    // the rebuild in position order throughout: what the stream-order one must give
    const byPosition = runner({ rebuildInStreamOrder: false });
    await byPosition.start();
    expect(await byPosition.waitForAll(await store.headPosition(), 60_000)).toBe(true);
    await byPosition.rebuildAll(names);
    expect(store.streamOrderReads).toBe(0);
    const quarantined = new Map<string, Partial<QuarantinedEvent>[]>();
    for (const name of names) quarantined.set(name, await quarantineOf(byPosition, name));
    expect(quarantined.get('control')?.map((q) => q.position)).toEqual(poison);
    await byPosition.stop();

    // the stream-order rebuild, the store growing after its head: in the folded streams
    // (the long one, the poisoned one, synthetic ones) and in new ones
    const head = await store.headPosition();
    const logged: string[] = [];
    const byStream = runner({
      logger: {
        info: (context, message) => {
          if (message === 'projection rebuild: replayed in stream order up to the head')
            logged.push(`${String(context.projections)}@${String(context.position)}`);
        },
        warn: () => undefined,
        error: () => undefined,
      },
    });
    await byStream.start();
    let last = 0;
    store.beforeFirstRead = async () => {
      await append('long-stream', 'DeadlineReminderIssued', {
        reminderId: 'long-stream-late',
        kind: 'due_today',
        dueDate: '2017-03-01',
        businessDate: '2017-03-01',
        issuedAt: '2017-03-01T03:00:00Z',
      });
      await append(assignedAppeal, 'AppealWithdrawn', { withdrawnAt: '2017-03-02T05:00:00Z' });
      last = await appendSynthetic(120);
    };
    store.fieldsRead.clear();
    const results = await byStream.rebuildAll(names);
    expect(logged).toEqual([`${names.join(',')}@${head}`]);
    // the four fold from the events' data alone: the store's lean read (no metadata, no recordedAt)
    expect([...store.fieldsRead]).toEqual(['fold']);
    expect(last).toBeGreaterThan(head);
    // pages of at most BATCH, each read once for the four read models
    expect(store.streamOrderReads).toBeGreaterThan(head / BATCH);
    expect(results.map((r) => r.name)).toEqual(names);
    expect(await byStream.waitForAll(last, 60_000)).toBe(true);

    for (const projection of projections) {
      const expectedQuarantine = quarantined.get(projection.name) ?? [];
      expect(await quarantineOf(byStream, projection.name)).toEqual(expectedQuarantine);
      const skipped = expectedQuarantine.map((q) => q.position as number);
      expect(await dumpTables(pool, liveSchema(projection.name), projection.tables)).toEqual(
        await expectedDump(projection, skipped),
      );
    }
    // what the test is about happened: interleaved appeals, the long stream's reminders all there
    expect(streamsSeen.length).toBeGreaterThan(50);
    const reminders = await pool.query<{ n: number }>(
      "SELECT reminders_issued AS n FROM rm_control.appeals WHERE appeal_id = 'long-stream'",
    );
    expect(reminders.rows).toEqual([{ n: 2 * BATCH + 1 }]);
    const short = await pool.query<{ n: number }>(
      "SELECT reminders_issued AS n FROM rm_control.appeals WHERE appeal_id = 'poisoned-short'",
    );
    expect(short.rows).toEqual([{ n: 3 }]);
    // the lone month's counters: its appeal answered, nothing in work, no counter left at 0
    const lone = await pool.query<{ key: string; n: string }>(
      "SELECT key, n::text FROM rm_statistics.monthly_counters WHERE month = '2019-05-01' AND key LIKE 'q.result:%'",
    );
    expect(lone.rows.length).toBeGreaterThan(0);
    expect(lone.rows.filter((r) => r.key === 'q.result:in_work')).toEqual([]);
    const zeros = await pool.query('SELECT month, key FROM rm_statistics.monthly_counters WHERE n = 0');
    expect(zeros.rows).toEqual([]);
    const withdrawn = await pool.query<{ state: string }>(
      'SELECT state FROM rm_control.appeals WHERE appeal_id = $1',
      [assignedAppeal],
    );
    expect(withdrawn.rows).toEqual([{ state: 'closed' }]);
  });
  it('rebuilds a projection that does not fold per stream in position order beside them, each as its own rebuild would', async () => {
    const r = runner();
    await r.start();
    expect(await r.waitForAll(await store.headPosition(), 60_000)).toBe(true);
    const reads = store.streamOrderReads;
    let last = 0;
    store.beforeFirstRead = async () => {
      last = await appendSynthetic(60);
    };
    await r.rebuildAll(['plain_control', 'statistics']);
    expect(store.streamOrderReads).toBeGreaterThan(reads); // statistics in stream order
    expect(await r.waitForAll(last, 60_000)).toBe(true);
    const skipped = (await r.quarantine('plain_control', 1000)).map((q) => q.position);
    expect(skipped).toEqual((await r.quarantine('control', 1000)).map((q) => q.position));
    expect(await dumpTables(pool, liveSchema('plain_control'), plain.tables)).toEqual(
      await expectedDump(plain, skipped),
    );
    const statistics = projections[1];
    expect(await dumpTables(pool, liveSchema('statistics'), statistics.tables)).toEqual(
      await expectedDump(
        statistics,
        (await r.quarantine('statistics', 1000)).map((q) => q.position),
      ),
    );
  });

  it('a failure of the position-order replay fails the whole rebuild at once, the live tables kept', async () => {
    const r = runner();
    await r.start();
    expect(await r.waitForAll(await store.headPosition(), 60_000)).toBe(true);
    const before = await dumpTables(pool, liveSchema('statistics'), projections[1].tables);
    plain.batches = 0;
    plain.failAfter = 3;
    try {
      await expect(r.rebuildAll(['plain_control', 'statistics'])).rejects.toThrow('simulated fault');
    } finally {
      plain.failAfter = null;
    }
    expect(r.status().filter((st) => st.rebuilding)).toEqual([]);
    expect(await dumpTables(pool, liveSchema('statistics'), projections[1].tables)).toEqual(before);
  });

  it('reads every field in stream order when a projection of the rebuild reads metadata or recordedAt', async () => {
    const r = runner();
    await r.start();
    const head = await store.headPosition();
    expect(await r.waitForAll(head, 60_000)).toBe(true);
    store.fieldsRead.clear();
    await r.rebuildAll(['recorded_by_stream', 'statistics']);
    expect([...store.fieldsRead]).toEqual(['all']);
    const rows = await pool.query<{ stream_id: string; command_id: string; recorded_at: Date }>(
      'SELECT stream_id, command_id, recorded_at FROM rm_recorded_by_stream.streams',
    );
    const streams = new Set((await store.readAll()).map((e) => e.streamId));
    expect(rows.rows.map((row) => row.stream_id).sort()).toEqual([...streams].sort());
    // the events' own metadata and recording times, not the lean read's placeholders
    expect(new Set(rows.rows.map((row) => row.command_id))).toEqual(new Set(['c']));
    expect(rows.rows.every((row) => row.recorded_at.getTime() > 0)).toBe(true);
    // statistics, rebuilt beside it from the same full read, as applying every event directly
    const statistics = projections[1];
    expect(await dumpTables(pool, liveSchema('statistics'), statistics.tables)).toEqual(
      await expectedDump(
        statistics,
        (await r.quarantine('statistics', 1000)).map((q) => q.position),
      ),
    );
  });
});
