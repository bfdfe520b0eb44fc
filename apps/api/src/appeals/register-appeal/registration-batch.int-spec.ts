/**
 * Group commit of registrations on real PostgreSQL (registration-batcher.ts, register_appeals_batch()):
 * registrations made while one is being written are numbered in arrival order and committed in one
 * statement; every caller is answered with its own number only after that commit; numbers stay
 * gap-free and unique per year across batches, across a year boundary and across two engine
 * processes (two pools) at once; a member that is not plainly fine sends the batch to one-at-a-time
 * registration, where it alone is refused; REGISTRATION_BATCH=off is the path without batching.
 */
import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { registrationNumberTemplate, type NumberTemplate } from '@appeal-ledger/appeal';
import { PostgresEventStore, WrongExpectedRevisionError } from '@appeal-ledger/event-store';
import { createTestDatabase, type TestDatabase } from '../../../../../test/support/test-database';
import type { Logger } from '../../logging/logger';
import { PERSONAL_DATA_MIGRATIONS, type PersonalDataVault } from '../../personal-data/personal-data.vault';
import { RegistrationCounter, REGISTRATION_COUNTER_MIGRATIONS } from './registration-counter';
import { RegistrationWriter, type RegistrationWritten } from './registration-writer';

const silent = { error: () => undefined } as unknown as Logger;
/** the writer only tells the vault which keys committed (to keep them in memory) */
const vault = { committed: () => undefined } as unknown as PersonalDataVault;

