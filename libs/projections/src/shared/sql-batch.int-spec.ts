/**
 * upsertRows on PostgreSQL: an upsert by key, except in a page of streams new to the tables
 * (`context.newStreams`, a stream-order rebuild's page), where it inserts plainly.
 */
import { Pool } from 'pg';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/test-database';
import { upsertRows } from './sql-batch';

describe('upsertRows (PostgreSQL)', () => {
  let db: TestDatabase;
  let pool: Pool;
  const table = 'public.rows_under_test';
  const columns = { id: 'text', n: 'integer', on_date: 'date' } as const;
  const rows = async (): Promise<{ id: string; n: number; on_date: string | null }[]> =>
    (
      await pool.query<{ id: string; n: number; on_date: string | null }>(
        `SELECT id, n, to_char(on_date, 'YYYY-MM-DD') AS on_date FROM ${table} ORDER BY id COLLATE "C"`,
      )
    ).rows;

  beforeAll(async () => {
    db = await createTestDatabase('sql_batch');
    pool = new Pool({ connectionString: db.url, max: 2 });
  });

  beforeEach(async () => {
    await pool.query(`DROP TABLE IF EXISTS ${table}`);
    await pool.query(`CREATE TABLE ${table} (id text PRIMARY KEY, n integer NOT NULL, on_date date)`);
  });

  afterAll(async () => {
    await pool.end();
    await db.drop();
  });

  it('inserts new keys and updates every other column of keys already there', async () => {
    await upsertRows(pool, table, ['id'], columns, [{ id: 'a', n: 1, on_date: '2018-03-01' }]);
    await upsertRows(pool, table, ['id'], columns, [
      { id: 'a', n: 2, on_date: null },
      { id: 'b', n: 3, on_date: '2018-03-02' },
    ]);
    expect(await rows()).toEqual([
      { id: 'a', n: 2, on_date: null },
      { id: 'b', n: 3, on_date: '2018-03-02' },
    ]);
    // 'nothing' keeps what is there
    await upsertRows(pool, table, ['id'], columns, [{ id: 'b', n: 9, on_date: null }], 'nothing');
    expect((await rows())[1]).toEqual({ id: 'b', n: 3, on_date: '2018-03-02' });
  });

  it('in a page of new streams, inserts plainly: a key already there is a unique violation, not an update', async () => {
    const newStreams = { newStreams: true };
    await upsertRows(pool, table, ['id'], columns, [{ id: 'a', n: 1, on_date: null }], 'update', newStreams);
    expect(await rows()).toEqual([{ id: 'a', n: 1, on_date: null }]);
    await expect(
      upsertRows(pool, table, ['id'], columns, [{ id: 'a', n: 2, on_date: null }], 'update', newStreams),
    ).rejects.toMatchObject({ code: '23505' });
    expect(await rows()).toEqual([{ id: 'a', n: 1, on_date: null }]);
    // 'nothing' keeps its ON CONFLICT DO NOTHING whatever the context
    await upsertRows(pool, table, ['id'], columns, [{ id: 'a', n: 3, on_date: null }], 'nothing', newStreams);
    expect(await rows()).toEqual([{ id: 'a', n: 1, on_date: null }]);
    // without the hint, the same rows update
    await upsertRows(pool, table, ['id'], columns, [{ id: 'a', n: 4, on_date: null }], 'update', {});
    expect(await rows()).toEqual([{ id: 'a', n: 4, on_date: null }]);
  });
});
