/**
 * upsertRows on PostgreSQL: an upsert by key, except in a page of streams new to the tables
 * (`context.newStreams`, a stream-order rebuild's page), where it inserts plainly; every value
 * arrives as it was, whatever characters it holds (rows go as one array literal per column).
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

  it('writes every value as it was: quotes, backslashes, control characters, NULL-like strings, JSON, arrays', async () => {
    const awkward = 'he said "no", {a,b} \\ back\\slash NULL';
    const values = [
      awkward,
      'line\nbreak\ttab \u0001 control',
      'NULL',
      'null',
      '',
      ' spaced ',
      'Обращение № 5 — «кавычки»',
    ];
    const wide = `public.wide_rows_under_test`;
    await pool.query(`DROP TABLE IF EXISTS ${wide}`);
    await pool.query(`CREATE TABLE ${wide} (
      id text PRIMARY KEY, label text, flag boolean, n bigint, doc jsonb NOT NULL, codes text[] NOT NULL, months date[]
    )`);
    const types = {
      id: 'text',
      label: 'text',
      flag: 'boolean',
      n: 'bigint',
      doc: 'jsonb',
      codes: 'text[]',
      months: 'date[]',
    } as const;
    const written = [
      ...values.map((label, i) => ({
        id: `r${i}`,
        label,
        flag: i % 2 === 0,
        n: 2 ** 40 + i,
        doc: { label, list: [label, null, 1.5], nested: { quote: '"', slash: '\\' } },
        codes: [label, 'a,b', '{x}', 'NULL'],
        months: ['2018-03-01', '2019-12-01'],
      })),
      // nulls, and arrays with a NULL element
      { id: 'r-nulls', label: null, flag: null, n: null, doc: [], codes: [null, 'x'], months: null },
    ];
    await upsertRows(pool, wide, ['id'], types, written);
    const read = await pool.query<Record<string, unknown>>(
      `SELECT id, label, flag, n::text AS n, doc, codes, to_json(months) AS months FROM ${wide}`,
    );
    const byId = new Map(read.rows.map((row) => [row.id, row]));
    for (const row of written)
      expect(byId.get(row.id)).toEqual({ ...row, n: row.n === null ? null : String(row.n) });
    // once more as an update of every row (the ON CONFLICT path)
    await upsertRows(
      pool,
      wide,
      ['id'],
      types,
      written.map((row) => ({ ...row, label: `${String(row.label)}\r\n` })),
    );
    const again = await pool.query<{ label: string }>(`SELECT label FROM ${wide} WHERE id = 'r0'`);
    expect(again.rows[0]?.label).toBe(`${awkward}\r\n`);
  });

  it('with no key, does nothing for a row conflicting on any unique index; a uuid column takes its text', async () => {
    const keyed = 'public.keyed_rows_under_test';
    await pool.query(`DROP TABLE IF EXISTS ${keyed}`);
    await pool.query(`CREATE TABLE ${keyed} (n integer PRIMARY KEY, id uuid NOT NULL UNIQUE)`);
    const types = { n: 'integer', id: 'uuid' } as const;
    const first = '0b6f2c1e-3a0d-4c6e-9a51-6f1d2f1a7c01';
    const second = '5E7D1C2B-8F3A-4B9C-A0D1-2E3F4A5B6C7D';
    await upsertRows(pool, keyed, [], types, [{ n: 1, id: first }], 'nothing');
    // the same n, then the same id under another n, then a new row: only the new one is written
    await upsertRows(
      pool,
      keyed,
      [],
      types,
      [
        { n: 1, id: second },
        { n: 2, id: first },
        { n: 3, id: second },
      ],
      'nothing',
    );
    const read = await pool.query<{ n: number; id: string }>(
      `SELECT n, id::text AS id FROM ${keyed} ORDER BY n`,
    );
    expect(read.rows).toEqual([
      { n: 1, id: first },
      { n: 3, id: second.toLowerCase() },
    ]);
    await expect(upsertRows(pool, keyed, [], types, [{ n: 4, id: first }])).rejects.toThrow(
      'an update needs a key',
    );
  });
});
