/**
 * Group commit of registrations (events in PostgreSQL; docs/decisions/0007-group-commit-registrations.md):
 * registrations of one year that wait while a batch is in flight are numbered and committed together.
 * The suite makes the batches it tests: it holds the year's numbering lock itself, starts one
 * registration (the leader: it then waits on that lock), lets the others queue behind it, and
 * releases the lock. Then: numbers have no gap and no duplicate, every caller's answer is its own
 * stored event, a registration that fails inside a batch takes no number and the others are
 * recorded, Idempotency-Key twins inside a batch answer the same appeal.
 */
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import type {
  CommandOptions,
  CommandOutcome,
  DoneOutcome,
} from '../apps/api/src/appeals/appeal-command.service';
import { AppealRegistration } from '../apps/api/src/appeals/register-appeal/appeal-registration';
import type { RegisterAppealDto } from '../apps/api/src/appeals/register-appeal/register-appeal.dto';
import { RegistrationWriter } from '../apps/api/src/appeals/register-appeal/registration-writer';
import { registration, type RegistrationBody } from './support/appeals';
import { startTestEngine, type TestEngine } from './support/test-engine';

/** The advisory-lock class of the year's numbering lock (registration-counter.ts). */
const REGISTRATION_LOCK = 0x5265674e;
const YEAR = 2018;
/** A registration of one applicant stores that applicant's key and the appeal's own (its free text). */
const KEYS_PER_APPEAL = 2;

let t: TestEngine;
let db: Client;
let registrations: AppealRegistration;
let writer: RegistrationWriter;

beforeAll(async () => {
  t = await startTestEngine();
  db = new Client({ connectionString: t.database.url });
  await db.connect();
  registrations = t.engine.app.get(AppealRegistration);
  writer = t.engine.app.get(RegistrationWriter);
});

afterAll(async () => {
  await db?.end();
  await t?.stop();
});

function request(idempotencyKey?: string): CommandOptions {
  return {
    principal: { id: 'ivanova', name: 'Иванова А.А.', roles: ['registrar'] },
    fingerprint: idempotencyKey ?? randomUUID(),
    correlationId: randomUUID(),
    ...(idempotencyKey ? { idempotencyKey } : {}),
  };
}

function register(body: RegistrationBody, idempotencyKey?: string): Promise<CommandOutcome> {
  return registrations.register(body as unknown as RegisterAppealDto, request(idempotencyKey));
}

function done(outcome: CommandOutcome): DoneOutcome {
  if (outcome.status !== 'done') throw new Error(`registration not recorded: ${JSON.stringify(outcome)}`);
  return outcome;
}

async function until(fact: () => Promise<boolean> | boolean, what: string): Promise<void> {
  for (let i = 0; i < 3000; i++) {
    if (await fact()) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`timed out waiting until ${what}`);
}

/**
 * Holds the year's lock, starts `leader` and waits until it waits on the lock, starts `rest` and
 * waits until `queued` of them wait for the next batch, then releases the lock. Settles them all.
 */
async function batched(
  leader: () => Promise<CommandOutcome>,
  rest: (() => Promise<CommandOutcome>)[],
  queued = rest.length,
): Promise<{ leader: PromiseSettledResult<CommandOutcome>; rest: PromiseSettledResult<CommandOutcome>[] }> {
  await db.query('BEGIN');
  try {
    await db.query('SELECT pg_advisory_xact_lock($1, $2)', [REGISTRATION_LOCK, YEAR]);
    const first = leader();
    first.catch(() => undefined);
    await until(async () => {
      const { rows } = await db.query<{ n: string }>(
        `SELECT count(*) AS n FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
          WHERE NOT l.granted AND l.locktype = 'advisory' AND a.datname = current_database()
            AND l.classid = $1 AND l.objid = $2`,
        [REGISTRATION_LOCK, YEAR],
      );
      return Number(rows[0].n) === 1;
    }, 'the leader waits on the year lock');
    const others = rest.map((start) => start());
    for (const o of others) o.catch(() => undefined);
    await until(() => writer.waiting(YEAR) === queued, `${queued} registrations wait for the next batch`);
    await db.query('COMMIT');
    return { leader: (await Promise.allSettled([first]))[0], rest: await Promise.allSettled(others) };
  } catch (error) {
    await db.query('ROLLBACK');
    throw error;
  }
}

async function footprint(): Promise<{ keys: number; lastNumber: number }> {
  const keys = await db.query<{ n: string }>('SELECT count(*) AS n FROM personal_data_keys');
  const counter = await db.query<{ last_sequence: number }>(
    'SELECT last_sequence FROM registration_counters WHERE year = $1',
    [YEAR],
  );
  return { keys: Number(keys.rows[0].n), lastNumber: counter.rows[0]?.last_sequence ?? 0 };
}

