/**
 * `jsonTextsLiteral` against PostgreSQL's own array input: every value's JSON text comes back exactly
 * as `text[]`, and as the same JSON as `jsonb[]` — for hand-picked awkward values and for arbitrary
 * JSON values (fast-check) — and the literal is what pg's own escaping of the texts reads as.
 */
import fc from 'fast-check';
import { Client } from 'pg';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/test-database';
import { jsonTextsLiteral } from './json-texts-literal';

const AWKWARD: unknown[] = [
  { summary: 'он сказал "да", а потом \\ ушёл' },
  { text: 'строка 1\nстрока 2\r\n\tотступ', bell: '\u0007', del: '\u007f' },
  { braces: '{a,b}', quote: '"', backslashes: '\\\\', comma: ',', null: 'NULL', empty: '' },
  { emoji: '🙂 𝄞', separators: '\u2028\u2029', bom: '\ufeff' },
  { nested: [[1, 2], { deep: ['"x"', null, true, 1.5e-7] }] },
  {},
  [],
  'a plain string',
  42,
  null,
];

describe('jsonTextsLiteral (PostgreSQL array input)', () => {
  let db: TestDatabase;
  let client: Client;

  beforeAll(async () => {
    db = await createTestDatabase('json_texts_literal');
    client = new Client({ connectionString: db.url });
    await client.connect();
  });

  afterAll(async () => {
    await client.end();
    await db.drop();
  });

  async function asTexts(literal: string): Promise<string[]> {
    const { rows } = await client.query<{ t: string[] }>('SELECT $1::text[] AS t', [literal]);
    return rows[0].t;
  }

  it('reads back every JSON text exactly as text[], and as the same JSON as jsonb[]', async () => {
    const literal = jsonTextsLiteral(AWKWARD);
    expect(await asTexts(literal)).toEqual(AWKWARD.map((v) => JSON.stringify(v)));
    const { rows } = await client.query<{ j: unknown[] }>('SELECT $1::jsonb[] AS j', [literal]);
    expect(rows[0].j).toEqual(AWKWARD);
    // the same as pg's own escaping of the texts
    const { rows: viaPg } = await client.query<{ same: boolean }>('SELECT $1::text[] = $2::text[] AS same', [
      literal,
      AWKWARD.map((v) => JSON.stringify(v)),
    ]);
    expect(viaPg[0].same).toBe(true);
  });

  it('keeps what only text[] can hold: lone surrogates and NUL, escaped by JSON', async () => {
    const values = [{ lone: '\ud800x\udc00' }, { nul: 'a\u0000b' }];
    expect(await asTexts(jsonTextsLiteral(values))).toEqual(values.map((v) => JSON.stringify(v)));
  });

  it('an empty list is an empty array', async () => {
    expect(jsonTextsLiteral([])).toBe('{}');
    expect(await asTexts('{}')).toEqual([]);
  });

  it('refuses a value without a JSON text', () => {
    expect(() => jsonTextsLiteral([{ a: 1 }, undefined])).toThrow(TypeError);
  });

  it('round-trips arbitrary JSON values, strings of any code units (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.jsonValue({ stringUnit: 'binary' }), { maxLength: 8 }), async (values) => {
        expect(await asTexts(jsonTextsLiteral(values))).toEqual(values.map((v) => JSON.stringify(v)));
      }),
      { numRuns: 200 },
    );
  });
});
