/**
 * `register_appeal()` on real PostgreSQL: the number it fills in is the one the domain's rule gives
 * (`fillNumberTemplate`) for every pattern shape; a refused append takes no number and stores no key.
 */
import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { fillNumberTemplate, registrationNumberTemplate } from '@appeal-ledger/appeal';
import { PostgresEventStore } from '@appeal-ledger/event-store';
import { createTestDatabase, type TestDatabase } from '../../../../../test/support/test-database';
import { PERSONAL_DATA_MIGRATIONS } from '../../personal-data/personal-data.vault';
import { REGISTRATION_COUNTER_MIGRATIONS } from './registration-counter';

describe('register_appeal() (PostgreSQL)', () => {
  let db: TestDatabase;
  let pool: Pool;
  let store: PostgresEventStore;

  beforeAll(async () => {
    db = await createTestDatabase('register_fn');
    pool = new Pool({ connectionString: db.url, max: 2 });
    store = new PostgresEventStore(pool);
    await store.migrate();
    for (const m of [...PERSONAL_DATA_MIGRATIONS, ...REGISTRATION_COUNTER_MIGRATIONS])
      await pool.query(m.sql);
  });
  afterAll(async () => {
    await store.close();
    await pool.end();
    await db.drop();
  });

  const keyRows = async (): Promise<number> =>
    (await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM personal_data_keys')).rows[0].n;

  async function register(
    year: number,
    template: { parts: string[]; widths: number[] },
    appealId = randomUUID(),
    eventId = randomUUID(),
  ): Promise<{ outcome: string; sequence: number | null; number: string | null; stored?: string }> {
    const subject = randomUUID();
    const { rows } = await pool.query<{ outcome: string; sequence: number | null; number: string | null }>(
      'SELECT outcome, sequence, number FROM register_appeal($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)',
      [
        year,
        template.parts,
        template.widths,
        `appeal-${appealId}`,
        eventId,
        'AppealRegistered',
        JSON.stringify({ appealId, number: 'placeholder' }),
        JSON.stringify({ schemaVersion: 2 }),
        appealId,
        [subject],
        ['wrapped'],
      ],
    );
    const stored = await store.readStream(`appeal-${appealId}`).then(
      (events) => events[0]?.data.number as string | undefined,
      () => undefined,
    );
    return { ...rows[0], stored };
  }

  it.each([
    ['{initial}/{seq}', 1, 'П/1'],
    ['{seq:6}-{year}', 7, '000007-2031'],
    ['{initial}-{seq:2}', 12345, 'П-12345'],
    ['№{seq:3}/{seq}/{year}/{initial}', 42, '№042/42/2031/П'],
    ['{seq}', 9, '9'],
  ])('pattern %s, sequence %i: %s, as the domain fills it', async (pattern, sequence, expected) => {
    const year = 2031 + sequence; // a year of its own per case, its counter set just below `sequence`
    await pool.query('INSERT INTO registration_counters (year, last_sequence) VALUES ($1, $2)', [
      year,
      sequence - 1,
    ]);
    const template = registrationNumberTemplate(pattern, { year: 2031, applicantSurname: 'Петров' });
    expect(fillNumberTemplate(template, sequence)).toBe(expected);
    const result = await register(year, template);
    expect(result).toEqual({ outcome: 'ok', sequence, number: expected, stored: expected });
    const counter = await pool.query<{ last_sequence: number }>(
      'SELECT last_sequence FROM registration_counters WHERE year = $1',
      [year],
    );
    expect(counter.rows[0].last_sequence).toBe(sequence);
  });

  it('a retried registration (same event id) writes nothing and takes no number', async () => {
    const template = registrationNumberTemplate('{seq}', { year: 2100 });
    const appealId = randomUUID();
    const eventId = randomUUID();
    expect(await register(2100, template, appealId, eventId)).toMatchObject({ outcome: 'ok', sequence: 1 });
    const keysBefore = await keyRows();
    expect(await register(2100, template, appealId, eventId)).toMatchObject({
      outcome: 'retry',
      sequence: null,
      number: null,
    });
    expect(await register(2100, template)).toMatchObject({ outcome: 'ok', sequence: 2, number: '2' });
    const keysAfter = await keyRows();
    expect(keysAfter).toBe(keysBefore + 1);
  });

  it('a stream that exists is refused (wrong revision): no number, no key', async () => {
    const template = registrationNumberTemplate('{seq}', { year: 2101 });
    const appealId = randomUUID();
    await register(2101, template, appealId);
    const keysBefore = await keyRows();
    expect(await register(2101, template, appealId)).toMatchObject({
      outcome: 'wrong_revision',
      sequence: null,
    });
    const keysAfter = await keyRows();
    expect(keysAfter).toBe(keysBefore);
    expect(await register(2101, template)).toMatchObject({ sequence: 2 });
  });

  it('refuses a template with parts and widths that do not fit', async () => {
    await expect(register(2102, { parts: ['a'], widths: [0] })).rejects.toThrow(/number parts/);
  });
});