interface Stored {
  number: string;
  position: number;
  tx: string;
}

/** The stored first event of the appeal an answer is about. */
async function stored(outcome: DoneOutcome): Promise<Stored> {
  const { rows } = await db.query<{ number: string; position: string; tx: string }>(
    `SELECT data->>'number' AS number, position, tx_id::text AS tx FROM events
      WHERE stream_id = $1 AND revision = 0`,
    [`appeal-${outcome.loaded.state.context.appealId}`],
  );
  expect(rows).toHaveLength(1);
  return { number: rows[0].number, position: Number(rows[0].position), tx: rows[0].tx };
}

/** One at a time: the suite's one connection runs one query at a time. */
async function storedAll(outcomes: DoneOutcome[]): Promise<Stored[]> {
  const rows: Stored[] = [];
  for (const outcome of outcomes) rows.push(await stored(outcome));
  return rows;
}

function sequenceOf(number: string): number {
  return Number(number.split('/')[1]);
}

function fulfilled(results: PromiseSettledResult<CommandOutcome>[]): DoneOutcome[] {
  return results.map((r) => {
    if (r.status === 'rejected') throw r.reason;
    return done(r.value);
  });
}

it('50 registrations at once: numbers without gap or duplicate, each answer its own stored event, at most 32 per transaction', async () => {
  const before = await footprint();
  const { leader, rest } = await batched(
    () => register(registration()),
    Array.from({ length: 49 }, () => () => register(registration())),
  );
  const outcomes = fulfilled([leader, ...rest]);
  const numbers = outcomes.map((o) => sequenceOf(o.loaded.state.context.number)).sort((a, b) => a - b);
  expect(numbers).toEqual(Array.from({ length: 50 }, (_, i) => before.lastNumber + 1 + i));
  expect(await footprint()).toEqual({
    keys: before.keys + 50 * KEYS_PER_APPEAL,
    lastNumber: before.lastNumber + 50,
  });

  const rows = await storedAll(outcomes);
  outcomes.forEach((o, i) => {
    expect(rows[i].number).toBe(o.loaded.state.context.number);
    expect(rows[i].position).toBe(o.loaded.position);
    expect(o.loaded.revision).toBe(0);
  });
  // The leader alone, then the 49 that waited: a batch of 32 and one of 17, each one transaction,
  // numbered in the order of their positions.
  const byTx = new Map<string, Stored[]>();
  for (const row of rows) byTx.set(row.tx, [...(byTx.get(row.tx) ?? []), row]);
  expect([...byTx.values()].map((b) => b.length).sort((a, b) => a - b)).toEqual([1, 17, 32]);
  for (const batch of byTx.values()) {
    const inOrder = [...batch].sort((a, b) => a.position - b.position);
    expect(inOrder.map((r) => sequenceOf(r.number))).toEqual(
      inOrder.map((_, i) => sequenceOf(inOrder[0].number) + i),
    );
  }

  // The next registration, alone, continues the numbering.
  const read = await registrations.register(registration() as unknown as RegisterAppealDto, request());
  expect(sequenceOf(done(read).loaded.state.context.number)).toBe(before.lastNumber + 51);
});

it('a registration that fails inside a batch takes no number; the others of the batch are recorded', async () => {
  const before = await footprint();
  const bad = () => register(registration({ summary: 'нет воды\u0000', territory: 'п. Елань\u0000' }));
  const good = Array.from({ length: 10 }, () => () => register(registration()));
  const { leader, rest } = await batched(
    () => register(registration()),
    [...good.slice(0, 5), bad, ...good.slice(5)],
  );
  expect(rest[5].status).toBe('rejected');
  const outcomes = fulfilled([leader, ...rest.slice(0, 5), ...rest.slice(6)]);
  const numbers = outcomes.map((o) => sequenceOf(o.loaded.state.context.number)).sort((a, b) => a - b);
  expect(numbers).toEqual(Array.from({ length: 11 }, (_, i) => before.lastNumber + 1 + i));
  expect(await footprint()).toEqual({
    keys: before.keys + 11 * KEYS_PER_APPEAL,
    lastNumber: before.lastNumber + 11,
  });
  const rows = await storedAll(outcomes);
  outcomes.forEach((o, i) => expect(rows[i].number).toBe(o.loaded.state.context.number));
  // The batch was rolled back and its members registered one at a time.
  expect(new Set(rows.map((r) => r.tx)).size).toBe(11);
});