describe('group commit of registrations (PostgreSQL)', () => {
  let db: TestDatabase;
  let pools: Pool[];
  let stores: PostgresEventStore[];
  let observer: Pool;

  beforeAll(async () => {
    db = await createTestDatabase('register_batch');
    observer = new Pool({ connectionString: db.url, max: 2 });
    const migrator = new PostgresEventStore(observer);
    await migrator.migrate();
    await migrator.close();
    for (const m of [...PERSONAL_DATA_MIGRATIONS, ...REGISTRATION_COUNTER_MIGRATIONS])
      await observer.query(m.sql);
    // two engine processes: a pool and an event store each
    pools = [0, 1].map(() => new Pool({ connectionString: db.url, max: 6 }));
    stores = pools.map((pool) => new PostgresEventStore(pool));
  });
  afterAll(async () => {
    for (const store of stores) await store.close();
    for (const pool of pools) await pool.end();
    await observer.end();
    await db.drop();
  });

  function writer(
    registrationBatch: { maxSize: number; maxInFlight: number } | false,
    process = 0,
  ): RegistrationWriter {
    return new RegistrationWriter(pools[process], stores[process], silent, new RegistrationCounter(), vault, {
      registrationBatch,
    });
  }

  interface Answer extends RegistrationWritten {
    streamId: string;
    /** what another connection saw the moment the caller was answered */
    visible: { stored: string | null; counter: number };
  }

  /** One registration of `year`; once answered, another connection looks for what it wrote. */
  async function register(
    w: RegistrationWriter,
    year: number,
    options: { appealId?: string; eventId?: string; template?: NumberTemplate; summary?: string } = {},
  ): Promise<Answer> {
    const appealId = options.appealId ?? randomUUID();
    const streamId = `appeal-${appealId}`;
    if (!yearOf.has(streamId)) yearOf.set(streamId, year);
    const written = await w.write({
      streamId,
      year,
      number: options.template ?? registrationNumberTemplate('{seq}', { year }),
      keys: {
        appealId,
        sealed: [],
        keys: [
          { subjectId: randomUUID(), key: Buffer.alloc(32), wrapped: 'wrapped-applicant' },
          { subjectId: appealId, key: Buffer.alloc(32), wrapped: 'wrapped-appeal' },
        ],
      },
      event: () => ({
        id: options.eventId ?? randomUUID(),
        type: 'AppealRegistered',
        data: {
          appealId,
          number: 'placeholder',
          ...(options.summary === undefined ? {} : { summary: options.summary }),
        },
        metadata: {
          occurredAt: `${year}-03-01`,
          actor: { id: 'ivanova', name: 'Иванова А.А.' },
          commandId: appealId,
          correlationId: appealId,
          causationId: appealId,
          schemaVersion: 2,
        },
      }),
    });
    const stored = await observer.query<{ number: string }>(
      "SELECT data->>'number' AS number FROM events WHERE stream_id = $1 AND revision = 0",
      [streamId],
    );
    const counter = await observer.query<{ last_sequence: number }>(
      'SELECT last_sequence FROM registration_counters WHERE year = $1',
      [year],
    );
    return {
      ...written,
      streamId,
      visible: { stored: stored.rows[0]?.number ?? null, counter: counter.rows[0]?.last_sequence ?? 0 },
    };
  }

  /** the year each registered stream was registered in */
  const yearOf = new Map<string, number>();

  /** A year's stored numbers (sorted), its counter and its key rows. */
  async function countersAndNumbers(
    year: number,
  ): Promise<{ sequences: number[]; last: number; keys: number }> {
    const streams = [...yearOf].filter(([, y]) => y === year).map(([streamId]) => streamId);
    const events = await observer.query<{ number: string }>(
      "SELECT data->>'number' AS number FROM events WHERE stream_id = ANY($1) AND revision = 0",
      [streams],
    );
    const counter = await observer.query<{ last_sequence: number }>(
      'SELECT last_sequence FROM registration_counters WHERE year = $1',
      [year],
    );
    const keys = await observer.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM personal_data_keys WHERE appeal_id = ANY($1::uuid[])',
      [streams.map((streamId) => streamId.slice('appeal-'.length))],
    );
    return {
      sequences: events.rows.map((r) => Number(r.number)).sort((x, y) => x - y),
      last: counter.rows[0]?.last_sequence ?? 0,
      keys: keys.rows[0].n,
    };
  }

  /** Each answer is its own: written, its sequence in its stored number, visible when answered. */
  function expectOwnCommittedAnswers(answers: Answer[]): void {
    for (const a of answers) {
      expect(a.written).toBe(true);
      expect(a.nextExpectedRevision).toBe(0);
      expect(a.visible.stored).toBe(String(a.sequence));
      expect(a.visible.counter).toBeGreaterThanOrEqual(a.sequence ?? Infinity);
    }
    const positions = answers.map((a) => a.position);
    expect(new Set(positions).size).toBe(answers.length);
  }

  const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i + 1);

  const registerInYear = (w: RegistrationWriter, year: number): Promise<Answer> => register(w, year);

  it('concurrent registrations are numbered in arrival order in one statement, gap-free, each answered after commit', async () => {
    const w = writer({ maxSize: 64, maxInFlight: 1 });
    const answers = await Promise.all(range(40).map(() => registerInYear(w, 2040)));
    // the first went alone; the 39 that queued behind it went as one statement
    expect(w.batchStats()).toEqual({ statements: 2, batches: 1, batched: 39, fallbacks: 0 });
    expectOwnCommittedAnswers(answers);
    // arrival order: the n-th call got the n-th number
    expect(answers.map((a) => a.sequence)).toEqual(range(40));
    const year = await countersAndNumbers(2040);
    expect(year.sequences).toEqual(range(40));
    expect(year.last).toBe(40);
    expect(year.keys).toBe(80);
  });

  it('every pattern is filled in a batch as register_appeal() fills it', async () => {
    const w = writer({ maxSize: 64, maxInFlight: 1 });
    const patterns = ['{seq:6}-{year}', '{initial}-{seq:2}', '№{seq:3}/{seq}/{year}/{initial}', '{seq}'];
    const answers = await Promise.all(
      patterns.map((pattern, i) =>
        register(w, 2041, {
          template: registrationNumberTemplate(pattern, { year: 2041, applicantSurname: 'Петров' }),
          appealId: `00000000-0000-4000-8000-00000000000${i}`,
        }),
      ),
    );
    expect(answers.map((a) => a.visible.stored)).toEqual(['000001-2041', 'П-02', '№003/3/2041/П', '4']);
    expect(w.batchStats()?.batched).toBe(3);
  });

  it('a member that is not plainly fine is refused alone; the rest of its batch still registers, gap-free', async () => {
    const w = writer({ maxSize: 64, maxInFlight: 1 });
    const existing = randomUUID();
    const retried = { appealId: randomUUID(), eventId: randomUUID() };
    await register(w, 2042, { appealId: existing });
    await register(w, 2042, retried);
    const before = w.batchStats();
    const settled = await Promise.allSettled([
      registerInYear(w, 2042), // alone: nothing queued yet
      registerInYear(w, 2042), // the batch: 2 fine, an existing stream, a retry, 2 fine
      registerInYear(w, 2042),
      register(w, 2042, { appealId: existing }),
      register(w, 2042, retried),
      registerInYear(w, 2042),
      registerInYear(w, 2042),
    ]);
    expect(w.batchStats()).toEqual({
      statements: (before?.statements ?? 0) + 2,
      batches: before?.batches ?? 0,
      batched: before?.batched ?? 0,
      fallbacks: (before?.fallbacks ?? 0) + 1,
    });
    expect(settled[3].status).toBe('rejected');
    expect(settled[3].status === 'rejected' && settled[3].reason).toBeInstanceOf(WrongExpectedRevisionError);
    expect(settled[4]).toMatchObject({ status: 'fulfilled', value: { written: false } });
    expect(settled[4].status === 'fulfilled' && settled[4].value.sequence).toBeUndefined();
    const fine = [0, 1, 2, 5, 6].map((i) => settled[i]);
    const answers = fine
      .map((s) => (s.status === 'fulfilled' ? s.value : undefined))
      .filter((a) => a !== undefined);
    expect(answers).toHaveLength(5);
    expectOwnCommittedAnswers(answers);
    // numbered one at a time in arrival order after the two before: 3..7, no number taken by the refused
    expect(answers.map((a) => a.sequence)).toEqual([3, 4, 5, 6, 7]);
    const year = await countersAndNumbers(2042);
    expect(year.sequences).toEqual(range(7));
    expect(year.last).toBe(7);
    expect(year.keys).toBe(14);
  });

  it('a member whose text PostgreSQL refuses fails alone; the others of its batch register', async () => {
    const w = writer({ maxSize: 64, maxInFlight: 1 });
    const settled = await Promise.allSettled([
      registerInYear(w, 2048),
      registerInYear(w, 2048),
      register(w, 2048, { summary: 'nul \u0000 inside' }),
      registerInYear(w, 2048),
    ]);
    expect(w.batchStats()).toMatchObject({ statements: 2, batches: 0, fallbacks: 1 });
    expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
    const answers = settled.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
    expectOwnCommittedAnswers(answers);
    expect(answers.map((a) => a.sequence)).toEqual([1, 2, 3]);
    expect(await countersAndNumbers(2048)).toMatchObject({ sequences: [1, 2, 3], last: 3, keys: 6 });
  });

  it('across the year boundary: one batch numbers each year from its own counter', async () => {
    const w = writer({ maxSize: 64, maxInFlight: 1 });
    await observer.query('INSERT INTO registration_counters (year, last_sequence) VALUES (2043, 500)');
    const years = [2043, 2044, 2043, 2044, 2044, 2043, 2044];
    const answers = await Promise.all(years.map((y) => registerInYear(w, y)));
    expect(w.batchStats()).toMatchObject({ batches: 1, batched: 6, fallbacks: 0 });
    expectOwnCommittedAnswers(answers);
    expect(answers.map((a) => a.sequence)).toEqual([501, 1, 502, 2, 3, 503, 4]);
    expect(await countersAndNumbers(2043)).toMatchObject({ sequences: [501, 502, 503], last: 503 });
    expect(await countersAndNumbers(2044)).toMatchObject({ sequences: [1, 2, 3, 4], last: 4 });
  });

  it('two engine processes at once, two batches in flight each: unique, gap-free, strictly increasing in commit order', async () => {
    const writers = [writer({ maxSize: 8, maxInFlight: 2 }, 0), writer({ maxSize: 8, maxInFlight: 2 }, 1)];
    const answers = await Promise.all(
      range(120).map((i) => registerInYear(writers[i % 2], i % 10 === 0 ? 2046 : 2045)),
    );
    for (const w of writers) expect(w.batchStats()?.batches).toBeGreaterThan(0);
    expectOwnCommittedAnswers(answers);
    const y2045 = await countersAndNumbers(2045);
    expect(y2045.sequences).toEqual(range(108));
    expect(y2045.last).toBe(108);
    const y2046 = await countersAndNumbers(2046);
    expect(y2046.sequences).toEqual(range(12));
    // a later number is a later commit: a year's positions grow with its numbers
    for (const year of [2045, 2046]) {
      const positions = answers
        .filter((a) => yearOf.get(a.streamId) === year)
        .sort((a, b) => (a.sequence ?? 0) - (b.sequence ?? 0))
        .map((a) => a.position);
      expect(positions).toEqual([...positions].sort((a, b) => a - b));
    }
  });

  it('REGISTRATION_BATCH=off: every registration alone through register_appeal(), still gap-free', async () => {
    const w = writer(false);
    expect(w.batchStats()).toBeUndefined();
    const answers = await Promise.all(range(12).map(() => registerInYear(w, 2047)));
    expectOwnCommittedAnswers(answers);
    expect([...answers.map((a) => a.sequence)].sort((a, b) => (a ?? 0) - (b ?? 0))).toEqual(range(12));
    expect(await countersAndNumbers(2047)).toMatchObject({ sequences: range(12), last: 12, keys: 24 });
  });
});