it('Idempotency-Key retries of registrations inside a batch answer the original and take no number', async () => {
  const before = await footprint();
  const keys = Array.from({ length: 5 }, () => randomUUID());
  const body = registration({ summary: 'жалоба на отсутствие горячей воды, повторно' });
  // A retry in this process waits for the first command of its appeal (the pipeline serialises
  // commands per appeal), then finds the key's record: only the 5 first ones and 5 others queue.
  const { leader, rest } = await batched(
    () => register(registration()),
    [
      ...keys.map((key) => () => register(body, key)),
      ...Array.from({ length: 5 }, () => () => register(registration())),
      ...keys.map((key) => () => register(body, key)),
    ],
    10,
  );
  const outcomes = fulfilled([leader, ...rest]);
  const firsts = outcomes.slice(1, 6);
  const retries = outcomes.slice(11, 16);
  firsts.forEach((first, i) => {
    expect(retries[i].loaded.state.context.appealId).toBe(first.loaded.state.context.appealId);
    expect(retries[i].loaded.state.context.number).toBe(first.loaded.state.context.number);
    expect(retries[i].loaded.position).toBe(first.loaded.position);
  });
  const distinct = outcomes.slice(0, 11);
  const numbers = distinct.map((o) => sequenceOf(o.loaded.state.context.number)).sort((a, b) => a - b);
  expect(numbers).toEqual(Array.from({ length: 11 }, (_, i) => before.lastNumber + 1 + i));
  expect(await footprint()).toEqual({
    keys: before.keys + 11 * KEYS_PER_APPEAL,
    lastNumber: before.lastNumber + 11,
  });
  const rows = await storedAll(outcomes);
  outcomes.forEach((o, i) => expect(rows[i].number).toBe(o.loaded.state.context.number));
  // The 10 that waited went together, in one transaction.
  expect(new Set(rows.slice(1, 11).map((r) => r.tx)).size).toBe(1);
});

it('a twin registered by another instance meanwhile: the batch meets it as a retry, falls back, and both answer the same appeal', async () => {
  const other = await startTestEngine({ database: t.database });
  try {
    const before = await footprint();
    const key = randomUUID();
    const body = registration({ summary: 'жалоба на отсутствие горячей воды, из другого окна' });
    const otherRegistrations = other.engine.app.get(AppealRegistration);
    const waitersOnTheLock = async (): Promise<number> => {
      const { rows } = await db.query<{ n: string }>(
        `SELECT count(*) AS n FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
          WHERE NOT l.granted AND l.locktype = 'advisory' AND a.datname = current_database()
            AND l.classid = $1 AND l.objid = $2`,
        [REGISTRATION_LOCK, YEAR],
      );
      return Number(rows[0].n);
    };
    await db.query('BEGIN');
    let settled: PromiseSettledResult<CommandOutcome>[];
    try {
      await db.query('SELECT pg_advisory_xact_lock($1, $2)', [REGISTRATION_LOCK, YEAR]);
      const leader = register(registration());
      await until(async () => (await waitersOnTheLock()) === 1, 'the leader waits on the year lock');
      const batch = [register(body, key), ...Array.from({ length: 5 }, () => register(registration()))];
      await until(() => writer.waiting(YEAR) === 6, 'six registrations wait for the next batch');
      // The twin in the other instance waits on the lock too, ahead of the batch (which asks later).
      const twin = otherRegistrations.register(body as unknown as RegisterAppealDto, request(key));
      await until(async () => (await waitersOnTheLock()) === 2, 'the twin waits on the year lock');
      await db.query('COMMIT');
      settled = await Promise.allSettled([leader, twin, ...batch]);
    } catch (error) {
      await db.query('ROLLBACK');
      throw error;
    }
    const [leader, twin, ours, ...others] = fulfilled(settled);
    expect(ours.loaded.state.context.appealId).toBe(twin.loaded.state.context.appealId);
    expect(ours.loaded.state.context.number).toBe(twin.loaded.state.context.number);
    const numbers = [leader, twin, ...others]
      .map((o) => sequenceOf(o.loaded.state.context.number))
      .sort((a, b) => a - b);
    expect(numbers).toEqual(Array.from({ length: 7 }, (_, i) => before.lastNumber + 1 + i));
    expect(await footprint()).toEqual({
      keys: before.keys + 7 * KEYS_PER_APPEAL,
      lastNumber: before.lastNumber + 7,
    });
    const rows = await storedAll([leader, twin, ...others]);
    [leader, twin, ...others].forEach((o, i) => expect(rows[i].number).toBe(o.loaded.state.context.number));
    // The twin committed first; the batch met its event as a retry and ran one at a time.
    expect(new Set(rows.slice(2).map((r) => r.tx)).size).toBe(5);
  } finally {
    await other.stop();
  }
});
